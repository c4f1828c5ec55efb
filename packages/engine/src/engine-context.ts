/**
 * What the engine's use cases share: the {@link ExecutionLog} kernel, the options the engine
 * was built with, the action runs in flight, the stage locks and the gates waiting in this
 * process. Each use case (`use-cases/*.ts`) is a plain function of this context.
 *
 * @example
 * ```ts
 * const ctx = createEngineContext(options, (gate) => handleStageGate(ctx, gate));
 * await stop(ctx, executionId, { abandon: true, actor });
 * ```
 */
import type { ActionRef, EventRecord, EventStore, StageFailurePolicy, TaskPayloadOf } from '@pipewright/core';
import type { ActionProvider } from './action-provider.ts';
import { ActionRuns } from './action-runs.ts';
import { ExecutionLog, type PipelineSource } from './execution-log.ts';
import type { ActionLogStore } from './ports/action-log-store.ts';
import type { ArtifactStore } from './ports/artifact-store.ts';
import type { Orchestrator } from './ports/orchestrator.ts';
import type { TaskTokenStore } from './ports/task-tokens.ts';
import type { ApprovalRequest } from './run-action-attempt.ts';
import { StageConditionRunner } from './stage-conditions.ts';
import { StageLocks } from './stage-locks.ts';

/** What the engine is built from. @example `{ store, orchestrator, artifacts, logs, providers, pipelines, workspaceRoot, projectDir }` */
export interface EngineOptions {
  store: EventStore;
  orchestrator: Orchestrator;
  artifacts: ArtifactStore;
  logs: ActionLogStore;
  providers: readonly ActionProvider[];
  pipelines: PipelineSource;
  /** Directory under which each action attempt gets a fresh workspace. */
  workspaceRoot: string;
  /** The directory relative paths of a pipeline's configuration resolve against. */
  projectDir: (pipeline: string) => string;
  tokens?: TaskTokenStore;
  /** What happens to a failed stage nobody retries (default `wait`). */
  failurePolicy?: StageFailurePolicy;
  /** The clock (default: the system clock). */
  now?: () => Date;
  /** Ids for executions and approvals (default: random UUIDs). */
  newId?: () => string;
  /** Told about every batch of events appended, in order, per execution. */
  onEvents?: (records: readonly EventRecord[]) => void;
  /** Told when an approval waits (to print or send its link). */
  onApprovalRequested?: (request: ApprovalRequest) => void | Promise<void>;
  /** Told about every log write of every action, live. */
  onLog?: (
    ref: ActionRef & { executionId: string },
    stream: 'stdout' | 'stderr' | 'system',
    text: string,
  ) => void;
  /**
   * Apply execution modes (stage locks and queues in the pipeline's stream; default true).
   * A one-shot `pipewright run` turns them off: it runs its execution on its own.
   */
  executionModes?: boolean;
  /** Told about problems that do not stop the engine (a reply to a task that had closed). */
  onWarning?: (message: string) => void;
  /**
   * Told when an action's outcome could not be recorded or its task answered (the store or the
   * orchestrator kept failing). A Lambda rethrows it, so its task fails now instead of timing out.
   */
  onRunError?: (error: Error) => void;
  /**
   * Attempts in progress run elsewhere (AWS): a redelivered action task waits on instead of
   * declaring its attempt interrupted (core's `decideAction`). Default false (one process).
   */
  inProgressRunsElsewhere?: boolean;
}

/** The use cases' shared context. Built by {@link createEngineContext}. */
export interface EngineContext {
  readonly log: ExecutionLog;
  readonly options: EngineOptions;
  readonly runs: ActionRuns;
  readonly locks: StageLocks;
  /** false when execution modes (locks, queues, transitions) are off: a one-shot `pipewright run`. */
  readonly executionModes: boolean;
  /** Gates waiting for a stage lock in this process, by execution id. */
  readonly lockWaiters: Map<string, TaskPayloadOf<'gate'>>;
  /** Gates waiting at a disabled transition in this process, by execution id. */
  readonly transitionWaiters: Map<string, TaskPayloadOf<'gate'>>;
  readonly conditions: StageConditionRunner;
  /** Delivers a gate task again (the gate use case). */
  wake(gate: TaskPayloadOf<'gate'>): Promise<void>;
}

/**
 * Builds the context; `wake` delivers a gate again (the engine passes its gate use case).
 *
 * @example
 * ```ts
 * const ctx: EngineContext = createEngineContext(options, (gate) => handleStageGate(ctx, gate));
 * ```
 */
export function createEngineContext(
  options: EngineOptions,
  wake: (gate: TaskPayloadOf<'gate'>) => Promise<void>,
): EngineContext {
  const log = new ExecutionLog({
    store: options.store,
    pipelines: options.pipelines,
    orchestrator: options.orchestrator,
    ...pick(options, ['tokens', 'now', 'newId', 'onEvents', 'onWarning']),
  });
  return {
    log,
    options,
    runs: new ActionRuns(),
    locks: new StageLocks(options.store, () => log.at()),
    executionModes: options.executionModes !== false,
    lockWaiters: new Map(),
    transitionWaiters: new Map(),
    conditions: new StageConditionRunner({
      options,
      newId: () => log.newId(),
      view: (id) => log.view(id),
    }),
    wake,
  };
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
