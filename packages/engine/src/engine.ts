/**
 * The engine: Pipewright's use cases over ports. Each use case reads the execution's events,
 * folds them, asks a pure decider from core what happens, appends the decided events with
 * optimistic concurrency, and then carries out the commands (answer the waiting task, run
 * an action, abort one). The same code runs in the local runtime and in Lambda.
 *
 * @example
 * ```ts
 * const engine = createEngine({ store, orchestrator, artifacts, logs, providers, pipelines, workspaceRoot, projectDir });
 * sfn.registerHandler('pipewright-stage-gate', (p) => engine.handleStageGate(p));
 * sfn.registerHandler('pipewright-action-runner', (p) => engine.handleActionRunner(p));
 * const { executionId } = await engine.start({ pipeline: 'web-app' });
 * ```
 */
import { randomUUID } from 'node:crypto';
import {
  type ActionRef,
  type ActionToRun,
  ConcurrencyConflictError,
  type Decision,
  decideAction,
  decideActionOutcome,
  decideApproval,
  decideFinish,
  decideInProgress,
  decideOrchestratorEnd,
  decidePoll,
  decideStageEntry,
  decideStageExit,
  decideStageFailed,
  decideStart,
  decideStop,
  decideStopped,
  type EventActor,
  type EventRecord,
  type EventStore,
  type ExecutionTrigger,
  type ExecutionView,
  executionStream,
  executionSuperseded,
  foldExecution,
  foldExecutionFrom,
  isClosed,
  lockedStage,
  type OrchestratorEnd,
  type Pipeline,
  parseStoredEvent,
  parseTaskPayload,
  type RetryStageInput,
  replyFor,
  rollbackSkipsStage,
  type SourceRevision,
  type StageFailurePolicy,
  type StopInput,
  stageWaiting,
  type TaskPayload,
  type TaskPayloadOf,
  type TaskReply,
  type TransitionChange,
  type TransitionDisable,
  type TransitionState,
} from '@pipewright/core';
import type { ActionProvider } from './action-provider.ts';
import { BoundedMap } from './bounded-map.ts';
import { cancelAbandoned } from './cancel-abandoned.ts';
import { backOffAfterConflict } from './conflict-backoff.ts';
import { UnknownExecutionError } from './errors.ts';
import { OperatorControls } from './operator-controls.ts';
import type { ActionLogStore } from './ports/action-log-store.ts';
import type { ArtifactStore } from './ports/artifact-store.ts';
import type { Orchestrator, TaskSendResult } from './ports/orchestrator.ts';
import { MemoryTaskTokens, type TaskTokenStore, taskKey } from './ports/task-tokens.ts';
import type { ApprovalDecisionRequest } from './record-approval-decision.ts';
import { type RollbackStageInput, type RollbackStarted, Rollbacks } from './rollback.ts';
import {
  type ApprovalRequest,
  actionResultOf,
  type EndedOutcome,
  runActionAttempt,
} from './run-action-attempt.ts';
import { StageConditionRunner } from './stage-conditions.ts';
import { StageLocks } from './stage-locks.ts';

/** Where the engine finds a pipeline's definition (the version an execution runs). */
export interface PipelineSource {
  /** The definition of `version`, or the latest one without it. */
  get(name: string, version?: number): Pipeline | Promise<Pipeline>;
}

/** What the engine is built from. */
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

/** What starting an execution takes. */
export interface StartRequest {
  pipeline: string;
  /** Values of the pipeline's declared variables. */
  variables?: Record<string, string>;
  trigger?: ExecutionTrigger;
  actor?: EventActor;
  /** The execution id (default: a new UUID). Starting the same id twice starts it once. */
  executionId?: string;
  /** Revisions the source actions fetch instead of their branch's head (a webhook's commit). */
  sourceRevisions?: SourceRevision[];
}

/** What {@link Engine.settleReport} did. @example `{ view, closed: [{ stageName: 'Approve', actionName: 'Release' }] }` */
export interface SettleReport {
  view: ExecutionView;
  /** Actions whose answer found their task closed (timed out, stopped). */
  closed: { stageName: string; actionName: string }[];
}

/** An action attempt that ended elsewhere, and how. @example `{ pipeline: 'web-app', executionId: '7f0c', ref, outcome }` */
export interface CompleteActionRequest {
  pipeline: string;
  executionId: string;
  ref: ActionRef;
  outcome: EndedOutcome;
}

/**
 * Builds the engine.
 *
 * @example
 * ```ts
 * const engine = createEngine(options);
 * await engine.start({ pipeline: 'web-app', variables: { DEPLOY_ENV: 'prod' } });
 * ```
 */
