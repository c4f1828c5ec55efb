/**
 * The engine: a thin facade over Pipewright's use cases (`use-cases/*.ts`), each a plain
 * function over the {@link ExecutionLog} kernel: read and fold the execution's events, ask a
 * pure decider from core what happens, append with optimistic concurrency, then carry out the
 * commands (answer the waiting task, run an action, abort one). The same code runs in the
 * local runtime and in Lambda.
 *
 * @example
 * ```ts
 * const engine = createEngine({ store, orchestrator, artifacts, logs, providers, pipelines, workspaceRoot, projectDir });
 * sfn.registerHandler('pipewright-stage-gate', (p) => engine.handleStageGate(p));
 * sfn.registerHandler('pipewright-action-runner', (p) => engine.handleActionRunner(p));
 * const { executionId } = await engine.start({ pipeline: 'web-app' });
 * ```
 */
import {
  type ActionRef,
  type ExecutionView,
  type OrchestratorEnd,
  parseTaskPayload,
  type RetryStageInput,
  type StopInput,
  type TransitionChange,
  type TransitionDisable,
  type TransitionState,
} from '@pipewright/core';
import { createEngineContext, type EngineContext, type EngineOptions } from './engine-context.ts';
import { type ApprovalDecisionRequest, approve } from './use-cases/approve.ts';
import { type CompleteActionRequest, completeAction } from './use-cases/complete-action.ts';
import { finish, stageTask } from './use-cases/gate.ts';
import { recordOrchestratorEnd } from './use-cases/orchestrator-end.ts';
import { type OverrideConditionInput, overrideCondition } from './use-cases/override-condition.ts';
import { retryStage } from './use-cases/retry-stage.ts';
import { type RollbackStageInput, type RollbackStarted, rollbackStage } from './use-cases/rollback.ts';
import { runAction } from './use-cases/run-action.ts';
import { type SettleReport, settle } from './use-cases/settle.ts';
import { type StartRequest, start } from './use-cases/start.ts';
import { stop } from './use-cases/stop.ts';
import { disableTransition, enableTransition } from './use-cases/transitions.ts';

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

/** The use cases, bound to one context. Create with {@link createEngine}. */
export class Engine {
  readonly #ctx: EngineContext;

  constructor(options: EngineOptions) {
    this.#ctx = createEngineContext(options, async (gate) => {
      await stageTask(this.#ctx, gate);
    });
  }

  /** Starts an execution (see `use-cases/start.ts`). Throws `VariableResolutionError` for bad variables. */
  start(request: StartRequest): Promise<{ executionId: string }> {
    return start(this.#ctx, request);
  }

  /** The stage-gate function: gate, leave, stage failure and finish tasks. Returns the finish task's result. */
  async handleStageGate(raw: unknown): Promise<Record<string, unknown> | undefined> {
    const payload = parseTaskPayload(raw);
    if (payload.kind === 'action') await runAction(this.#ctx, payload);
    else if (payload.kind === 'finish') return finish(this.#ctx, payload);
    else await stageTask(this.#ctx, payload);
    return undefined;
  }

  /** The action-runner function: starts (or answers again for) one action task. */
  async handleActionRunner(raw: unknown): Promise<void> {
    await this.handleStageGate(raw);
  }

  /** Completes an action attempt that ended outside this process (see `use-cases/complete-action.ts`). */
  completeAction(input: CompleteActionRequest): Promise<void> {
    return completeAction(this.#ctx.log, input);
  }

  /** Records the end of an execution its state machine ended (see `use-cases/orchestrator-end.ts`). */
  recordOrchestratorEnd(executionId: string, end: OrchestratorEnd): Promise<ExecutionView> {
    return recordOrchestratorEnd(this.#ctx, executionId, end);
  }

  /**
   * Approves or rejects a pending approval (PutApprovalResult; see `use-cases/approve.ts`).
   * Throws `ExecutionStateError` when it is not pending (decided once) or expired.
   */
  async decideApproval(input: ApprovalDecisionRequest): Promise<{ ref: ActionRef; approvalId: string }> {
    const { ref, approvalId } = await approve(this.#ctx.log, input);
    return { ref, approvalId };
  }

  /** Answers the waiting action tasks of an execution whose attempts ended elsewhere; returns its view. */
  async settle(executionId: string): Promise<ExecutionView> {
    return (await settle(this.#ctx.log, executionId)).view;
  }

  /** {@link settle}, also naming the actions whose task had already closed (see `use-cases/settle.ts`). */
  settleReport(executionId: string): Promise<SettleReport> {
    return settle(this.#ctx.log, executionId);
  }

  /** Stops an execution (StopPipelineExecution; see `use-cases/stop.ts`). */
  stop(executionId: string, input: StopInput): Promise<ExecutionView> {
    return stop(this.#ctx, executionId, input);
  }

  /** Retries a failed stage (RetryStageExecution; see `use-cases/retry-stage.ts`). */
  retryStage(executionId: string, input: RetryStageInput): Promise<ExecutionView> {
    return retryStage(this.#ctx, executionId, input);
  }

  /** Disables a stage's inbound transition (DisableStageTransition; see `use-cases/transitions.ts`). */
  disableTransition(pipeline: string, input: TransitionDisable): Promise<TransitionState> {
    return disableTransition(this.#ctx, pipeline, input);
  }

  /** Enables a stage's inbound transition and wakes the gates waiting on it (EnableStageTransition). */
  enableTransition(pipeline: string, input: TransitionChange): Promise<TransitionState> {
    return enableTransition(this.#ctx, pipeline, input);
  }

  /** Rolls back a stage (RollbackStage; see `use-cases/rollback.ts`). */
  rollbackStage(pipeline: string, input: RollbackStageInput): Promise<RollbackStarted> {
    return rollbackStage(this.#ctx, pipeline, input);
  }

  /** Overrides a stage condition not decided yet (OverrideStageCondition; see `use-cases/override-condition.ts`). */
  overrideCondition(executionId: string, input: OverrideConditionInput): Promise<ExecutionView> {
    return overrideCondition(this.#ctx.log, executionId, input);
  }

  /** The execution's current view (folded from its events). */
  view(executionId: string): Promise<ExecutionView> {
    return this.#ctx.log.view(executionId);
  }

  /** Action executions this engine is running now. */
  running(): string[] {
    return [...this.#ctx.runs.ids()];
  }

  /** Aborts every running action (their providers end them and record the failure). */
  abortAll(reason: string): void {
    this.#ctx.runs.abortAll(reason);
  }

  /** Resolves when no action run of this engine is in flight. */
  idle(): Promise<void> {
    return this.#ctx.runs.idle();
  }
}
