import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConcurrencyConflictError,
  type EventStore,
  executionStream,
  type Pipeline,
  pipelineStream,
  type TriggerDelivery,
  triggerReceived,
  triggerStream,
} from '@pipewright/core';
import { TriggerDispatcher, type TriggeredStart, UnknownPipelineError } from '@pipewright/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../event-store/sqlite-event-store.ts';

const AT = '2026-01-02T03:04:05.000Z';

const PIPELINE: Pipeline = {
  name: 'web-app',
  executionMode: 'QUEUED',
  pipelineType: 'V2',
  variables: [{ name: 'ENV', defaultValue: 'dev' }],
  triggers: [
    {
      providerType: 'CodeStarSourceConnection',
      gitConfiguration: { sourceActionName: 'Checkout', push: [{ branches: { includes: ['main'] } }] },
    },
    { providerType: 'Schedule', schedule: { expression: 'rate(1 hour)', variables: { ENV: 'nightly' } } },
  ],
  stages: [
    {
      name: 'Source',
      actions: [
        {
          name: 'Checkout',
          actionTypeId: {
            category: 'Source',
            owner: 'AWS',
            provider: 'CodeStarSourceConnection',
            version: '1',
          },
          runOrder: 1,
          configuration: { FullRepositoryId: 'acme/web', BranchName: 'main' },
          inputArtifacts: [],
          outputArtifacts: [{ name: 'Src' }],
        },
      ],
    },
  ],
};

const push = (ref: string, triggerId = 'delivery-1'): TriggerDelivery => ({
  kind: 'git',
  provider: 'github',
  triggerId,
  at: AT,
  event: { kind: 'push', repository: 'acme/web', ref, commitId: 'abc1234' },
});

let dir: string;
let store: SqliteEventStore;
let starts: TriggeredStart[];
let ids: number;

/**
 * A start that records the call and begins the execution's stream as the engine and its state
 * machine do: the start event, then the first stage's (the state machine runs).
 */
function recordingStart(target: EventStore) {
  return async (request: TriggeredStart) => {
    starts.push(request);
    await target.append(
      executionStream(request.executionId),
      [
        {
          id: `${request.executionId}:PipelineExecutionStarted`,
          type: 'PipelineExecutionStarted',
          at: AT,
          data: {},
        },
        { id: `${request.executionId}:StageStarted`, type: 'StageStarted', at: AT, data: {} },
      ],
      { expectedVersion: 'any', pipeline: request.pipeline },
    );
  };
}

function dispatcher(overrides: Partial<ConstructorParameters<typeof TriggerDispatcher>[0]> = {}) {
  return new TriggerDispatcher({
    store,
    pipelines: { get: (name) => (name === PIPELINE.name ? PIPELINE : undefined) },
    start: recordingStart(store),
    newId: () => `exec-${++ids}`,
    ...overrides,
  });
}

/** The test's store with another `append` (to make a race happen where the test wants it). */
function withAppend(append: EventStore['append']): EventStore {
  return {
    read: (s, o) => store.read(s, o),
    version: (s) => store.version(s),
    head: (s) => store.head(s),
    find: (s, id) => store.find(s, id),
    listExecutions: (p, o) => store.listExecutions(p, o),
    close: async () => undefined,
    append,
  };
}

