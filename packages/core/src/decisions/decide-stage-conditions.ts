/**
 * The stage gate and the stage leave with conditions (CodePipeline's stage conditions):
 *
 * - at the gate, a rollback execution skips every stage but the rolled-back one; then the
 *   BeforeEntry conditions: succeeded → enter; failed with result SKIP → `StageSkipped` and
 *   SKIP (the compiled Choice goes on to the next stage); failed with FAIL, or errored → the
 *   gate task fails (`Pipewright.ConditionFailed`) and its Catch leads to `S.failed`;
 * - at the leave, the OnSuccess conditions: succeeded → `StageSucceeded`; failed (result FAIL
 *   or ROLLBACK) or errored → the leave task fails; `S.failed` then starts the rollback for a
 *   ROLLBACK result (see `decideStageFailed`).
 *
 * Every evaluation is recorded as `ConditionEvaluated`. A redelivered task finds the
 * evaluation of its stage attempt recorded and repeats its answer without evaluating again;
 * an operator's override (`StageConditionOverridden`) counts as succeeded.
 *
 * @example
 * ```ts
 * const outcomes = await runRules(conditionRulesToRun(view, pipeline, 'Deploy', 'BEFORE_ENTRY', 0));
 * decideStageEntry(view, pipeline, payload, { at, outcomes }).reply;
 * // { kind: 'success', output: { decision: 'ENTER' } }
 * ```
 */
import { conditionEvaluated, stageSkipped } from '../events/stage-events.ts';
import type { Pipeline } from '../model/pipeline.ts';
import type { ConditionView, ExecutionView } from '../projections/execution-view.ts';
import { rollbackLookupView, rollbackSkipsStage } from './decide-rollback.ts';
import { type DecisionContext, decideGate, decideLeave, isClosed } from './decide-stage-boundary.ts';
import type { Decision, NewExecutionEvent, TaskReply } from './decision.ts';
import {
  conditionCause,
  evaluateConditions,
  evaluatedCondition,
  type RuleOutcome,
  stageConditions,
} from './evaluate-condition.ts';
import { stageNamed } from './execution-lookup.ts';
import type { TaskPayloadOf } from './task-payload.ts';

/** The task error a failed (or errored) condition fails the gate or leave task with. @example `CONDITION_FAILED_ERROR // 'Pipewright.ConditionFailed'` */
export const CONDITION_FAILED_ERROR = 'Pipewright.ConditionFailed';

/** What the condition deciders are told besides the time. @example `{ at, outcomes: { Smoke: { status: 'Succeeded' } } }` */
export interface ConditionContext extends DecisionContext {
  /** Outcomes of the I/O rules the shell ran (`conditionRulesToRun`), by rule name. */
  outcomes?: Readonly<Record<string, RuleOutcome>>;
  /** For a rollback execution: the target execution, where artifacts and variables are looked up. */
  rollbackTarget?: ExecutionView;
}

/** An evaluation, new or as recorded. */
type Evaluated = Pick<ConditionView, 'status' | 'result' | 'ruleResults'>;

/** The recorded evaluation of this attempt, or a new one with its `ConditionEvaluated`. */
function evaluation(
  view: ExecutionView,
  pipeline: Pipeline,
  payload: TaskPayloadOf<'gate'> | TaskPayloadOf<'leave'>,
  type: 'BEFORE_ENTRY' | 'ON_SUCCESS',
  ctx: ConditionContext,
): { evaluated: Evaluated; events: NewExecutionEvent[] } {
  const recorded = evaluatedCondition(view, payload.stage, type, payload.attempt);
  if (recorded !== undefined) return { evaluated: recorded, events: [] };
  const stage = stageNamed(pipeline, payload.stage);
  const lookup = rollbackLookupView(view, ctx.rollbackTarget);
  const evaluated = evaluateConditions(stage, type, {
    view: lookup,
    at: ctx.at,
    ...(ctx.outcomes === undefined ? {} : { outcomes: ctx.outcomes }),
  });
  return {
    evaluated,
    events: [
      conditionEvaluated({
        executionId: view.pipelineExecutionId,
        at: ctx.at,
        stageName: payload.stage,
        stageAttempt: payload.attempt,
        conditionType: type,
        status: evaluated.status,
        ...(evaluated.result === undefined ? {} : { result: evaluated.result }),
        ruleResults: evaluated.ruleResults,
      }),
    ],
  };
}

