/**
 * A stage failed (the Catch of one of its states led to `S.failed`): `StageFailed`, what
 * becomes of its actions still in progress, and the decision the state machine waits for —
 * an automatic retry (OnFailure result RETRY, once, as CodePipeline), FAIL when the runtime's
 * policy is to end failed executions at once, or no reply (an operator decides later). A
 * ROLLBACK result (OnFailure, or an OnSuccess condition) adds the `rollback` command: the
 * shell starts the rollback execution and then ends this one (`decideRolledBack`).
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
import { conditionEvaluated, stageFailed } from '../events/stage-events.ts';
import type { Pipeline, Stage } from '../model/pipeline.ts';
import type { ExecutionView, StageView } from '../projections/execution-view.ts';
import { rollbackLookupView } from './decide-rollback.ts';
import type { DecisionContext } from './decide-stage-boundary.ts';
import { CONDITION_FAILED_ERROR } from './decide-stage-conditions.ts';
import type { Decision, NewExecutionEvent } from './decision.ts';
import {
  evaluateConditions,
  evaluatedCondition,
  type RuleOutcome,
  stageConditions,
} from './evaluate-condition.ts';
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
  /** Outcomes of the OnFailure conditions' I/O rules the shell ran, by rule name. */
  outcomes?: Readonly<Record<string, RuleOutcome>>;
  /** For a rollback execution: the target execution (artifacts and variables are looked up there). */
  rollbackTarget?: ExecutionView;
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
  const engaged = engagedResult(view, stage, payload, ctx, events);
  if (engaged === 'RETRY' && !retried) {
    const retryMode = onFailure?.retryConfiguration?.retryMode ?? 'FAILED_ACTIONS';
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
  // A rollback execution never starts another rollback (its target would be the same).
  const rollback =
    engaged === 'ROLLBACK' && view.executionType !== 'ROLLBACK'
      ? {
          rollback: {
            stageName: stage.name,
            stageAttempt,
            reason: `stage ${stage.name} failed: ${error.message}`,
          },
        }
      : {};
  if (ctx.policy === 'fail' || (engaged === 'ROLLBACK' && view.endedAt !== undefined)) {
    if (view.endedAt === undefined)
      events.push(executionFailed({ executionId, at: ctx.at, stageName: stage.name, error }));
    return { events, ...withAbort, ...rollback, reply: { kind: 'success', output: { decision: 'FAIL' } } };
  }
  return { events, ...withAbort, ...rollback };
}

/**
 * True when the stage's failure in this attempt evaluates its OnFailure conditions: the stage
 * has some, and it did not fail at its gate (a BeforeEntry condition) nor by an OnSuccess
 * condition with result ROLLBACK (that one rolls back whatever OnFailure says).
 *
 * @example
 * ```ts
 * if (failureEvaluatesConditions(view, pipeline, 'Deploy', 0)) outcomes = await runRules(…);
 * ```
 */
export function failureEvaluatesConditions(
  view: ExecutionView,
  pipeline: Pipeline,
  stageName: string,
  stageAttempt: number,
): boolean {
  const stage = stageNamed(pipeline, stageName);
  if (stageConditions(stage, 'ON_FAILURE').length === 0) return false;
  const entry = evaluatedCondition(view, stageName, 'BEFORE_ENTRY', stageAttempt);
  if (entry?.status === 'Failed' || entry?.status === 'Errored') return false;
  const exit = evaluatedCondition(view, stageName, 'ON_SUCCESS', stageAttempt);
  return !(exit?.status === 'Failed' && exit.result === 'ROLLBACK');
}

/**
 * The result the failure engages: none after a BeforeEntry failure (the stage never ran);
 * ROLLBACK after an OnSuccess condition failed with ROLLBACK; else OnFailure's — its result
 * when it has no conditions, or the result of its failing condition (evaluated now, recorded
 * as `ConditionEvaluated` into `events`).
 */
function engagedResult(
  view: ExecutionView,
  stage: Stage,
  payload: TaskPayloadOf<'stageFailed'>,
  ctx: StageFailedContext,
  events: NewExecutionEvent[],
): 'RETRY' | 'ROLLBACK' | undefined {
  const attempt = payload.attempt;
  const entry = evaluatedCondition(view, stage.name, 'BEFORE_ENTRY', attempt);
  if (entry?.status === 'Failed' || entry?.status === 'Errored') return undefined;
  const exit = evaluatedCondition(view, stage.name, 'ON_SUCCESS', attempt);
  if (exit?.status === 'Failed' && exit.result === 'ROLLBACK') return 'ROLLBACK';
  const onFailure = stage.onFailure;
  if (onFailure === undefined) return undefined;
  if (stageConditions(stage, 'ON_FAILURE').length === 0) return onFailure.result;
  const recorded = evaluatedCondition(view, stage.name, 'ON_FAILURE', attempt);
  const evaluated =
    recorded ??
    evaluateConditions(stage, 'ON_FAILURE', {
      view: rollbackLookupView(view, ctx.rollbackTarget),
      at: ctx.at,
      ...(ctx.outcomes === undefined ? {} : { outcomes: ctx.outcomes }),
    });
  if (recorded === undefined) {
    events.push(
      conditionEvaluated({
        executionId: view.pipelineExecutionId,
        at: ctx.at,
        stageName: stage.name,
        stageAttempt: attempt,
        conditionType: 'ON_FAILURE',
        status: evaluated.status,
        ...(evaluated.result === undefined ? {} : { result: evaluated.result }),
        ruleResults: evaluated.ruleResults,
      }),
    );
  }
  if (evaluated.status !== 'Failed') return undefined;
  return evaluated.result === 'RETRY' || evaluated.result === 'ROLLBACK' ? evaluated.result : undefined;
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
  if (caught.Error === CONDITION_FAILED_ERROR)
    return { code: 'ConditionFailed', message: caught.Cause ?? 'a stage condition failed' };
  return { code: caught.Error ?? 'StageFailed', message: caught.Cause ?? 'the stage failed' };
}
