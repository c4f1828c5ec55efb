/**
 * In AWS every function invocation may land in another container: nothing one engine holds in
 * memory reaches the next. Here each state machine task goes to one of three independent
 * function runtimes in turn (separate engines and caches over one DynamoDB Local table), and the
 * execution modes still hold: QUEUED runs executions one at a time, first in first out, and a
 * gate waiting for the lock is woken by whichever runtime releases it; SUPERSEDED lets the newest
 * execution through and ends the ones it replaced.
 */
import {
  actionRunnerHandler,
  callbackHandler,
  type FunctionRuntime,
  openFunctionRuntime,
  S3ActionLogStore,
  stageGateHandler,
} from '@pipewright/aws';
import { compilePipeline, executionStream, type Pipeline } from '@pipewright/core';
import type { Engine } from '@pipewright/engine';
import { LocalOrchestrator } from '@pipewright/local';
import { LocalStepFunctions } from '@pipewright/states';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../packages/aws/src/testing/local-dynamodb.ts';
import { type LocalS3, startLocalS3 } from '../../packages/aws/src/testing/local-s3.ts';
import { fakeAction as action, testPipeline } from '../support/pipelines.ts';
import { poll } from '../support/poll.ts';
import { FakeProvider, SUCCEEDED } from '../support/test-providers.ts';

const RESOURCES = { actionRunner: 'runner', stageGate: 'gate' };

let dynamo: LocalDynamoDb;
let s3local: LocalS3;
beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
  s3local = await startLocalS3();
});
afterAll(async () => {
  await dynamo.close();
  await s3local.close();
});

async function deployed(pipeline: Pipeline, fake = new FakeProvider(), deliveries = 1) {
  const tableName = await dynamo.createEventTable();
  const bucket = await s3local.createBucket();
  const sfn = new LocalStepFunctions();
  const orchestrator = new LocalOrchestrator(sfn);
  orchestrator.register(pipeline.name, compilePipeline(pipeline, { resources: RESOURCES }));
  const runtimes: FunctionRuntime[] = [];
  for (let i = 0; i < 3; i++)
    runtimes.push(
      await openFunctionRuntime({
        env: { tableName, pipelinesDir: '/nonexistent' },
        dynamodb: dynamo.client(),
        orchestrator,
        pipelines: [pipeline],
      }),
    );
  const engines = runtimes.map((r) =>
    r.engine({ logs: new S3ActionLogStore({ client: s3local.client(), bucket }), providers: [fake] }),
  );
  const runners = engines.map((engine) => actionRunnerHandler(async () => ({ engine })));
  const gates = engines.map((engine) => stageGateHandler(async () => ({ engine })));
  let next = 0;
  const pick = <T>(list: T[]): T => list[next++ % list.length] as T;
  // Each task delivered `deliveries` times at once, each time to the next runtime (another container).
  const deliver =
    <T>(handlers: ((payload: unknown) => Promise<T>)[]) =>
    async (payload: unknown): Promise<T> => {
      const results = await Promise.all(
        Array.from({ length: deliveries }, () => pick(handlers)(structuredClone(payload))),
      );
      return results[0] as T;
    };
  sfn.registerHandler(RESOURCES.actionRunner, deliver(runners));
  sfn.registerHandler(RESOURCES.stageGate, deliver(gates));
  return { runtimes, engines, orchestrator, store: runtimes[0]?.store };
}

const stages = [
  { name: 'Build', actions: [action('Make')] },
  { name: 'Test', actions: [action('Check', 'Test')] },
  { name: 'Deploy', actions: [action('Ship', 'Deploy')] },
];