const passed = (e: Evaluated) => e.status === 'Succeeded' || e.status === 'Overridden';

function failure(type: 'BEFORE_ENTRY' | 'ON_SUCCESS', e: Evaluated): TaskReply {
  return { kind: 'failure', error: CONDITION_FAILED_ERROR, cause: conditionCause(type, e) };
}

function skip(view: ExecutionView, payload: TaskPayloadOf<'gate'>, at: string, reason: string): Decision {
  const stage = view.stages.find((s) => s.stageName === payload.stage);
  const skipped = stage?.status === 'Skipped' && stage.stageAttempt === payload.attempt;
  return {
    events: skipped
      ? []
      : [
          stageSkipped({
            executionId: view.pipelineExecutionId,
            at,
            stageName: payload.stage,
            stageAttempt: payload.attempt,
            reason,
          }),
        ],
    reply: { kind: 'success', output: { decision: 'SKIP' } },
  };
}

/**
 * Decides the stage gate once the execution may enter (transition and lock passed): rollback
 * skip, BeforeEntry conditions, then `decideGate`.
 *
 * @example
 * ```ts
 * decideStageEntry(view, pipeline, gatePayload, { at }).reply?.kind; // 'success' | 'failure'
 * ```
 */
export function decideStageEntry(
  view: ExecutionView,
  pipeline: Pipeline,
  payload: TaskPayloadOf<'gate'>,
  ctx: ConditionContext,
): Decision {
  if (isClosed(view)) return { events: [] };
  if (rollbackSkipsStage(view, payload.stage)) {
    return skip(
      view,
      payload,
      ctx.at,
      `rollback execution: only stage ${view.rollbackMetadata?.stageName} is rolled back`,
    );
  }
  const stage = stageNamed(pipeline, payload.stage);
  if (stageConditions(stage, 'BEFORE_ENTRY').length === 0) return decideGate(view, payload, ctx);
  const { evaluated, events } = evaluation(view, pipeline, payload, 'BEFORE_ENTRY', ctx);
  if (passed(evaluated)) {
    const entered = decideGate(view, payload, ctx);
    return { ...entered, events: [...events, ...entered.events] };
  }
  if (evaluated.status === 'Failed' && evaluated.result === 'SKIP') {
    const skipped = skip(view, payload, ctx.at, conditionCause('BEFORE_ENTRY', evaluated));
    return { ...skipped, events: [...events, ...skipped.events] };
  }
  return { events, reply: failure('BEFORE_ENTRY', evaluated) };
}

/**
 * Decides leaving a stage whose actions all succeeded: OnSuccess conditions, then
 * `decideLeave` (`StageSucceeded`); a failed or errored condition fails the leave task.
 *
 * @example
 * ```ts
 * decideStageExit(view, pipeline, leavePayload, { at, outcomes }).events.map((e) => e.type);
 * // ['ConditionEvaluated', 'StageSucceeded']
 * ```
 */
export function decideStageExit(
  view: ExecutionView,
  pipeline: Pipeline,
  payload: TaskPayloadOf<'leave'>,
  ctx: ConditionContext,
): Decision {
  if (isClosed(view)) return { events: [] };
  const stage = stageNamed(pipeline, payload.stage);
  if (stageConditions(stage, 'ON_SUCCESS').length === 0) return decideLeave(view, payload, ctx);
  const { evaluated, events } = evaluation(view, pipeline, payload, 'ON_SUCCESS', ctx);
  if (passed(evaluated)) {
    const left = decideLeave(view, payload, ctx);
    return { ...left, events: [...events, ...left.events] };
  }
  return { events, reply: failure('ON_SUCCESS', evaluated) };
}
