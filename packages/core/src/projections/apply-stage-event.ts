/**
 * @internal The part of the execution fold that handles stage and condition events. It
 * mutates a draft the caller owns (see `applyExecutionEvent`).
 */

import type { StageConditionOverridden, StageRetried } from '../events/operator-events.ts';
import type {
  ConditionEvaluated,
  StageFailed,
  StageSkipped,
  StageStarted,
  StageSucceeded,
  StageWaiting,
} from '../events/stage-events.ts';
import { stageOf } from './apply-action-event.ts';
import type { ExecutionView, StageView } from './execution-view.ts';

/** @internal Moves every stage in one of the `from` statuses to `to` (ending it unless `Stopping`). */
export function settleStages(
  view: ExecutionView,
  from: readonly StageView['status'][],
  to: StageView['status'],
  at: string,
): void {
  for (const stage of view.stages) {
    if (from.includes(stage.status)) {
      stage.status = to;
      stage.updatedAt = at;
      if (to !== 'Stopping') stage.endedAt = at;
    }
  }
}

/** @internal */
export function applyStageWaiting(view: ExecutionView, e: StageWaiting): void {
  const stage = stageOf(view, e.data.stageName);
  const { gate, reason, lockHolder } = e.data;
  stage.waiting = { gate, reason, since: e.at, ...(lockHolder === undefined ? {} : { lockHolder }) };
  stage.updatedAt = e.at;
}

/** @internal */
export function applyStageStarted(view: ExecutionView, e: StageStarted): void {
  const stage = stageOf(view, e.data.stageName);
  startAttempt(stage, e.data.stageAttempt, e.at);
  delete stage.waiting;
}

/** A stage attempt starts (first run or retry): in progress, not ended, no error. */
function startAttempt(stage: StageView, stageAttempt: number, at: string): void {
  stage.status = 'InProgress';
  stage.stageAttempt = stageAttempt;
  stage.startedAt = at;
  stage.updatedAt = at;
  delete stage.endedAt;
  delete stage.error;
}

/** @internal */
export function applyStageSkipped(view: ExecutionView, e: StageSkipped): void {
  const stage = stageOf(view, e.data.stageName);
  stage.status = 'Skipped';
  stage.stageAttempt = e.data.stageAttempt;
  stage.updatedAt = e.at;
  stage.endedAt = e.at;
  delete stage.waiting;
  if (e.data.reason !== undefined) stage.skipReason = e.data.reason;
}

/** @internal */
export function applyStageSucceeded(view: ExecutionView, e: StageSucceeded): void {
  const stage = stageOf(view, e.data.stageName);
  stage.status = 'Succeeded';
  stage.updatedAt = e.at;
  stage.endedAt = e.at;
}

/** @internal */
export function applyStageFailed(view: ExecutionView, e: StageFailed): void {
  const stage = stageOf(view, e.data.stageName);
  stage.status = 'Failed';
  stage.error = e.data.error;
  stage.updatedAt = e.at;
  stage.endedAt = e.at;
  delete stage.waiting;
  if (view.status === 'InProgress') view.status = 'Failed';
}

/** @internal */
export function applyStageRetried(view: ExecutionView, e: StageRetried): void {
  const d = e.data;
  const stage = stageOf(view, d.stageName);
  startAttempt(stage, d.stageAttempt, e.at);
  const actor = e.actor === undefined ? {} : { actor: e.actor };
  stage.retries.push({
    stageAttempt: d.stageAttempt,
    retryMode: d.retryMode,
    automatic: d.automatic ?? false,
    at: e.at,
    ...actor,
  });
  for (const action of stage.actions) {
    if (d.retryMode === 'ALL_ACTIONS' || action.status === 'Failed' || action.status === 'Abandoned') {
      action.status = 'NotStarted';
    }
  }
  view.operatorActions.push({
    kind: 'RetryStageExecution',
    at: e.at,
    ...actor,
    stageName: d.stageName,
    retryMode: d.retryMode,
  });
  if (view.status === 'Failed' && view.endedAt === undefined) view.status = 'InProgress';
}

/** @internal A condition's result, or an operator's override of it. */
export function applyConditionEvent(
  view: ExecutionView,
  e: ConditionEvaluated | StageConditionOverridden,
): void {
  const d = e.data;
  const stage = stageOf(view, d.stageName);
  stage.updatedAt = e.at;
  let condition = stage.conditions.find(
    (c) => c.conditionType === d.conditionType && c.stageAttempt === d.stageAttempt,
  );
  if (condition === undefined) {
    condition = {
      conditionType: d.conditionType,
      stageAttempt: d.stageAttempt,
      status: 'InProgress',
      ruleResults: [],
      at: e.at,
    };
    stage.conditions.push(condition);
  }
  condition.at = e.at;
  if (e.type === 'ConditionEvaluated') {
    condition.status = e.data.status;
    condition.ruleResults = e.data.ruleResults;
    if (e.data.result !== undefined) condition.result = e.data.result;
  } else {
    condition.status = 'Overridden';
    view.operatorActions.push({
      kind: 'OverrideStageCondition',
      at: e.at,
      ...(e.actor === undefined ? {} : { actor: e.actor }),
      stageName: e.data.stageName,
      conditionType: e.data.conditionType,
    });
  }
}