describe('execution modes across function runtimes', () => {
  it('QUEUED: one execution at a time, first in first out, each woken by whichever runtime releases the lock', async () => {
    // Prepare
    const { engines, orchestrator, store } = await deployed(
      testPipeline(stages, { executionMode: 'QUEUED' }),
    );
    // Act: three starts, each through another runtime.
    const ids: string[] = [];
    for (const [i, engine] of engines.entries()) {
      ids.push((await engine.start({ pipeline: 'p', executionId: `q-${i}` })).executionId);
      await new Promise((r) => setTimeout(r, 20));
    }
    const ends = await Promise.all(ids.map((id) => orchestrator.waitForExecution(id)));
    // Assess
    expect(ends.map((d) => d.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const spans: { id: string; start: string; end: string }[] = [];
    for (const id of ids) {
      const records = (await store?.read(executionStream(id))) ?? [];
      expect(records.at(-1)?.type).toBe('ExecutionSucceeded');
      const first = records.find((r) => r.type === 'StageStarted');
      spans.push({ id, start: first?.at ?? '', end: records.at(-1)?.at ?? '' });
    }
    for (let i = 1; i < spans.length; i++) {
      // FIFO and no overlap: each starts its first stage after the previous one ended.
      expect((spans[i]?.start ?? '') >= (spans[i - 1]?.end ?? '')).toBe(true);
    }
  });

  it('SUPERSEDED: the newest execution goes through, the ones it replaced end Superseded', async () => {
    // Prepare: the first execution holds Build until released.
    const pipeline = testPipeline(stages, { executionMode: 'SUPERSEDED' });
    const { engines, orchestrator, store } = await deployed(pipeline);
    // Act
    const ids: string[] = [];
    for (const [i, engine] of engines.entries())
      ids.push((await engine.start({ pipeline: 'p', executionId: `s-${i}` })).executionId);
    const ends = await Promise.all(ids.map((id) => orchestrator.waitForExecution(id).catch(() => undefined)));
    // Assess: the newest succeeds; none of the others goes on after being superseded.
    const last = (await store?.read(executionStream(ids.at(-1) ?? ''))) ?? [];
    expect(last.at(-1)?.type).toBe('ExecutionSucceeded');
    for (const id of ids) {
      const records = (await store?.read(executionStream(id))) ?? [];
      const superseded = records.findIndex((r) => r.type === 'ExecutionSuperseded');
      if (superseded >= 0)
        expect(records.slice(superseded + 1).filter((r) => r.type === 'ActionStarted')).toEqual([]);
    }
    expect(ends.length).toBe(3);
  });

  it('a state machine stopped outside Pipewright is recorded from its status event, and the queue behind it moves on', async () => {
    // Prepare: the first execution's build never ends; the second queues behind it.
    const fake = new FakeProvider({
      Make: (run) => (run.executionId === 'stuck' ? { status: 'Waiting' } : SUCCEEDED),
    });
    const { engines, orchestrator, store } = await deployed(
      testPipeline(stages, { executionMode: 'QUEUED' }),
      fake,
    );
    const [first, second, third] = engines;
    await first?.start({ pipeline: 'p', executionId: 'stuck' });
    await poll(
      async () => (await store?.read(executionStream('stuck')))?.map((r) => r.type) ?? [],
      (types) => types.includes('ActionStarted'),
    );
    await second?.start({ pipeline: 'p', executionId: 'next' });
    const callback = callbackHandler(async () => ({
      engine: third as Engine,
      completion: async () => undefined,
    }));
    // Act: someone stops the state machine in the console; Step Functions reports it.
    await orchestrator.stopExecution({
      executionId: 'stuck',
      error: 'Console',
      cause: 'stopped by an operator',
    });
    const statusEvent = {
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      detail: {
        name: 'stuck',
        status: 'ABORTED',
        stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:p',
      },
    };
    const result = await callback(statusEvent);
    const again = await callback(statusEvent);
    const next = await orchestrator.waitForExecution('next');
    // Assess
    expect(result).toEqual({ ended: 'stuck', status: 'Stopped' });
    expect(again).toEqual({ ended: 'stuck', status: 'Stopped' });
    const stuck = (await store?.read(executionStream('stuck'))) ?? [];
    expect(stuck.filter((r) => r.type === 'ExecutionStopped')).toHaveLength(1);
    expect(next.status).toBe('SUCCEEDED');
  });

  it('a task delivered twice at once, to two functions, runs its action once (the second waits on)', async () => {
    // Prepare: the build takes a moment, so both deliveries meet it in progress.
    const fake = new FakeProvider({
      Make: async () => {
        await new Promise((r) => setTimeout(r, 50));
        return SUCCEEDED;
      },
    });
    const { engines, orchestrator, store } = await deployed(
      testPipeline(stages, { executionMode: 'PARALLEL' }),
      fake,
      2,
    );
    // Act
    await engines[0]?.start({ pipeline: 'p', executionId: 'twice' });
    const end = await orchestrator.waitForExecution('twice');
    // Assess
    expect(end.status).toBe('SUCCEEDED');
    expect(fake.calls.get('Make')).toBe(1);
    const records = (await store?.read(executionStream('twice'))) ?? [];
    expect(records.filter((r) => r.type === 'ActionStarted')).toHaveLength(3);
    expect(records.filter((r) => r.type === 'ActionFailed')).toEqual([]);
  });
});