async function triggerEvents() {
  return (await store.read(triggerStream(PIPELINE.name))).filter((e) => e.type === 'TriggerReceived');
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pw-triggers-'));
  store = SqliteEventStore.open(join(dir, 'events.db'));
  starts = [];
  ids = 0;
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('TriggerDispatcher', () => {
  it('records a matched delivery and starts its execution', async () => {
    // Act
    const result = await dispatcher().deliver('web-app', push('refs/heads/main'));

    // Assess
    expect(result).toEqual({
      triggerId: 'delivery-1',
      matched: true,
      reason: 'push to branch "main" (abc1234) matches git trigger 1 (source action "Checkout")',
      executionId: 'exec-1',
    });
    expect(starts).toEqual([
      {
        pipeline: 'web-app',
        executionId: 'exec-1',
        variables: {},
        trigger: { triggerType: 'WebhookV2', triggerDetail: 'github:acme/web@refs/heads/main' },
        actor: { kind: 'trigger', id: 'github' },
        sourceRevisions: [{ actionName: 'Checkout', revisionId: 'abc1234' }],
      },
    ]);
    const [recorded] = await triggerEvents();
    expect(recorded).toMatchObject({
      id: 'web-app:delivery-1:TriggerReceived',
      data: { triggerId: 'delivery-1', matched: true, pipelineExecutionId: 'exec-1' },
    });
  });

  it('answers a redelivery with the recorded result and starts nothing more', async () => {
    const d = dispatcher();
    const first = await d.deliver('web-app', push('refs/heads/main'));
    const again = await d.deliver('web-app', push('refs/heads/main'));
    expect(again).toEqual({ ...first, duplicate: true });
    expect(starts).toHaveLength(1);
    expect(await triggerEvents()).toHaveLength(1);
  });

  it('answers a delivery recorded in the pipeline stream by an older version, and starts nothing', async () => {
    // Prepare: a log written before triggers had their own stream
    const old = triggerReceived({
      pipelineName: 'web-app',
      at: AT,
      triggerId: 'delivery-1',
      trigger: { triggerType: 'WebhookV2' },
      matched: true,
      reason: 'recorded before',
      pipelineExecutionId: 'exec-old',
    });
    await store.append(pipelineStream('web-app'), [old], { expectedVersion: 0 });
    await recordingStart(store)({
      pipeline: 'web-app',
      executionId: 'exec-old',
      variables: {},
      trigger: { triggerType: 'WebhookV2' },
      actor: { kind: 'trigger', id: 'github' },
    });
    starts.length = 0;
    // Act
    const again = await dispatcher().deliver('web-app', push('refs/heads/main'));
    // Assess
    expect(again).toEqual({
      triggerId: 'delivery-1',
      matched: true,
      reason: 'recorded before',
      executionId: 'exec-old',
      duplicate: true,
    });
    expect(starts).toEqual([]);
    expect(await triggerEvents()).toEqual([]);
  });

  it('records a filtered-out delivery with its reason and starts nothing', async () => {
    const result = await dispatcher().deliver('web-app', push('refs/heads/feature/x'));
    expect(result).toEqual({
      triggerId: 'delivery-1',
      matched: false,
      reason:
        'push to branch "feature/x" (abc1234): branch "feature/x" is not included by push filter 1 (includes: main)',
    });
    expect(starts).toHaveLength(0);
    const [recorded] = await triggerEvents();
    expect(recorded?.data).toMatchObject({ matched: false, reason: result.reason });
  });

  it('starts a recorded execution that never began when the delivery comes again', async () => {
    // Prepare: the first start fails after the record (as if the process died)
    const failing = dispatcher({
      start: async () => {
        throw new Error('crashed');
      },
    });
    await expect(failing.deliver('web-app', push('refs/heads/main'))).rejects.toThrow('crashed');

    // Act
    const again = await dispatcher().deliver('web-app', push('refs/heads/main'));

    // Assess
    expect(again).toMatchObject({ matched: true, executionId: 'exec-1', duplicate: true });
    expect(starts.map((s) => s.executionId)).toEqual(['exec-1']);
    expect(await triggerEvents()).toHaveLength(1);
  });

  it('starts again an execution whose start event is recorded but whose state machine never started', async () => {
    // Prepare: the start records its event, then StartExecution fails (the trigger function's
    // invocation fails and EventBridge delivers again).
    const failing = dispatcher({
      start: async (request) => {
        starts.push(request);
        await store.append(
          executionStream(request.executionId),
          [
            {
              id: `${request.executionId}:PipelineExecutionStarted`,
              type: 'PipelineExecutionStarted',
              at: AT,
              data: {},
            },
          ],
          { expectedVersion: 'any', pipeline: request.pipeline },
        );
        throw new Error('StartExecution: ThrottlingException');
      },
    });
    await expect(failing.deliver('web-app', push('refs/heads/main'))).rejects.toThrow('ThrottlingException');
    // Act
    const again = await dispatcher().deliver('web-app', push('refs/heads/main'));
    const third = await dispatcher().deliver('web-app', push('refs/heads/main'));
    // Assess: asked to start once more (the engine's start is idempotent by id), then never again.
    expect(again).toMatchObject({ matched: true, executionId: 'exec-1', duplicate: true });
    expect(third).toMatchObject({ duplicate: true });
    expect(starts.map((s) => s.executionId)).toEqual(['exec-1', 'exec-1']);
  });

  it('passes the schedule trigger variables on', async () => {
    await dispatcher().deliver('web-app', {
      kind: 'schedule',
      triggerId: 'web-app:rate(1 hour):2026-01-02T04:00:00.000Z',
      at: '2026-01-02T04:00:00.000Z',
      expression: 'rate(1 hour)',
    });
    expect(starts[0]).toMatchObject({ variables: { ENV: 'nightly' }, trigger: { triggerType: 'Schedule' } });
  });

  it('retries when its record of the delivery loses a race to another writer', async () => {
    // Prepare: a store whose first append loses the race (DynamoDB, after its own retries of
    // conflicting transactions, answers a conflict)
    let conflicts = 1;
    const racing = withAppend(async (stream, events, options) => {
      if (stream.startsWith('triggers-') && conflicts-- > 0) {
        await store.append(stream, [{ id: 'other', type: 'Other', at: AT, data: {} }], {
          expectedVersion: 'any',
        });
        throw new ConcurrencyConflictError(stream, 0, 1);
      }
      return store.append(stream, events, options);
    });

    // Act
    const result = await dispatcher({ store: racing, start: recordingStart(store) }).deliver(
      'web-app',
      push('refs/heads/main'),
    );

    // Assess
    expect(result.executionId).toBe('exec-2');
    expect(starts).toHaveLength(1);
    expect(await triggerEvents()).toHaveLength(1);
  });

  it('delivers many copies of one delivery at once as one trigger', async () => {
    const d = dispatcher();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => d.deliver('web-app', push('refs/heads/main'))),
    );
    expect(new Set(results.map((r) => r.executionId)).size).toBe(1);
    expect(starts).toHaveLength(1);
    expect(await triggerEvents()).toHaveLength(1);
  });

  it('records one trigger and starts one execution when two dispatchers deliver one id at once', async () => {
    // Prepare: two processes (two dispatchers, their own execution ids) over one store, held at
    // their first record so that both decide before either records: the race of two trigger
    // functions receiving the same webhook delivery.
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothDecided = new Promise<void>((resolve) => {
      release = resolve;
    });
    const gated = withAppend(async (stream, events, options) => {
      if (!stream.startsWith('execution-') && arrived < 2) {
        arrived += 1;
        if (arrived === 2) release();
        await bothDecided;
      }
      return store.append(stream, events, options);
    });
    const one = dispatcher({ store: gated, newId: () => 'exec-one' });
    const two = dispatcher({ store: gated, newId: () => 'exec-two' });

    // Act
    const results = await Promise.all([
      one.deliver('web-app', push('refs/heads/main')),
      two.deliver('web-app', push('refs/heads/main')),
    ]);

    // Assess: both decided (both reached the record), one recorded, and the other answers its result.
    expect(arrived).toBe(2);
    expect(new Set(results.map((r) => r.executionId)).size).toBe(1);
    expect(results.filter((r) => r.duplicate === true)).toHaveLength(1);
    expect(new Set(starts.map((s) => s.executionId))).toEqual(new Set([results[0]?.executionId]));
    expect(await triggerEvents()).toHaveLength(1);
  });

  it('counts bus events no trigger can take instead of recording them, and records a match', async () => {
    // Prepare: the pipeline also takes release events; the local bus hands it every state-change event.
    const releases: Pipeline = {
      ...PIPELINE,
      triggers: [
        ...PIPELINE.triggers,
        { providerType: 'EventPattern', eventPattern: { pattern: { source: ['acme.releases'] } } },
      ],
    };
    const d = dispatcher({ pipelines: { get: () => releases } });
    const busEvent = (id: string, source: string): TriggerDelivery => ({
      kind: 'event',
      triggerId: id,
      at: AT,
      event: { id, source, 'detail-type': 'Release', detail: {} },
    });

    // Act
    const misses = await Promise.all(
      ['s-1', 's-2', 's-3'].map((id) =>
        d.deliver('web-app', busEvent(id, 'aws.codepipeline'), { countMisses: true }),
      ),
    );
    const hit = await d.deliver('web-app', busEvent('r-1', 'acme.releases'), { countMisses: true });

    // Assess: only the match is in the stream; the misses are counted with the last reason.
    expect(misses.every((m) => !m.matched && m.executionId === undefined)).toBe(true);
    expect(hit).toMatchObject({ matched: true, executionId: 'exec-1' });
    expect(starts.map((s) => s.executionId)).toEqual(['exec-1']);
    expect((await triggerEvents()).map((e) => e.id)).toEqual(['web-app:r-1:TriggerReceived']);
    expect(d.missedDeliveries('web-app')).toEqual([
      {
        pipeline: 'web-app',
        source: 'events:aws.codepipeline/Release',
        count: 3,
        firstAt: AT,
        lastAt: AT,
        lastTriggerId: 's-3',
        lastReason: misses[2]?.reason,
      },
    ]);
    expect(misses[2]?.reason).toContain('the event pattern of trigger 3 does not match');
    expect(d.missedDeliveries('other')).toEqual([]);
  });

  it('refuses an unknown pipeline', async () => {
    await expect(dispatcher().deliver('nope', push('refs/heads/main'))).rejects.toBeInstanceOf(
      UnknownPipelineError,
    );
  });
});
