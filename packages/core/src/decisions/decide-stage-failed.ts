/**
 * A stage failed (the Catch of one of its states led to `S.failed`): `StageFailed`, what
 * becomes of its actions still in progress, and the decision the state machine waits for —
 * an automatic retry (OnFailure result RETRY, once, as CodePipeline), FAIL when the runtime's
 * policy is to end failed executions at once, or no reply (an operator decides later).
 *
 * @example
 * ```ts
 * decideStageFailed(view, pipeline, payload, { at, running: new Set(), policy: 'fail' }).reply;
 * // { kind: 'success', output: { decision: 'FAIL' } }
 * ```
 */

import { actionTimeoutSeconds } from '../compiler/timeouts.ts';
import { actionFailed } from '../events/action-events.ts';
import type { ErrorDetails } from '../events/event-parts.ts';
import { executionFailed } from '../events/execution-events.ts';
import { stageRetried } from '../events/operator-events.ts';
import { stageFailed } from '../events/stage-events.ts';
import type { Pipeline } from '../model/pipeline.ts';
import type { ExecutionView, StageView } from '../projections/execution-view.ts';
import type { DecisionContext } from './decide-stage-boundary.ts';
import type { Decision, NewExecutionEvent } from './decision.ts';
import { actionNamed, stageNamed } from './execution-lookup.ts';
import type { TaskPayloadOf } from './task-payload.ts';

/**
 * What happens to a failed stage nobody retries: `fail` ends the execution at once (a
 * one-shot `pipewright run`); `wait` leaves it Failed and retryable (the server, AWS).
 */
export type StageFailurePolicy = 'fail' | 'wait';

/** What {@link decideStageFailed} is told besides the time. @example `{ at, running, policy: 'wait' }` */
export interface StageFailedContext extends DecisionContext {
  running: ReadonlySet<string>;
  policy: StageFailurePolicy;
}

/**
 * Decides a stage failure.
 *
 * @example
 * ```ts
 * const { events, reply, abort } = decideStageFailed(view, pipeline, payload, ctx);
 * ```
 */
export function decideStageFailed(
  view: ExecutionView,
  pipeline: Pipeline,
  payload: TaskPayloadOf<'stageFailed'>,
  ctx: StageFailedContext,
): Decision {
  const stage = stageNamed(pipeline, payload.stage);
  const stageAttempt = payload.attempt;
  const executionId = view.pipelineExecutionId;
  const stageView = view.stages.find((s) => s.stageName === stage.name);
  // Delivered again (the task's Lambda retry) after its retry was decided: the same answer.
  const decided = stageView?.retries.find((r) => r.stageAttempt === stageAttempt + 1);
  if (decided !== undefined) {
    return { events: [], reply: { kind: 'success', output: { decision: `RETRY_${decided.retryMode}` } } };
  }
  const events: NewExecutionEvent[] = [];
  const abort: string[] = [];
  const caught = payload.error;
  for (const actionView of stageView?.actions ?? []) {
    for (const a of actionView.attempts) {
      if (a.stageAttempt !== stageAttempt || a.status !== 'InProgress') continue;
      if (ctx.running.has(a.actionExecutionId)) {
        abort.push(a.actionExecutionId);
        continue;
      }
      const action = actionNamed(stage, actionView.actionName);
      const timedOut = caught.Error === 'States.Timeout';
      events.push(
        actionFailed({
          executionId,
          at: ctx.at,
          stageName: stage.name,
          actionName: actionView.actionName,
          stageAttempt,
          attempt: a.attempt,
          actionExecutionId: a.actionExecutionId,
          error: timedOut
            ? {
                code: 'Timeout',
                message: `the action did not finish within ${actionTimeoutSeconds(action) / 60} minutes`,
              }
            : {
                code: 'JobFailed',
                message: `the stage failed (${caught.Error ?? 'error'}) while the action was in progress`,
              },
          retryable: true,
        }),
      );
    }
  }
  const error = stageError(stageView, stageAttempt, caught);
  const alreadyFailed = stageView?.status === 'Failed' && stageView.stageAttempt === stageAttempt;
  if (!alreadyFailed) {
    events.push(stageFailed({ executionId, at: ctx.at, stageName: stage.name, stageAttempt, error }));
  }
  const withAbort = abort.length > 0 ? { abort } : {};
  const onFailure = stage.onFailure;
  const retried = stageView?.retries.some((r) => r.automatic) ?? false;
  if (onFailure?.result === 'RETRY' && !retried) {
    const retryMode = onFailure.retryConfiguration?.retryMode ?? 'FAILED_ACTIONS';
    events.push(
      stageRetried({
        executionId,
        at: ctx.at,
        actor: { kind: 'system', id: 'OnFailure' },
        stageName: stage.name,
        stageAttempt: stageAttempt + 1,
        retryMode,
        automatic: true,
      }),
    );
    return { events, ...withAbort, reply: { kind: 'success', output: { decision: `RETRY_${retryMode}` } } };
  }
  if (ctx.policy === 'fail') {
    if (view.endedAt === undefined)
      events.push(executionFailed({ executionId, at: ctx.at, stageName: stage.name, error }));
    return { events, ...withAbort, reply: { kind: 'success', output: { decision: 'FAIL' } } };
  }
  return { events, ...withAbort };
}

function stageError(
  stageView: StageView | undefined,
  stageAttempt: number,
  caught: TaskPayloadOf<'stageFailed'>['error'],
): ErrorDetails {
  for (const actionView of stageView?.actions ?? []) {
    const failed = actionView.attempts.find((a) => a.stageAttempt === stageAttempt && a.status === 'Failed');
    if (failed?.error !== undefined) {
      return { code: failed.error.code, message: `${actionView.actionName}: ${failed.error.message}` };
    }
  }
  if (caught.Error === 'States.Timeout')
    return { code: 'Timeout', message: 'an action of the stage timed out' };
  return { code: caught.Error ?? 'StageFailed', message: caught.Cause ?? 'the stage failed' };
}