export function createEngine(options: EngineOptions): Engine {
  return new Engine(options);
}

/** Executions whose view, pipeline and version the engine keeps in memory (the rest is read again). */
const CACHED_EXECUTIONS = 2_000;

/** The use cases. Create with {@link createEngine}. */
export class Engine {
  readonly #o: EngineOptions;
  readonly #tokens: TaskTokenStore;
  readonly #running = new Map<string, AbortController>();
  readonly #runs = new Map<string, { executionId: string; stage: string; done: Promise<void> }>();
  readonly #inflight = new Set<Promise<void>>();
  readonly #locks = new Map<string, Promise<unknown>>();
  readonly #views = new BoundedMap<string, ExecutionView>(CACHED_EXECUTIONS);
  readonly #pipelineOf = new BoundedMap<string, string>(CACHED_EXECUTIONS);
  readonly #versionOf = new BoundedMap<string, number>(CACHED_EXECUTIONS);
  readonly #locks2: StageLocks;
  /** Gates waiting for a stage lock, by execution id. */
  readonly #waitingGates = new Map<string, TaskPayloadOf<'gate'>>();
  /** Retry stage, disable / enable transitions, and the gate's transition step. */
  readonly #operator: OperatorControls;
  /** Runs the I/O rules of stage conditions (stage-conditions.ts). */
  readonly #conditions: StageConditionRunner;
  /** Manual and automatic stage rollbacks (rollback.ts). */
  readonly #rollbacks: Rollbacks;

