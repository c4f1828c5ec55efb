/**
 * What a decider returns: the events to append to the execution's stream and the commands
 * the shell carries out afterwards (reply to the waiting task, start or abort an action run).
 * Deciders are pure (XState's `transition`): the engine's use cases read, decide, append, act.
 *
 * @example
 * ```ts
 * const d: Decision = { events: [stageStarted({ executionId, at, stageName: 'Build', stageAttempt: 0 })], reply: enter };
 * ```
 */
import type { ExecutionEvent } from '../events/event-catalog.ts';
import type { NewEvent } from '../events/event-envelope.ts';
import type { Artifact } from '../events/event-parts.ts';
import type { Action } from '../model/pipeline.ts';

/** An execution-stream event before it is appended. @example `const e: NewExecutionEvent = stageStarted({ … })` */
export type NewExecutionEvent = NewEvent<ExecutionEvent>;

/**
 * The answer to the waiting task: its output on success, or an error and cause on failure
 * (Step Functions' SendTaskSuccess / SendTaskFailure).
 *
 * @example
 * ```ts
 * const r: TaskReply = { kind: 'failure', error: 'Pipewright.ActionFailed', cause: 'npm test exited with 1' };
 * ```
 */
export type TaskReply =
  | { kind: 'success'; output: Record<string, unknown> }
  | { kind: 'failure'; error: string; cause: string };

/** Identifies one action execution. @example `{ stageName: 'Build', actionName: 'Compile', stageAttempt: 0, attempt: 1, actionExecutionId: '7f0c:Build:Compile:0:1' }` */
export interface ActionRef {
  stageName: string;
  actionName: string;
  stageAttempt: number;
  attempt: number;
  actionExecutionId: string;
}

/**
 * An action the shell must run now: everything the provider needs, already decided.
 *
 * @example
 * ```ts
 * if (decision.run) await runProvider(decision.run);
 * ```
 */
export interface ActionToRun extends ActionRef {
  /** The action with its configuration's variables resolved. */
  action: Action;
  inputArtifacts: Artifact[];
  /** Variables visible to the action, by `Namespace.Name` (e.g. `SourceVariables.CommitId`, `variables.env`). */
  variables: Record<string, string>;
}

/**
 * A decider's result.
 *
 * @example
 * ```ts
 * const { events, reply, run, abort } = decideGate(view, pipeline, payload, { at });
 * ```
 */
export interface Decision {
  events: NewExecutionEvent[];
  /** Sent to the task that is waiting; absent when the task keeps waiting (an approval, a decision). */
  reply?: TaskReply;
  /** An action run to start. */
  run?: ActionToRun;
  /** Running action executions to abort (their stage failed or the execution stops). */
  abort?: string[];
  /** Start an automatic rollback of this failed stage (a ROLLBACK result engaged). */
  rollback?: { stageName: string; stageAttempt: number; reason: string };
}

/** The task error an action failure is reported with. @example `ACTION_FAILED_ERROR // 'Pipewright.ActionFailed'` */
export const ACTION_FAILED_ERROR = 'Pipewright.ActionFailed';

/**
 * How an action attempt ended, as the shell reports it to {@link decideActionOutcome}
 * (structurally the engine's `ActionOutcome`).
 *
 * @example
 * ```ts
 * const r: ActionResult = { status: 'Failed', error: { type: 'JobFailed', message: 'exit 1' } };
 * ```
 */
export type ActionResult =
  | {
      status: 'Succeeded';
      outputArtifacts: Artifact[];
      outputVariables: Record<string, string>;
      summary?: string;
      externalExecutionId?: string;
      externalExecutionUrl?: string;
    }
  | {
      status: 'Failed';
      error: { type: string; message: string };
      externalExecutionId?: string;
      externalExecutionUrl?: string;
    }
  | { status: 'Waiting'; summary?: string };
