/**
 * Execution modes under load: 100 executions of one pipeline started at once, for each mode,
 * checked from the event log alone (docs/execution.md, CodePipeline's rules):
 * QUEUED — one execution in progress at a time, first in first out; SUPERSEDED — never two
 * executions in one stage, a superseded execution never goes on, the newest finishes;
 * PARALLEL — all finish; every mode — no start is lost.
 */
import {
  type Action,
  type EventRecord,
  type ExecutionMode,
  executionStream,
  foldExecution,
  type Pipeline,
  parseStoredEvent,
  pipelineStream,
  triggerStream,
} from '@pipewright/core';
import type { ActionProvider } from '@pipewright/engine';
import { TriggerDispatcher } from '@pipewright/local';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { openRuntimeWith } from '../support/local-runtimes.ts';
import { fakeAction, testPipeline } from '../support/pipelines.ts';

const EXECUTIONS = 100;
const cleanups = cleanupsAfter(afterEach);

const noop: ActionProvider = {
  categories: ['Build'],
  provider: 'Noop',
  async run() {
    await new Promise((done) => setTimeout(done, 1));
    return { status: 'Succeeded', outputArtifacts: [], outputVariables: {} };
  },
};

const NOOP = { category: 'Build', owner: 'Custom', provider: 'Noop', version: '1' } as const;
const action = (name: string): Action => fakeAction(name, 'Build', { actionTypeId: NOOP });

function pipelineIn(mode: ExecutionMode): Pipeline {
  return testPipeline(
    ['One', 'Two', 'Three'].map((name) => ({ name, actions: [action(`${name}Work`)] })),
    {
      name: `modes-${mode.toLowerCase()}`,
      executionMode: mode,
      triggers: [{ providerType: 'EventPattern', eventPattern: { pattern: { source: ['test.release'] } } }],
    },
  );
}

interface Run {
  executionId: string;
  records: EventRecord[];
}

/** Starts EXECUTIONS executions at once and returns every execution stream, read from the log. */
async function fire(mode: ExecutionMode): Promise<{ runs: Run[]; pipelineRecords: EventRecord[] }> {
  const { runtime, pipeline } = await openRuntimeWith(cleanups, 'pw-modes-', pipelineIn(mode), {
    providers: [noop],
  });
  // 100 triggers at once, through the same dispatcher serve uses (EventBridge-shaped events).
  const triggers = new TriggerDispatcher({
    store: runtime.store,
    pipelines: { get: (name) => (name === pipeline.name ? pipeline : undefined) },
    start: (r) =>
      runtime.engine.start({
        pipeline: r.pipeline,
        executionId: r.executionId,
        variables: r.variables,
        trigger: r.trigger,
        actor: r.actor,
      }),
  });
  const results = await Promise.all(
    Array.from({ length: EXECUTIONS }, (_, i) =>
      triggers.deliver(pipeline.name, {
        kind: 'event',
        triggerId: `release-${i}`,
        at: new Date().toISOString(),
        event: { id: `release-${i}`, source: 'test.release', 'detail-type': 'Release', detail: { n: i } },
      }),
    ),
  );
  const started = results.map((r) => ({ executionId: r.executionId ?? '' }));
  expect(started.filter((s) => s.executionId === '')).toEqual([]);
  await Promise.all(started.map(({ executionId }) => runtime.waitForExecution(executionId)));
  await runtime.engine.idle();
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await runtime.store.listExecutions(pipeline.name, {
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    ids.push(...page.executions.map((e) => e.executionId));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  const runs = await Promise.all(
    ids.map(async (executionId) => ({
      executionId,
      records: await runtime.store.read(executionStream(executionId)),
    })),
  );
  const pipelineRecords = await runtime.store.read(pipelineStream(pipeline.name));
  // Triggers have their own stream: the stream gates read holds none.
  expect(pipelineRecords.filter((r) => r.type === 'TriggerReceived')).toEqual([]);
  const received = await runtime.store.read(triggerStream(pipeline.name));
  expect(received.filter((r) => (r.data as { matched: boolean }).matched)).toHaveLength(EXECUTIONS);
  return { runs, pipelineRecords };
}

function statusOf(run: Run): string {
  return foldExecution(run.records.map((r) => parseStoredEvent(r))).status;
}

/** [start, end] in log order (global order: the `at` of events, then seq), per key. */
function intervals(
  runs: readonly Run[],
  startType: string,
  endTypes: readonly string[],
  key: (r: EventRecord) => string,
) {
  const out: { executionId: string; key: string; start: string; end: string }[] = [];
  for (const run of runs) {
    const open = new Map<string, string>();
    for (const r of run.records) {
      if (r.type === startType && !open.has(key(r))) open.set(key(r), r.at);
      if (endTypes.includes(r.type)) {
        const k = key(r);
        const start = open.get(k);
        if (start !== undefined) out.push({ executionId: run.executionId, key: k, start, end: r.at });
        open.delete(k);
      }
    }
  }
  return out;
}

function overlapping(list: { key: string; start: string; end: string }[]): number {
  let count = 0;
  const byKey = new Map<string, { start: string; end: string }[]>();
  for (const i of list) byKey.set(i.key, [...(byKey.get(i.key) ?? []), i]);
  for (const group of byKey.values()) {
    const sorted = [...group].sort((a, b) => (a.start < b.start ? -1 : 1));
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1];
      const cur = sorted[i];
      if (prev && cur && cur.start < prev.end) count++;
    }
  }
  return count;
}