  constructor(options: EngineOptions) {
    this.#o = options;
    this.#tokens = options.tokens ?? new MemoryTaskTokens();
    this.#locks2 = new StageLocks(options.store, () => this.#at());
    this.#operator = this.#operatorControls();
    this.#conditions = new StageConditionRunner({
      options,
      newId: () => this.#newId(),
      view: (id) => this.view(id),
    });
    this.#rollbacks = this.#rollbackControls();
  }

  /**
   * Starts an execution: records `PipelineExecutionStarted` (trigger, resolved variables)
   * and starts the state machine. Throws `VariableResolutionError` for bad variables.
   */
  async start(request: StartRequest): Promise<{ executionId: string }> {
    const pipeline = await this.#o.pipelines.get(request.pipeline);
    const executionId = request.executionId ?? this.#newId();
    this.#pipelineOf.set(executionId, pipeline.name);
    await this.#decide(executionId, pipeline.name, () =>
      decideStart({
        pipeline,
        pipelineVersion: pipeline.version ?? 1,
        executionId,
        at: this.#at(),
        trigger: request.trigger ?? { triggerType: 'StartPipelineExecution' },
        overrides: request.variables ?? {},
        ...(request.actor === undefined ? {} : { actor: request.actor }),
        ...(request.sourceRevisions === undefined ? {} : { sourceRevisions: request.sourceRevisions }),
      }),
    );
    await this.#o.orchestrator.startExecution({ pipeline: pipeline.name, executionId });
    return { executionId };
  }

  /** The stage-gate function: gate, leave, stage failure and finish tasks. Returns the finish task's result. */
  async handleStageGate(raw: unknown): Promise<Record<string, unknown> | undefined> {
    const payload = parseTaskPayload(raw);
    if (payload.kind === 'action') {
      await this.handleActionRunner(raw);
      return undefined;
    }
    const pipeline = await this.#definition(payload.executionId, payload.pipeline);
    this.#pipelineOf.set(payload.executionId, pipeline.name);
    const at = this.#at();
    if (payload.kind === 'finish') {
      const d = await this.#decide(payload.executionId, pipeline.name, (view) =>
        decideFinish(view, payload, { at }),
      );
      await this.#release(pipeline, payload.executionId, undefined, payload.attempt, 'Succeeded');
      return d.reply?.kind === 'success' ? d.reply.output : {};
    }
    await this.#tokens.put(taskKey(payload), payload.taskToken);
    if (payload.kind === 'stageFailed') {
      // As CodePipeline: actions of the stage still running finish (and record their
      // outcome) before the stage counts as failed; a FAILED_ACTIONS retry then reuses them.
      const same = [...this.#runs.values()].filter(
        (r) => r.executionId === payload.executionId && r.stage === payload.stage,
      );
      await Promise.allSettled(same.map((r) => r.done));
    }
    if (payload.kind === 'gate') {
      // A rollback execution skips the stages it does not roll back: no transition, no stage
      // lock (QUEUED still queues at the first stage: one execution in the pipeline at a time).
      const skips = rollbackSkipsStage(await this.view(payload.executionId), payload.stage);
      if (!skips && !(await this.#operator.passTransition(pipeline, payload))) return undefined;
      if ((!skips || pipeline.executionMode === 'QUEUED') && !(await this.#passLock(pipeline, payload)))
        return undefined;
    }
    // Stage conditions: their I/O rules run now; core evaluates the rest and records them.
    const inputs = await this.#conditions.inputs(pipeline, payload);
    const decidedAt = this.#at();
    const d = await this.#decide(payload.executionId, pipeline.name, (view) => {
      if (payload.kind === 'gate')
        return decideStageEntry(view, pipeline, payload, { at: decidedAt, ...inputs });
      if (payload.kind === 'leave')
        return decideStageExit(view, pipeline, payload, { at: decidedAt, ...inputs });
      return decideStageFailed(view, pipeline, payload, {
        at,
        running: new Set(this.#running.keys()),
        policy: this.#o.failurePolicy ?? 'wait',
        ...inputs,
      });
    });
    for (const id of d.abort ?? []) this.#running.get(id)?.abort(new Error('the stage failed'));
    const skipped = d.reply?.kind === 'success' && d.reply.output.decision === 'SKIP';
    if (
      pipeline.executionMode === 'SUPERSEDED' &&
      ((payload.kind === 'leave' && d.reply?.kind !== 'failure') || (payload.kind === 'gate' && skipped))
    ) {
      await this.#release(
        pipeline,
        payload.executionId,
        payload.stage,
        payload.attempt,
        skipped ? 'Skipped' : 'Succeeded',
      );
    } else if (payload.kind === 'stageFailed') {
      // As CodePipeline: a failure releases the lock, so later executions are not held up.
      await this.#release(pipeline, payload.executionId, undefined, payload.attempt, 'Failed');
    }
    await this.#reply(payload, d.reply);
    if (payload.kind === 'stageFailed' && d.rollback !== undefined)
      await this.#rollbacks.afterStageFailed(pipeline, payload, d.rollback);
    return undefined;
  }

  /** The action-runner function: starts (or answers again for) one action task. */
  async handleActionRunner(raw: unknown): Promise<void> {
    const payload = parseTaskPayload(raw);
    if (payload.kind !== 'action') {
      await this.handleStageGate(raw);
      return;
    }
    const pipeline = await this.#definition(payload.executionId, payload.pipeline);
    this.#pipelineOf.set(payload.executionId, pipeline.name);
    await this.#tokens.put(taskKey(payload), payload.taskToken);
    const { progress } = payload;
    if (progress !== undefined) {
      // A poll of a long wait (docs/execution.md): the attempt goes on, no new ActionStarted.
      const at = this.#at();
      const d = await this.#decide(payload.executionId, pipeline.name, (view) =>
        decidePoll(view, pipeline, { ...payload, progress }, { at }),
      );
      if (d.run !== undefined && !this.#running.has(d.run.actionExecutionId))
        this.#startRun(pipeline, payload, d.run, progress.state);
      await this.#reply(payload, d.reply);
      return;
    }
    const rollbackTarget = await this.#conditions.rollbackTarget(await this.view(payload.executionId));
    const at = this.#at();
    const d = await this.#decide(payload.executionId, pipeline.name, (view) =>
      decideAction(view, pipeline, payload, {
        at,
        running: new Set(this.#running.keys()),
        ...(this.#o.inProgressRunsElsewhere === true ? { inProgressRunsElsewhere: true } : {}),
        ...(rollbackTarget === undefined ? {} : { rollbackTarget }),
      }),
    );
    if (d.run !== undefined) this.#startRun(pipeline, payload, d.run);
    await this.#reply(payload, d.reply);
  }

  /**
   * Completes an action attempt that ended outside this process — a CodeBuild build's state
   * change event in AWS, where the runner only started the build: records the outcome and
   * answers the action's task. A duplicate delivery, or an attempt that already ended,
   * changes nothing.
   *
   * @example
   * ```ts
   * await engine.completeAction({ pipeline: 'web-app', executionId, ref, outcome: { status: 'Succeeded', outputArtifacts: [], outputVariables: {} } });
   * ```
   */
  async completeAction(input: CompleteActionRequest): Promise<void> {
    const { executionId, ref } = input;
    const pipeline = await this.#definition(executionId, input.pipeline);
    this.#pipelineOf.set(executionId, pipeline.name);
    const result = actionResultOf(input.outcome);
    const at = this.#at();
    const d = await this.#decide(executionId, pipeline.name, (view) => {
      const attempt = view.stages
        .find((s) => s.stageName === ref.stageName)
        ?.actions.find((a) => a.actionName === ref.actionName)
        ?.attempts.find((a) => a.stageAttempt === ref.stageAttempt && a.attempt === ref.attempt);
      // Only the attempt that started the work may complete it (a stale build of an older attempt may not).
      if (attempt === undefined || attempt.actionExecutionId !== ref.actionExecutionId) return { events: [] };
      return decideActionOutcome(view, pipeline, ref, result, { at });
    });
    await this.#reply(
      {
        executionId,
        kind: 'action',
        stage: ref.stageName,
        action: ref.actionName,
        attempt: ref.stageAttempt,
      },
      d.reply,
    );
  }

  /**
   * Records the end of an execution whose state machine ended without the engine recording it
   * (Step Functions' "Execution Status Change": FAILED, TIMED_OUT, ABORTED), and releases its
   * stage locks so a queue behind it moves on. An end already recorded changes nothing.
   *
   * @example
   * ```ts
   * await engine.recordOrchestratorEnd('7f0c', { status: 'FAILED', error: 'Lambda.Unknown', cause: '…' });
   * ```
   */
  async recordOrchestratorEnd(executionId: string, end: OrchestratorEnd): Promise<ExecutionView> {
    const pipelineName = await this.#pipelineNameOf(executionId);
    const pipeline = await this.#definition(executionId, pipelineName);
    const at = this.#at();
    await this.#decide(executionId, pipelineName, (view) => decideOrchestratorEnd(view, end, { at }));
    const view = await this.view(executionId);
    // Released whenever the execution has ended, not only when this call recorded the end: a
    // redelivery after a crash between the two still frees the queue (releasing is idempotent).
    if (view.endedAt !== undefined) {
      const attempt = Math.max(0, ...view.stages.map((s) => s.stageAttempt));
      await this.#release(
        pipeline,
        executionId,
        undefined,
        attempt,
        end.status === 'ABORTED' ? 'Stopped' : 'Failed',
      );
    }
    return view;
  }

  /**
   * Approves or rejects a pending approval (PutApprovalResult). Throws `ExecutionStateError`
   * when it is not pending (decided once) or expired.
   */
  async decideApproval(input: ApprovalDecisionRequest): Promise<{ ref: ActionRef; approvalId: string }> {
    const pipelineName = await this.#pipelineNameOf(input.executionId);
    const at = this.#at();
    let decided: ReturnType<typeof decideApproval> | undefined;
    await this.#decide(input.executionId, pipelineName, (view) => {
      decided = decideApproval(view, input, { at });
      return decided;
    });
    if (decided === undefined) throw new UnknownExecutionError(input.executionId);
    await this.#reply(
      {
        executionId: input.executionId,
        kind: 'action',
        stage: decided.ref.stageName,
        action: decided.ref.actionName,
        attempt: decided.ref.stageAttempt,
      },
      decided.reply,
    );
    return { ref: decided.ref, approvalId: decided.approval.approvalId };
  }

  /**
   * Answers the waiting action tasks of an execution whose attempts ended elsewhere (an
   * approval decided by another process). Returns the execution's view.
   */
  async settle(executionId: string): Promise<ExecutionView> {
    return (await this.settleReport(executionId)).view;
  }

  /**
   * {@link settle}, also naming the actions whose task had already closed when their answer was
   * sent — Step Functions answers `TaskTimedOut` once a task timed out or its execution stopped:
   * the decision is in the log, but the execution does not continue from it.
   *
   * @example
   * ```ts
   * const { closed } = await engine.settleReport(executionId);
   * if (closed.length > 0) console.log('the pipeline stopped waiting for', closed);
   * ```
   */
  async settleReport(executionId: string): Promise<SettleReport> {
    const pipelineName = await this.#pipelineNameOf(executionId);
    const view = await this.#lockFor(executionId, () => this.#refresh(executionId, pipelineName));
    const closed: SettleReport['closed'] = [];
    for (const stage of view.stages) {
      for (const action of stage.actions) {
        const last = action.attempts.at(-1);
        const reply = replyFor(last);
        if (last === undefined || reply === undefined) continue;
        const task = {
          executionId,
          kind: 'action',
          stage: stage.stageName,
          action: action.actionName,
          attempt: last.stageAttempt,
        };
        if ((await this.#tokens.get(taskKey(task))) === undefined) continue;
        if ((await this.#reply(task, reply)) === 'closed')
          closed.push({ stageName: stage.stageName, actionName: action.actionName });
      }
    }
    return { view, closed };
  }

  /**
   * Stops an execution (StopPipelineExecution): records the request, aborts its running
   * actions when abandoning, stops the state machine, and records `ExecutionStopped` once
   * nothing runs any more. Throws `ExecutionStateError` when it already ended.
   */
  async stop(executionId: string, input: StopInput): Promise<ExecutionView> {
    const pipelineName = await this.#pipelineNameOf(executionId);
    const d = await this.#decide(executionId, pipelineName, (view) =>
      decideStop(view, input, { at: this.#at() }),
    );
    for (const id of d.abort ?? []) this.#running.get(id)?.abort(new Error('the execution was stopped'));
    await this.#o.orchestrator.stopExecution({
      executionId,
      error: 'Pipewright.Stopped',
      cause: input.reason ?? `stopped by ${input.actor.id}`,
    });
    const mine = [...this.#runs.values()].filter((r) => r.executionId === executionId);
    await Promise.allSettled(mine.map((r) => r.done));
    const stopped = await this.#decide(executionId, pipelineName, (view) =>
      decideStopped(view, { at: this.#at() }),
    );
    this.#waitingGates.delete(executionId);
    const pipeline = await this.#definition(executionId, pipelineName);
    await cancelAbandoned({
      providers: this.#o.providers,
      pipeline,
      view: await this.view(executionId),
      events: [...d.events, ...stopped.events],
      ...(this.#o.onWarning === undefined ? {} : { onWarning: this.#o.onWarning }),
    });
    await this.#release(pipeline, executionId, undefined, 0, 'Stopped');
    return this.view(executionId);
  }

  /**
   * Retries a failed stage (RetryStageExecution): records `StageRetried` with the actor and
   * answers the stage's waiting `S.failed` task (RETRY_FAILED_ACTIONS | RETRY_ALL_ACTIONS).
   * With a locking execution mode it first takes again the lock the failure released
   * (SUPERSEDED: the stage's; QUEUED: the first stage's). Throws `ExecutionStateError` when
   * the retry is not allowed (core's `decideRetryStage`, `decideRetryLock`) or the failed
   * stage is not waiting for a decision in this process.
   */
  retryStage(executionId: string, input: RetryStageInput): Promise<ExecutionView> {
    return this.#operator.retryStage(executionId, input);
  }

  /**
   * Disables a stage's inbound transition (DisableStageTransition): records
   * `TransitionDisabled` with the actor and reason; executions reaching the stage's gate then
   * wait there (`StageWaiting`, gate `Transition`). Throws `ExecutionStateError` for an
   * unknown stage or a missing or too long reason.
   */
  disableTransition(pipeline: string, input: TransitionDisable): Promise<TransitionState> {
    return this.#operator.disableTransition(pipeline, input);
  }

  /**
   * Enables a stage's inbound transition (EnableStageTransition): records `TransitionEnabled`
   * and wakes the gates waiting on it, oldest first, each through the execution mode's lock
   * again; in SUPERSEDED mode only the newest goes on and older ones are superseded. Throws
   * `ExecutionStateError` for an unknown stage.
   */
  enableTransition(pipeline: string, input: TransitionChange): Promise<TransitionState> {
    return this.#operator.enableTransition(pipeline, input);
  }

  /**
   * Rolls back a stage (RollbackStage): starts a new `ROLLBACK` execution (trigger
   * `ManualRollback`) that runs only that stage, with the input artifacts, variables and source
   * revisions of the target — `targetExecutionId`, or else the latest standard execution of the
   * current pipeline version in which the stage succeeded. Throws `ExecutionStateError` when
   * refused (PARALLEL mode, the source stage, an unknown stage, no such earlier success, a
   * target that is a rollback, ran another version or where the stage did not succeed) and
   * `UnknownExecutionError` for a target the log does not hold.
   */
  rollbackStage(pipeline: string, input: RollbackStageInput): Promise<RollbackStarted> {
    return this.#rollbacks.rollbackStage(pipeline, input);
  }

  #rollbackControls(): Rollbacks {
    return new Rollbacks({
      store: this.#o.store,
      pipeline: async (name) => this.#o.pipelines.get(name),
      start: async (pipeline, executionId, decide) => {
        // Started already (a redelivered stage failure's automatic rollback): once only.
        if ((await this.#o.store.version(executionStream(executionId))) > 0) return;
        this.#pipelineOf.set(executionId, pipeline.name);
        await this.#decide(executionId, pipeline.name, () => decide());
        await this.#o.orchestrator.startExecution({ pipeline: pipeline.name, executionId });
      },
      decide: (id, name, decide) => this.#decide(id, name, decide),
      reply: async (task, reply) => {
        await this.#reply(task, reply);
      },
      at: () => this.#at(),
      newId: () => this.#newId(),
      warn: (message) => this.#warn(message),
    });
  }

  #operatorControls(): OperatorControls {
    return new OperatorControls({
      store: this.#o.store,
      tokens: this.#tokens,
      executionModes: this.#o.executionModes !== false,
      pipeline: async (name) => this.#o.pipelines.get(name),
      pipelineNameOf: (id) => this.#pipelineNameOf(id),
      view: (id) => this.view(id),
      decide: (id, name, decide) => this.#decide(id, name, decide),
      reply: async (task, reply) => {
        await this.#reply(task, reply);
      },
      release: (...args) => this.#release(...args),
      supersede: (...args) => this.#supersede(...args),
      lockFor: (key, work) => this.#lockFor(key, work),
      wake: (gate) => this.handleStageGate(gate),
      at: () => this.#at(),
      warn: (message) => this.#warn(message),
    });
  }

  /** true when the gate may go on; false while it waits for the lock or was superseded. */
  async #passLock(pipeline: Pipeline, payload: TaskPayloadOf<'gate'>): Promise<boolean> {
    if (this.#o.executionModes === false || lockedStage(pipeline, payload.stage) === undefined) return true;
    const { executionId } = payload;
    const view = await this.view(executionId);
    if (isClosed(view)) return false;
    const decision = await this.#lockFor(`pipeline:${pipeline.name}`, () =>
      this.#locks2.acquire(pipeline, {
        executionId,
        stageName: payload.stage,
        stageAttempt: payload.attempt,
        startedAt: view.startedAt ?? this.#at(),
      }),
    );
    if (decision.kind === 'superseded') {
      await this.#supersede(pipeline, executionId, decision.by, payload.stage);
      return false;
    }
    for (const older of decision.superseded)
      await this.#supersede(pipeline, older, executionId, payload.stage);
    if (decision.kind === 'enter') {
      this.#waitingGates.delete(executionId);
      return true;
    }
    this.#waitingGates.set(executionId, payload);
    const at = this.#at();
    // A newer execution may have superseded this one meanwhile: then it records nothing more.
    await this.#decide(executionId, pipeline.name, (current) => ({
      events: isClosed(current)
        ? []
        : [
            stageWaiting({
              executionId,
              at,
              stageName: payload.stage,
              stageAttempt: payload.attempt,
              gate: 'Lock',
              reason: `execution ${decision.holder} holds the stage (${pipeline.executionMode})`,
              lockHolder: decision.holder,
            }),
          ],
    }));
    // Another process (another Lambda) may have released the lock between our acquire and the
    // StageWaiting above, and found no waiting gate to wake: ask once more.
    const again = await this.#lockFor(`pipeline:${pipeline.name}`, () =>
      this.#locks2.acquire(pipeline, {
        executionId,
        stageName: payload.stage,
        stageAttempt: payload.attempt,
        startedAt: view.startedAt ?? this.#at(),
      }),
    );
    if (again.kind === 'superseded') {
      await this.#supersede(pipeline, executionId, again.by, payload.stage);
      return false;
    }
    for (const older of again.superseded) await this.#supersede(pipeline, older, executionId, payload.stage);
    if (again.kind !== 'enter' || this.#waitingGates.get(executionId) !== payload) return false;
    this.#waitingGates.delete(executionId);
    return true;
  }

  /** Ends an execution that a newer one replaced in front of a stage (SUPERSEDED). */
  async #supersede(pipeline: Pipeline, executionId: string, by: string, stageName: string): Promise<void> {
    this.#waitingGates.delete(executionId);
    const at = this.#at();
    await this.#decide(executionId, pipeline.name, (view) => ({
      events:
        view.endedAt === undefined
          ? [executionSuperseded({ executionId, at, supersededBy: by, stageName })]
          : [],
    }));
    await this.#o.orchestrator.stopExecution({
      executionId,
      error: 'Pipewright.Superseded',
      cause: `superseded by ${by} in front of ${stageName}`,
    });
  }

  /** Releases locks and wakes the execution waiting next, if this engine holds its gate. */
  async #release(
    pipeline: Pipeline,
    executionId: string,
    stageName: string | undefined,
    stageAttempt: number,
    reason: string,
  ): Promise<void> {
    if (this.#o.executionModes === false || pipeline.executionMode === 'PARALLEL') return;
    const next = await this.#lockFor(`pipeline:${pipeline.name}`, () =>
      this.#locks2.release(pipeline, {
        executionId,
        ...(stageName === undefined ? {} : { stageName }),
        stageAttempt,
        reason,
      }),
    );
    if (next === undefined) return;
    const gate = this.#waitingGates.get(next) ?? (await this.#waitingGateFromLog(pipeline.name, next));
    if (gate === undefined) return;
    this.#waitingGates.delete(gate.executionId);
    // Not awaited (the caller may hold locks the woken gate needs), but tracked: `idle()` waits
    // for it, so a Lambda does not freeze before the woken gate is answered.
    this.#track(
      this.handleStageGate(gate).then(
        () => undefined,
        (e: Error) => this.#warn(`waking ${gate.executionId} at ${gate.stage}: ${e.message}`),
      ),
    );
  }

  /** Work started in the background that `idle()` waits for. */
  #track(work: Promise<void>): void {
    this.#inflight.add(work);
    void work.finally(() => this.#inflight.delete(work));
  }

  /**
   * The gate an execution waits at for a stage lock, rebuilt from its log and the task token
   * store: where the gate's task is held by another process (each Lambda is one), the releasing
   * process still wakes it.
   */
  async #waitingGateFromLog(
    pipeline: string,
    executionId: string,
  ): Promise<TaskPayloadOf<'gate'> | undefined> {
    this.#pipelineOf.set(executionId, pipeline);
    const view = await this.view(executionId);
    const stage = view.stages.find((s) => s.waiting?.gate === 'Lock');
    if (stage === undefined || isClosed(view)) return undefined;
    const task = { executionId, kind: 'gate', stage: stage.stageName, attempt: stage.stageAttempt } as const;
    const taskToken = await this.#tokens.get(taskKey(task));
    return taskToken === undefined ? undefined : { ...task, pipeline, taskToken };
  }

  /** The execution's current view (folded from its events). */
  async view(executionId: string): Promise<ExecutionView> {
    const pipelineName = await this.#pipelineNameOf(executionId);
    return this.#lockFor(executionId, () => this.#refresh(executionId, pipelineName));
  }

  /** Action executions this engine is running now. */
  running(): string[] {
    return [...this.#running.keys()];
  }

  /** Aborts every running action (their providers end them and record the failure). */
  abortAll(reason: string): void {
    for (const controller of this.#running.values()) controller.abort(new Error(reason));
  }

  /** Resolves when no action run of this engine is in flight. */
  async idle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  #startRun(
    pipeline: Pipeline,
    payload: Extract<TaskPayload, { kind: 'action' }>,
    run: ActionToRun,
    progress?: Record<string, unknown>,
  ): void {
    const controller = new AbortController();
    this.#running.set(run.actionExecutionId, controller);
    const promise = (async () => {
      try {
        const { result, approval, inProgress } = await runActionAttempt({
          pipeline,
          executionId: payload.executionId,
          run,
          signal: controller.signal,
          options: this.#o,
          newId: () => this.#newId(),
          ...(progress === undefined ? {} : { progress }),
        });
        const at = this.#at();
        if (inProgress !== undefined) {
          // The provider's long wait goes on: the state machine waits, then polls (decidePoll).
          const d = await this.#decide(payload.executionId, pipeline.name, (view) =>
            decideInProgress(view, run, inProgress, { at }),
          );
          this.#running.delete(run.actionExecutionId);
          await this.#reply(payload, d.reply);
          return;
        }
        const d = await this.#decide(payload.executionId, pipeline.name, (view) =>
          decideActionOutcome(view, pipeline, run, result, {
            at,
            ...(approval === undefined ? {} : { approvalId: approval.approvalId }),
          }),
        );
        this.#running.delete(run.actionExecutionId);
        const requested = d.events.find((e) => e.type === 'ApprovalRequested');
        if (
          requested !== undefined &&
          requested.type === 'ApprovalRequested' &&
          this.#o.onApprovalRequested
        ) {
          await this.#o.onApprovalRequested({
            pipeline: pipeline.name,
            executionId: payload.executionId,
            approvalId: requested.data.approvalId,
            stageName: run.stageName,
            actionName: run.actionName,
            expiresAt: requested.data.expiresAt,
            ...(requested.data.customData === undefined ? {} : { customData: requested.data.customData }),
            ...(requested.data.externalEntityLink === undefined
              ? {}
              : { externalEntityLink: requested.data.externalEntityLink }),
          });
        }
        await this.#reply(payload, d.reply);
      } catch (e) {
        this.#warn(
          `action ${run.stageName}/${run.actionName} of ${payload.executionId}: ${(e as Error).message}`,
        );
        this.#o.onRunError?.(e instanceof Error ? e : new Error(String(e)));
      } finally {
        this.#running.delete(run.actionExecutionId);
      }
    })();
    this.#inflight.add(promise);
    this.#runs.set(run.actionExecutionId, {
      executionId: payload.executionId,
      stage: run.stageName,
      done: promise,
    });
    void promise.finally(() => {
      this.#inflight.delete(promise);
      if (this.#runs.get(run.actionExecutionId)?.done === promise) this.#runs.delete(run.actionExecutionId);
    });
  }

  async #reply(
    task: { executionId: string; kind: string; stage?: string; action?: string; attempt: number },
    reply: TaskReply | undefined,
  ): Promise<TaskSendResult | undefined> {
    if (reply === undefined) return undefined;
    const key = taskKey(task);
    const token = await this.#tokens.get(key);
    if (token === undefined) return undefined;
    const { orchestrator } = this.#o;
    const sent =
      reply.kind === 'success'
        ? await orchestrator.sendTaskSuccess(token, reply.output)
        : await orchestrator.sendTaskFailure(token, reply.error, reply.cause);
    if ((await this.#tokens.get(key)) === token) await this.#tokens.delete(key);
    if (sent === 'closed') this.#warn(`the ${task.kind} task of ${task.executionId} had already closed`);
    return sent;
  }

  /** Read, decide, append (retrying on a concurrent append), under the execution's in-process lock. */
  async #decide(
    executionId: string,
    pipelineName: string,
    decide: (view: ExecutionView) => Decision,
  ): Promise<Decision> {
    return this.#lockFor(executionId, async () => {
      let redecided = false;
      for (let round = 0; ; round++) {
        const view = await this.#refresh(executionId, pipelineName);
        const decision = decide(view);
        if (decision.events.length === 0) return decision;
        try {
          const result = await this.#o.store.append(executionStream(executionId), decision.events, {
            expectedVersion: view.lastSeq,
            pipeline: pipelineName,
          });
          if (result.appended.length > 0) this.#o.onEvents?.(result.appended);
          // Every event was already stored: another process may have made this very decision
          // first (a redelivered task) — its commands are that process's. Decide once more on
          // the log that now holds them; a decision that only repeats facts stands.
          if (result.appended.length === 0 && result.duplicates.length > 0 && !redecided) {
            redecided = true;
            continue;
          }
          return decision;
        } catch (e) {
          if (e instanceof ConcurrencyConflictError && (await backOffAfterConflict(round))) continue;
          throw e;
        }
      }
    });
  }

  /** The view, brought up to date with the events appended since it was last read. */
  async #refresh(executionId: string, pipelineName: string): Promise<ExecutionView> {
    let view = this.#views.get(executionId);
    if (view === undefined) {
      const pipeline = await this.#definition(executionId, pipelineName);
      view = foldExecution([], pipeline);
    }
    const records = await this.#o.store.read(executionStream(executionId), { fromSeq: view.lastSeq + 1 });
    if (records.length > 0)
      view = foldExecutionFrom(
        view,
        records.map((r) => parseStoredEvent(r)),
      );
    this.#views.set(executionId, view);
    return view;
  }

  /** The definition version the execution runs (recorded when it started), so a changed file never changes a running execution. */
  async #definition(executionId: string, pipelineName: string): Promise<Pipeline> {
    let version = this.#versionOf.get(executionId);
    if (version === undefined) {
      const [first] = await this.#o.store.read(executionStream(executionId), { limit: 1 });
      const recorded = (first?.data as { pipelineVersion?: unknown } | undefined)?.pipelineVersion;
      if (typeof recorded === 'number') {
        version = recorded;
        this.#versionOf.set(executionId, version);
      }
    }
    return this.#o.pipelines.get(pipelineName, version);
  }

  async #pipelineNameOf(executionId: string): Promise<string> {
    const known = this.#pipelineOf.get(executionId);
    if (known !== undefined) return known;
    const [first] = await this.#o.store.read(executionStream(executionId), { limit: 1 });
    if (first === undefined) throw new UnknownExecutionError(executionId);
    const name = (first.data as { pipelineName?: unknown }).pipelineName;
    if (typeof name !== 'string') throw new UnknownExecutionError(executionId);
    this.#pipelineOf.set(executionId, name);
    return name;
  }

  async #lockFor<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.#locks.set(key, settled);
    void settled.then(() => {
      if (this.#locks.get(key) === settled) this.#locks.delete(key);
    });
    return next;
  }

  #at(): string {
    return (this.#o.now?.() ?? new Date()).toISOString();
  }

  #newId(): string {
    return this.#o.newId?.() ?? randomUUID();
  }

  #warn(message: string): void {
    this.#o.onWarning?.(message);
  }
}
