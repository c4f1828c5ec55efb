import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPipelines, type Pipeline } from '@pipewright/core';
import { readExecution } from '@pipewright/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalRuntime } from './local-runtime.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'pw-runtime-'));
  dirs.push(d);
  return d;
}

function pipelineOf(yaml: string): Pipeline {
  const loaded = loadPipelines(yaml, { file: 'p.yaml' }).pipelines[0];
  if (!loaded) throw new Error('no pipeline');
  return loaded.pipeline;
}

const TWO_STAGES = `
name: smoke
variables:
  GREETING: hello
stages:
  - name: Build
    actions:
      - name: Make
        type: Build/Commands
        commands: ['mkdir -p out', 'echo "$PW_variables_GREETING" > out/greeting.txt']
        outputs: [{ name: Out, files: ['out/**'] }]
        outputVariables: [GREETING_SEEN]
        namespace: MakeVars
  - name: Test
    actions:
      - name: Check
        type: Test/Commands
        inputs: [Out]
        commands: ['grep -q hello out/greeting.txt']
      - name: Fail
        type: Test/Commands
        commands: ['echo "about to fail"', 'exit 3']
`;

describe('openLocalRuntime', () => {
  it('runs a pipeline to Failed with the failing action named, and folds to the same view it decided on', async () => {
    // Prepare
    const dir = await tempDir();
    const runtime = await openLocalRuntime({ stateDir: join(dir, '.pipewright'), failurePolicy: 'fail' });
    const pipeline = await runtime.addPipeline(pipelineOf(TWO_STAGES), dir);
    // Act
    const { executionId } = await runtime.engine.start({ pipeline: pipeline.name });
    const view = await runtime.waitForExecution(executionId);
    // Assess
    expect(view.status).toBe('Failed');
    const build = view.stages.find((s) => s.stageName === 'Build');
    expect(build?.status).toBe('Succeeded');
    const test = view.stages.find((s) => s.stageName === 'Test');
    expect(test?.status).toBe('Failed');
    expect(test?.actions.find((a) => a.actionName === 'Check')?.status).toBe('Succeeded');
    const fail = test?.actions.find((a) => a.actionName === 'Fail');
    expect(fail?.status).toBe('Failed');
    expect(fail?.attempts[0]?.error?.message).toContain('about to fail');
    const read = await readExecution(runtime.store, executionId);
    expect(read.view).toEqual(view);
    await runtime.close();
  });
});