describe('execution modes with 100 executions started at once', () => {
  it('PARALLEL: every execution runs and succeeds', async () => {
    const { runs } = await fire('PARALLEL');
    expect(runs).toHaveLength(EXECUTIONS);
    expect(runs.map(statusOf).filter((s) => s !== 'Succeeded')).toEqual([]);
  });

  it('QUEUED: one execution in progress at a time, first in first out, none lost', async () => {
    const { runs, pipelineRecords } = await fire('QUEUED');
    expect(runs).toHaveLength(EXECUTIONS);
    expect(runs.map(statusOf).filter((s) => s !== 'Succeeded')).toEqual([]);
    // One at a time: from entering the first stage to the end, no two executions overlap.
    const whole = intervals(
      runs,
      'StageStarted',
      ['ExecutionSucceeded', 'ExecutionFailed'],
      () => 'pipeline',
    );
    expect(whole).toHaveLength(EXECUTIONS);
    expect(overlapping(whole)).toBe(0);
    // First in, first out: the order locks were taken is the order executions queued.
    const queued = pipelineRecords
      .filter((r) => r.type === 'ExecutionQueued')
      .map((r) => (r.data as { pipelineExecutionId: string }).pipelineExecutionId);
    const acquired = pipelineRecords
      .filter((r) => r.type === 'StageLockAcquired')
      .map((r) => (r.data as { pipelineExecutionId: string }).pipelineExecutionId)
      .filter((id) => queued.includes(id));
    expect(acquired).toEqual(queued);
  });

  it('SUPERSEDED: never two executions in a stage, superseded ones never go on, the newest succeeds', async () => {
    const { runs, pipelineRecords } = await fire('SUPERSEDED');
    expect(runs).toHaveLength(EXECUTIONS);
    const statuses = runs.map(statusOf);
    expect(statuses.filter((s) => s !== 'Succeeded' && s !== 'Superseded')).toEqual([]);
    expect(statuses.filter((s) => s === 'Superseded').length).toBeGreaterThan(0);
    // Never two executions in one stage at the same time.
    const inStage = intervals(runs, 'StageStarted', ['StageSucceeded', 'StageFailed'], (r) =>
      String((r.data as { stageName: string }).stageName),
    );
    expect(overlapping(inStage)).toBe(0);
    // A superseded execution records nothing after ExecutionSuperseded.
    for (const run of runs) {
      const at = run.records.findIndex((r) => r.type === 'ExecutionSuperseded');
      if (at !== -1) expect(run.records.slice(at + 1).map((r) => r.type)).toEqual([]);
    }
    // Superseded is final in the pipeline stream too: once replaced, an execution never queues,
    // takes a lock or supersedes another again.
    const replaced = new Set<string>();
    for (const r of pipelineRecords) {
      const data = r.data as { pipelineExecutionId?: string; supersededBy?: string };
      if (r.type !== 'ExecutionDequeued' && r.type !== 'StageLockReleased') {
        expect(replaced.has(data.pipelineExecutionId ?? ''), `${r.type} of ${data.pipelineExecutionId}`).toBe(
          false,
        );
        expect(replaced.has(data.supersededBy ?? ''), `${r.type} by ${data.supersededBy}`).toBe(false);
      }
      if (r.type === 'InboundExecutionSuperseded' && data.pipelineExecutionId !== undefined)
        replaced.add(data.pipelineExecutionId);
    }
    // The newest execution (the last to queue in front of the first stage, or the last started) succeeds.
    const newest = [...runs].sort((a, b) => ((a.records[0]?.at ?? '') < (b.records[0]?.at ?? '') ? -1 : 1));
    const lastQueued = pipelineRecords.filter((r) => r.type === 'ExecutionQueued').at(-1);
    const winner =
      (lastQueued?.data as { pipelineExecutionId?: string } | undefined)?.pipelineExecutionId ??
      newest.at(-1)?.executionId;
    expect(statusOf(runs.find((r) => r.executionId === winner) as Run)).toBe('Succeeded');
  });
});
