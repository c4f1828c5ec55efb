import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionToRun } from '@pipewright/core';
import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActionProvider, ActionRun } from './action-provider.ts';
import { runActionAttempt } from './run-action-attempt.ts';
import { MemoryActionLogStore, MemoryArtifactStore } from './testing/index.ts';

const pipeline = testPipeline([{ name: 'Build', actions: [fakeAction('Make')] }]);
const run: ActionToRun = {
  stageName: 'Build',
  actionName: 'Make',
  stageAttempt: 0,
  attempt: 1,
  actionExecutionId: 'a1',
  action: fakeAction('Make'),
  inputArtifacts: [],
  variables: {},
};

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pw-engine-attempt-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function attempt(provider: ActionProvider['run']) {
  const logs = new MemoryActionLogStore();
  const outcome = runActionAttempt({
    pipeline,
    executionId: '7f0c',
    run,
    signal: new AbortController().signal,
    newId: () => 'n1',
    options: {
      artifacts: new MemoryArtifactStore(),
      logs,
      providers: [{ categories: ['Build'], provider: 'Fake', run: provider }],
      workspaceRoot: root,
      projectDir: () => root,
    },
  });
  return { outcome, logs };
}

describe('runActionAttempt', () => {
  it('makes no workspace for a provider that never reads it, and still leaves an (empty) log', async () => {
    // Prepare
    const { outcome, logs } = attempt(async () => ({
      status: 'Succeeded',
      outputArtifacts: [],
      outputVariables: {},
    }));
    // Act
    const { result } = await outcome;
    // Assess
    expect(result.status).toBe('Succeeded');
    expect(readdirSync(root)).toEqual([]);
    expect(await logs.read({ executionId: '7f0c', ...run })).toBe('');
  });

  it('gives a provider that reads run.workspace a fresh empty directory, and removes it afterwards', async () => {
    // Prepare
    let seen: { exists: boolean; entries: string[] } | undefined;
    let dir = '';
    const { outcome } = attempt(async (r: ActionRun) => {
      dir = r.workspace;
      seen = { exists: existsSync(dir), entries: readdirSync(dir) };
      await writeFile(join(dir, 'out.txt'), 'built');
      r.log.write('stdout', 'built\n');
      return { status: 'Succeeded', outputArtifacts: [], outputVariables: {} };
    });
    // Act
    await outcome;
    // Assess
    expect(seen).toEqual({ exists: true, entries: [] });
    expect(existsSync(dir)).toBe(false);
  });
});
