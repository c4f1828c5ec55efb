import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Pipeline, pipelineExecutionStarted } from '@pipewright/core';
import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { type ActionProvider, type ApprovalRequest, readExecution } from '@pipewright/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalRuntime, openLocalRuntime } from './local-runtime.ts';

const dirs: string[] = [];
const runtimes: LocalRuntime[] = [];
afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const providers: ActionProvider[] = [
  {
    categories: ['Build'],
    provider: 'Fake',
    async run() {
      return { status: 'Succeeded', outputArtifacts: [], outputVariables: {} };
    },
  },
  {
    categories: ['Approval'],
    provider: 'Manual',
    async run() {
      return { status: 'Waiting' };
    },
  },
];

/** Build, then an approval; QUEUED, so one execution at a time holds the pipeline. */
const PIPELINE: Pipeline = testPipeline(
  [
    { name: 'Build', actions: [fakeAction('Make', 'Build')] },
    { name: 'Approve', actions: [fakeAction('Release', 'Approval')] },
  ],
  { executionMode: 'QUEUED' },
);

async function open(dir: string, onApprovalRequested?: (r: ApprovalRequest) => void): Promise<LocalRuntime> {
  const runtime = await openLocalRuntime({
    stateDir: join(dir, '.pipewright'),
    providers,
    ...(onApprovalRequested === undefined ? {} : { onApprovalRequested }),
  });
  runtimes.push(runtime);
  await runtime.addPipeline(PIPELINE, dir);
  return runtime;
}

/** Simulates `kill -9`: the state machines vanish without a word, the database is left as it is. */
async function crash(runtime: LocalRuntime): Promise<void> {
  runtime.orchestrator.sfn.dispose();
  runtimes.splice(runtimes.indexOf(runtime), 1);
  await runtime.store.close();
}

function waitFor<T>(register: (resolve: (value: T) => void) => void): Promise<T> {
  return new Promise(register);
}

describe('LocalRuntime.resumeOpenExecutions', () => {
  it('fails an open execution whose state machine never started or had ended, saying why, and frees its lock', async () => {
    // Prepare: e1 holds the pipeline at its approval, e2 waits for it (QUEUED)
    const dir = await mkdtemp(join(tmpdir(), 'pw-resume-'));
    dirs.push(dir);
    let asked: (r: ApprovalRequest) => void = () => undefined;
    const first = await open(dir, (r) => asked(r));
    const e1Waits = waitFor<ApprovalRequest>((resolve) => {
      asked = resolve;
    });
    await first.engine.start({ pipeline: 'p', executionId: 'e1' });
    await e1Waits;
    await first.engine.start({ pipeline: 'p', executionId: 'e2' });
    await waitFor<void>((resolve) => {
      const poll = async () =>
        (await first.engine.view('e2')).stages[0]?.status === 'NotStarted' &&
        (await first.store.read('execution-e2')).some((r) => r.type === 'StageWaiting')
          ? resolve()
          : setTimeout(poll, 10);
      void poll();
    });
    // e1's state machine ends without the engine hearing of it; e3 is logged but never started
    await first.orchestrator.sfn.stopExecution({
      executionArn: first.store.journal.read('e1').executionArn ?? '',
      error: 'Test.Lost',
      cause: 'lost',
    });
    await first.store.append(
      'execution-e3',
      [
        pipelineExecutionStarted({
          executionId: 'e3',
          at: new Date().toISOString(),
          pipelineName: 'p',
          pipelineExecutionId: 'e3',
          pipelineVersion: 1,
          executionMode: 'QUEUED',
          executionType: 'STANDARD',
          trigger: { triggerType: 'StartPipelineExecution' },
          variables: [],
          sourceRevisions: [],
        }),
      ],
      { expectedVersion: 0, pipeline: 'p' },
    );
    await crash(first);
    const e2Waits = waitFor<ApprovalRequest>((resolve) => {
      asked = resolve;
    });
    // Act
    const second = await open(dir, (r) => asked(r));
    const resumed = await second.resumeOpenExecutions();
    const again = await second.resumeOpenExecutions();
    const request = await e2Waits;
    // Assess
    expect(resumed).toEqual(['e2']);
    expect(again).toEqual([]);
    expect(request.executionId).toBe('e2');
    const e1 = await readExecution(second.store, 'e1');
    expect(e1.view.status).toBe('Failed');
    expect(e1.records.at(-1)?.data).toMatchObject({
      error: {
        code: 'ResumeFailed',
        message: expect.stringMatching(
          /execution e1 could not be resumed .*already ended \(ExecutionAborted: Test.Lost lost\)/,
        ),
      },
    });
    const e3 = await readExecution(second.store, 'e3');
    expect(e3.view.status).toBe('Failed');
    expect(e3.records.at(-1)?.data).toMatchObject({
      error: { message: expect.stringContaining('its state machine history is missing') },
    });
  });

  it('gives back a finished execution as finished when it is started again after a restart', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'pw-resume-'));
    dirs.push(dir);
    const first = await open(dir, (r) => {
      void first.engine.decideApproval({
        executionId: r.executionId,
        status: 'Approved',
        actor: { kind: 'user', id: 'a' },
      });
    });
    await first.engine.start({ pipeline: 'p', executionId: 'done' });
    await first.waitForExecution('done');
    await crash(first);
    const second = await open(dir);
    // Act
    const resumed = await second.resumeOpenExecutions();
    await second.engine.start({ pipeline: 'p', executionId: 'done' });
    const view = await second.waitForExecution('done');
    // Assess
    expect(resumed).toEqual([]);
    expect(view.status).toBe('Succeeded');
    expect(
      await second.orchestrator.sfn.describeExecution({
        executionArn: second.store.journal.read('done').executionArn ?? '',
      }),
    ).toMatchObject({ status: 'SUCCEEDED' });
  });
});
