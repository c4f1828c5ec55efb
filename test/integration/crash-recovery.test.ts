import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventRecord, ExecutionView } from '@pipewright/core';
import { type ApprovalRequest, readExecution, verifyApprovalLink } from '@pipewright/engine';
import { approvalKey } from '@pipewright/local';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { deferred } from '../support/deferred.ts';
import { openRuntimeIn } from '../support/local-runtimes.ts';
import { tempDir } from '../support/temp-dirs.ts';
import { CRASH_PIPELINE, crashProviders } from './fixtures/crash-pipeline.ts';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'crash-child.ts');
const EXECUTION = 'crash-1';
const alice = { kind: 'user' as const, id: 'alice' };

const cleanups = cleanupsAfter(afterEach);

/** Runs the child until it prints a line starting with `marker`, then kills it with SIGKILL; returns the line. */
function runChildUntilKilled(
  stateDir: string,
  markerDir: string,
  sleepMs: number,
  marker: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, stateDir, markerDir, String(sleepMs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let seen: string | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith(marker));
      if (line !== undefined && seen === undefined) {
        seen = line;
        child.kill('SIGKILL');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('exit', (code, signal) => {
      if (seen !== undefined && signal === 'SIGKILL') resolve(seen);
      else
        reject(new Error(`the child ended (${code ?? signal}) before printing ${marker}:\n${out}\n${err}`));
    });
  });
}

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

function attemptsOf(view: ExecutionView, stage: string, action: string) {
  return (
    view.stages.find((s) => s.stageName === stage)?.actions.find((a) => a.actionName === action)?.attempts ??
    []
  );
}

/** Every event id once, and seq 1..n without gaps. */
function expectWellFormed(records: readonly EventRecord[]): void {
  expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
  expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
}

async function setUp(): Promise<{ stateDir: string; markerDir: string }> {
  const markerDir = await tempDir(cleanups, 'pw-crash-');
  return { stateDir: join(markerDir, '.pipewright'), markerDir };
}

/** Opens the runtime again on the crashed state, with the Test action now quick; resumes. */
async function restart(markerDir: string, onApprovalRequested?: (r: ApprovalRequest) => void) {
  // The state directory is `<markerDir>/.pipewright`, as setUp made it.
  const runtime = await openRuntimeIn(cleanups, markerDir, {
    providers: crashProviders({ markerDir, sleepMs: 0 }),
    ...(onApprovalRequested === undefined ? {} : { onApprovalRequested }),
  });
  await runtime.addPipeline(CRASH_PIPELINE, markerDir);
  const resumed = await runtime.resumeOpenExecutions();
  return { runtime, resumed };
}

describe('crash recovery (kill -9, restart, resumeOpenExecutions)', () => {
  it('does not run a succeeded action again, and fails and re-runs the action the crash interrupted', async () => {
    // Prepare: the child is killed while the Test stage's action sleeps
    const { stateDir, markerDir } = await setUp();
    await runChildUntilKilled(stateDir, markerDir, 60_000, 'SLEEPING');
    const asked = deferred<ApprovalRequest>();
    // Act
    const { runtime, resumed } = await restart(markerDir, (r) => asked.resolve(r));
    expect(resumed).toEqual([EXECUTION]);
    const request = await asked.promise;
    await runtime.engine.decideApproval({
      executionId: EXECUTION,
      approvalId: request.approvalId,
      status: 'Approved',
      summary: 'after the crash',
      actor: alice,
    });
    await runtime.waitForExecution(EXECUTION);
    // Assess: from the event log alone
    const { view, records } = await readExecution(runtime.store, EXECUTION);
    expect(view.status).toBe('Succeeded');
    expect(lines(join(markerDir, 'mark.txt'))).toHaveLength(1);
    expect(attemptsOf(view, 'Build', 'Mark').map((a) => a.status)).toEqual(['Succeeded']);
    const sleep = attemptsOf(view, 'Test', 'Sleep');
    expect(sleep.map((a) => [a.attempt, a.status])).toEqual([
      [1, 'Failed'],
      [2, 'Succeeded'],
    ]);
    expect(sleep[0]?.error?.message).toContain('interrupted');
    expect(sleep[0]?.retryable).toBe(true);
    expect(lines(join(markerDir, 'sleep.txt'))).toHaveLength(2);
    expect(view.approvals.map((a) => [a.approvalId, a.status])).toEqual([[request.approvalId, 'Approved']]);
    expectWellFormed(records);
  });

  it('keeps a pending approval and its signed link valid across the crash; approving it finishes the run', async () => {
    // Prepare: the child is killed while the approval waits
    const { stateDir, markerDir } = await setUp();
    const line = await runChildUntilKilled(stateDir, markerDir, 0, 'APPROVAL');
    const [, executionId, approvalId, link] = line.split(' ');
    let askedAgain = 0;
    // Act
    const { runtime, resumed } = await restart(markerDir, () => {
      askedAgain += 1;
    });
    const before = await runtime.engine.view(EXECUTION);
    const check = verifyApprovalLink(link ?? '', approvalKey(stateDir), new Date());
    await runtime.engine.decideApproval({
      executionId: EXECUTION,
      approvalId,
      status: 'Approved',
      actor: alice,
    });
    await runtime.waitForExecution(EXECUTION);
    // Assess
    expect(executionId).toBe(EXECUTION);
    expect(resumed).toEqual([EXECUTION]);
    expect(before.approvals.map((a) => [a.approvalId, a.status])).toEqual([[approvalId, 'Pending']]);
    expect(check).toMatchObject({ ok: true, approvalId });
    const { view, records } = await readExecution(runtime.store, EXECUTION);
    expect(view.status).toBe('Succeeded');
    expect(askedAgain).toBe(0);
    expect(lines(join(markerDir, 'mark.txt'))).toHaveLength(1);
    expect(lines(join(markerDir, 'sleep.txt'))).toHaveLength(1);
    for (const [stage, action] of [
      ['Build', 'Mark'],
      ['Test', 'Sleep'],
      ['Approve', 'Release'],
    ] as const) {
      expect(attemptsOf(view, stage, action).map((a) => a.status)).toEqual(['Succeeded']);
    }
    expect(records.filter((r) => r.type === 'ActionStarted')).toHaveLength(3);
    expectWellFormed(records);
  });
});
