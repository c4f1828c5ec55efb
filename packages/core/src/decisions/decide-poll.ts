/**
 * Polling a long wait (docs/execution.md, "Long waits"): an action whose provider answers
 * "in progress, poll again" is re-invoked by the state machine after a Wait state, with the
 * provider's small state. These pure functions decide what such a poll does and how long the
 * next Wait lasts, so a deployment of three days never waits inside one function call.
 *
 * @example
 * ```ts
 * const d = decidePoll(view, pipeline, payload, { at });
 * if (d.run) await provider.run({ ...run, progress: payload.progress.state });
 * pollDelaySeconds({ requestedSeconds: 15, elapsedSeconds: 3600, remainingSeconds: 7200 }); // 360
 * ```
 */
import { fnv1a32 } from '../compiler/state-names.ts';
import { actionTimeoutSeconds } from '../compiler/timeouts.ts';
import { actionFailed, actionProgress } from '../events/action-events.ts';
import type { Pipeline } from '../model/pipeline.ts';
import type { ExecutionView } from '../projections/execution-view.ts';
import type { DecisionContext } from './decide-stage-boundary.ts';
import { isClosed } from './decide-stage-boundary.ts';
import { ACTION_FAILED_ERROR, type ActionToRun, type Decision } from './decision.ts';
import { actionNamed, attemptsIn, replyFor, stageNamed, visibleVariables } from './execution-lookup.ts';
import type { TaskPayloadOf } from './task-payload.ts';

/** The progress a poll carries: the attempt it belongs to and the provider's own state. @example `{ actionExecutionId: '7f0c:Deploy:Stack:0:1', state: { phase: 'stack' } }` */
export type PollProgress = NonNullable<TaskPayloadOf<'action'>['progress']>;

/** Largest provider state a poll may carry (it travels in the state machine's payload). */
export const MAX_PROGRESS_STATE_BYTES = 8 * 1024;
/** Longest Wait between two polls: keeps a 7-day wait under Step Functions' 25,000 history events. */
export const MAX_POLL_DELAY_SECONDS = 600;

/** A poll's decision: what {@link decideAction} gives, plus when the attempt started. */
export interface PollDecision extends Decision {
  /** When the attempt being polled started (its timeout counts from there). */
  startedAt?: string;
}

/**
 * Decides a poll of an action's long wait:
 * - the attempt already ended (a duplicate delivery, an answer from elsewhere): its reply again;
 * - the payload names another attempt than the current one: a failure (the loop is stale);
 * - the execution is closed (stopped): nothing;
 * - the action's timeout (CodePipeline's, e.g. 3 days for CloudFormation) has passed since the
 *   attempt started: `ActionFailed` (JobFailed) and a failure reply;
 * - otherwise the attempt to poll, rebuilt from its `ActionStarted` (resolved configuration,
 *   input artifacts) — no new event.
 *
 * @example
 * ```ts
 * decidePoll(view, pipeline, { ...payload, progress: { actionExecutionId, state } }, { at: '2026-01-04T00:00:00Z' });
 * ```
 */
export function decidePoll(
  view: ExecutionView,
  pipeline: Pipeline,
  payload: TaskPayloadOf<'action'> & { progress: PollProgress },
  ctx: DecisionContext,
): PollDecision {
  const stage = stageNamed(pipeline, payload.stage);
  const action = actionNamed(stage, payload.action);
  const current = attemptsIn(view, stage.name, action.name, payload.attempt).at(-1);
  const ended = replyFor(current);
  if (ended !== undefined) return { events: [], reply: ended };
  if (current === undefined || current.actionExecutionId !== payload.progress.actionExecutionId) {
    const cause = `the poll of ${stage.name}/${action.name} belongs to attempt ${payload.progress.actionExecutionId}, which is not the action's current attempt; retry the stage`;
    return { events: [], reply: { kind: 'failure', error: ACTION_FAILED_ERROR, cause } };
  }
  if (isClosed(view)) return { events: [] };
  const timeout = actionTimeoutSeconds(action);
  const elapsed = (Date.parse(ctx.at) - Date.parse(current.startedAt)) / 1000;
  if (elapsed >= timeout) {
    const message = `the action did not finish within ${timeout / 60} minutes (its timeout, counted from ${current.startedAt}); the work it started may still be running in AWS: check it there, then retry the stage`;
    const event = actionFailed({
      executionId: view.pipelineExecutionId,
      at: ctx.at,
      stageName: stage.name,
      actionName: action.name,
      stageAttempt: current.stageAttempt,
      attempt: current.attempt,
      actionExecutionId: current.actionExecutionId,
      error: { code: 'JobFailed', message },
      retryable: true,
    });
    return { events: [event], reply: { kind: 'failure', error: ACTION_FAILED_ERROR, cause: message } };
  }
  const run: ActionToRun = {
    stageName: stage.name,
    actionName: action.name,
    stageAttempt: current.stageAttempt,
    attempt: current.attempt,
    actionExecutionId: current.actionExecutionId,
    action: { ...action, configuration: { ...current.resolvedConfiguration } },
    inputArtifacts: current.inputArtifacts,
    variables: visibleVariables(view),
  };
  return { events: [], run, startedAt: current.startedAt };
}

