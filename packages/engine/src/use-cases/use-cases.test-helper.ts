/**
 * A use-case harness for the engine's unit tests: the engine context over the in-memory
 * adapters of `@pipewright/engine/testing`, a clock that moves one second per reading, counted
 * ids, and task payloads as the compiled state machine sends them (token = the task's key).
 *
 * @example
 * ```ts
 * const h = await useCaseHarness(testPipeline([{ name: 'Build', actions: [fakeAction('Make')] }]));
 * const { executionId } = await start(h.ctx, { pipeline: 'p' });
 * await stageTask(h.ctx, h.gate(executionId, 'Build'));
 * ```
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type EventRecord,
  type ExecutionView,
  executionStream,
  type Pipeline,
  type TaskPayloadOf,
} from '@pipewright/core';
import type { ActionOutcome, ActionProvider, ActionRun } from '../action-provider.ts';
import { createEngineContext, type EngineContext, type EngineOptions } from '../engine-context.ts';
import { MemoryTaskTokens, taskKey } from '../ports/task-tokens.ts';
import {
  MemoryActionLogStore,
  MemoryArtifactStore,
  MemoryEventStore,
  RecordingOrchestrator,
} from '../testing/index.ts';
import { stageTask } from './gate.ts';

/** What a harness holds. */
export interface UseCaseHarness {
  ctx: EngineContext;
  store: MemoryEventStore;
  orchestrator: RecordingOrchestrator;
  tokens: MemoryTaskTokens;
  warnings: string[];
  /** Provider runs, in order. */
  runs: ActionRun[];
  gate(executionId: string, stage: string, attempt?: number): TaskPayloadOf<'gate'>;
  leave(executionId: string, stage: string, attempt?: number): TaskPayloadOf<'leave'>;
  stageFailed(executionId: string, stage: string, attempt?: number): TaskPayloadOf<'stageFailed'>;
  action(executionId: string, stage: string, action: string, attempt?: number): TaskPayloadOf<'action'>;
  /** Types of the execution's events, in order. */
  types(executionId: string): Promise<string[]>;
  records(executionId: string): Promise<EventRecord[]>;
  view(executionId: string): Promise<ExecutionView>;
  close(): Promise<void>;
}

/** A provider of `Build/Fake` (and `Approval/Manual`, which waits) answering with `outcome`. */
export function fakeProvider(
  outcome: (run: ActionRun) => ActionOutcome | Promise<ActionOutcome>,
  category: 'Build' | 'Approval' = 'Build',
): ActionProvider {
  return {
    categories: [category],
    provider: category === 'Approval' ? 'Manual' : 'Fake',
    run: async (r) => outcome(r),
  };
}

/** Runs until its attempt is aborted (stopped, timed out), then fails. */
export const runsUntilAborted = (run: ActionRun): Promise<ActionOutcome> =>
  new Promise((resolve) => {
    const failed = () => resolve({ status: 'Failed', error: { type: 'JobFailed', message: 'aborted' } });
    if (run.signal.aborted) failed();
    else run.signal.addEventListener('abort', failed);
  });

/** Succeeds at once, with no outputs. */
export const succeeds = (): Extract<ActionOutcome, { status: 'Succeeded' }> => ({
  status: 'Succeeded',
  outputArtifacts: [],
  outputVariables: {},
});

const harnesses: UseCaseHarness[] = [];

/** Builds a harness; `closeHarnesses()` in `afterEach` removes their workspaces. */
export async function useCaseHarness(
  pipeline: Pipeline,
  options: { providers?: ActionProvider[]; overrides?: Partial<EngineOptions> } = {},
): Promise<UseCaseHarness> {
  const store = new MemoryEventStore();
  const orchestrator = new RecordingOrchestrator();
  const tokens = new MemoryTaskTokens();
  const workspaceRoot = await mkdtemp(join(tmpdir(), 'pw-engine-unit-'));
  const warnings: string[] = [];
  const runs: ActionRun[] = [];
  let tick = 0;
  let ids = 0;
  const providers = (options.providers ?? [fakeProvider(succeeds)]).map(
    (p): ActionProvider => ({
      ...p,
      run: (r) => {
        runs.push(r);
        return p.run(r);
      },
    }),
  );
  const ctx: EngineContext = createEngineContext(
    {
      store,
      orchestrator,
      tokens,
      artifacts: new MemoryArtifactStore(),
      logs: new MemoryActionLogStore(),
      providers,
      pipelines: { get: () => pipeline },
      workspaceRoot,
      projectDir: () => workspaceRoot,
      now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)),
      newId: () => `id-${++ids}`,
      onWarning: (m) => warnings.push(m),
      ...options.overrides,
    },
    async (gate) => {
      await stageTask(ctx, gate);
    },
  );
  const staged = (executionId: string, stage: string, attempt: number) => ({
    pipeline: pipeline.name,
    executionId,
    stage,
    attempt,
  });
  const withToken = <T extends { executionId: string; kind: string; attempt: number }>(task: T) => ({
    ...task,
    taskToken: taskKey(task),
  });
  const records = (executionId: string) => store.read(executionStream(executionId));
  const h: UseCaseHarness = {
    ctx,
    store,
    orchestrator,
    tokens,
    warnings,
    runs,
    gate: (id, stage, attempt = 0) => withToken({ kind: 'gate', ...staged(id, stage, attempt) }),
    leave: (id, stage, attempt = 0) => withToken({ kind: 'leave', ...staged(id, stage, attempt) }),
    stageFailed: (id, stage, attempt = 0) =>
      withToken({
        kind: 'stageFailed',
        ...staged(id, stage, attempt),
        error: { Error: 'Pipewright.ActionFailed' },
      }),
    action: (id, stage, action, attempt = 0) =>
      withToken({ kind: 'action', ...staged(id, stage, attempt), action }),
    types: async (id) => (await records(id)).map((r) => r.type),
    records,
    view: (id) => ctx.log.view(id),
    close: () => rm(workspaceRoot, { recursive: true, force: true }),
  };
  harnesses.push(h);
  return h;
}

/** Removes the workspaces of every harness built so far. */
export async function closeHarnesses(): Promise<void> {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
}