/**
 * The Wait before the next poll: what the provider asked for, at least a tenth of the time
 * waited so far (a wait of days polls every few minutes, not every few seconds), at most
 * {@link MAX_POLL_DELAY_SECONDS} (unless the provider asks more), never past the timeout, and
 * at least 1 second.
 *
 * @example
 * ```ts
 * pollDelaySeconds({ requestedSeconds: 10, elapsedSeconds: 20, remainingSeconds: 900 }); // 10
 * pollDelaySeconds({ requestedSeconds: 10, elapsedSeconds: 86_400, remainingSeconds: 9_000 }); // 600
 * pollDelaySeconds({ requestedSeconds: 30, elapsedSeconds: 100, remainingSeconds: 5 }); // 5
 * ```
 */
export function pollDelaySeconds(input: {
  requestedSeconds: number;
  elapsedSeconds: number;
  remainingSeconds: number;
}): number {
  const requested = Math.max(1, Math.ceil(input.requestedSeconds));
  const backedOff = Math.max(
    requested,
    Math.min(MAX_POLL_DELAY_SECONDS, Math.ceil(input.elapsedSeconds / 10)),
  );
  return Math.max(1, Math.min(backedOff, Math.ceil(input.remainingSeconds)));
}

/** What a provider answered when its action is still in progress. @example `{ state: { stackId }, pollAfterSeconds: 15, externalExecutionId: 'arn:…' }` */
export interface InProgressAnswer {
  state: Record<string, unknown>;
  pollAfterSeconds: number;
  summary?: string;
  externalExecutionId?: string;
  externalExecutionUrl?: string;
}

/**
 * Decides the answer to an action Task whose provider is still in progress: the task succeeds
 * with `{ progress, waitSeconds }` (the compiled loop waits, then polls), and the first time
 * the provider names its external execution (a stack, a deployment) an `ActionProgress` event
 * records it, so views link to it and a stop knows what to clean up. An attempt that ended
 * meanwhile answers as it ended; a state larger than {@link MAX_PROGRESS_STATE_BYTES} fails the
 * action (the provider must keep identifiers only).
 *
 * @example
 * ```ts
 * decideInProgress(view, run, { state: { phase: 'stack' }, pollAfterSeconds: 15 }, { at });
 * // { events: [], reply: { kind: 'success', output: { progress: { actionExecutionId, state }, waitSeconds: 15 } } }
 * ```
 */
export function decideInProgress(
  view: ExecutionView,
  run: ActionToRun,
  answer: InProgressAnswer,
  ctx: DecisionContext,
): Decision {
  const current = attemptsIn(view, run.stageName, run.actionName, run.stageAttempt).at(-1);
  if (current === undefined || current.actionExecutionId !== run.actionExecutionId) return { events: [] };
  const ended = replyFor(current);
  if (ended !== undefined) return { events: [], reply: ended };
  const base = {
    executionId: view.pipelineExecutionId,
    at: ctx.at,
    stageName: run.stageName,
    actionName: run.actionName,
    stageAttempt: run.stageAttempt,
    attempt: run.attempt,
    actionExecutionId: run.actionExecutionId,
  };
  const size = new TextEncoder().encode(JSON.stringify(answer.state)).length;
  if (size > MAX_PROGRESS_STATE_BYTES) {
    const message = `the provider's poll state is ${size} bytes, over ${MAX_PROGRESS_STATE_BYTES}: a provider must keep identifiers only; report this as a bug`;
    return {
      events: [actionFailed({ ...base, error: { code: 'JobFailed', message }, retryable: false })],
      reply: { kind: 'failure', error: ACTION_FAILED_ERROR, cause: message },
    };
  }
  const events: Decision['events'] = [];
  const external = answer.externalExecutionId;
  if (external !== undefined && external !== current.externalExecutionId) {
    events.push(
      actionProgress({
        ...base,
        reportId: `external-${fnv1a32(external)}`,
        externalExecutionId: external,
        ...(answer.externalExecutionUrl === undefined
          ? {}
          : { externalExecutionUrl: answer.externalExecutionUrl }),
        ...(answer.summary === undefined ? {} : { summary: answer.summary }),
      }),
    );
  }
  const elapsed = (Date.parse(ctx.at) - Date.parse(current.startedAt)) / 1000;
  const waitSeconds = pollDelaySeconds({
    requestedSeconds: answer.pollAfterSeconds,
    elapsedSeconds: elapsed,
    remainingSeconds: actionTimeoutSeconds(run.action) - elapsed,
  });
  const progress: PollProgress = { actionExecutionId: run.actionExecutionId, state: answer.state };
  return { events, reply: { kind: 'success', output: { progress, waitSeconds } } };
}
