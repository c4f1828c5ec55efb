/**
 * @internal The part of the execution fold that handles action and approval events. It
 * mutates a draft the caller owns (see `applyExecutionEvent`).
 */
import type {
  ActionAbandoned,
  ActionFailed,
  ActionProgress,
  ActionStarted,
  ActionSucceeded,
} from '../events/action-events.ts';
import type { ApprovalDecided, ApprovalRequested } from '../events/approval-events.ts';
import type {
  ActionAttemptView,
  ActionView,
  ApprovalView,
  ExecutionView,
  StageView,
} from './execution-view.ts';
import { newStageView } from './execution-view.ts';

/** @internal The stage named so, added after the known ones when the view does not have it yet. */
export function stageOf(view: ExecutionView, stageName: string): StageView {
  let stage = view.stages.find((s) => s.stageName === stageName);
  if (stage === undefined) {
    stage = newStageView(stageName);
    view.stages.push(stage);
  }
  return stage;
}

function actionOf(stage: StageView, actionName: string): ActionView {
  let action = stage.actions.find((a) => a.actionName === actionName);
  if (action === undefined) {
    action = { actionName, status: 'NotStarted', attempts: [] };
    stage.actions.push(action);
  }
  return action;
}

interface AttemptRef {
  stageName: string;
  actionName: string;
  stageAttempt: number;
  attempt: number;
  actionExecutionId?: string;
}

function attemptOf(
  view: ExecutionView,
  ref: AttemptRef,
  at: string,
): { action: ActionView; attempt: ActionAttemptView } {
  const stage = stageOf(view, ref.stageName);
  if (stage.status === 'NotStarted') {
    stage.status = 'InProgress';
    stage.stageAttempt = ref.stageAttempt;
    stage.startedAt = at;
    delete stage.waiting;
  }
  stage.updatedAt = at;
  const action = actionOf(stage, ref.actionName);
  let attempt = action.attempts.find((a) => a.stageAttempt === ref.stageAttempt && a.attempt === ref.attempt);
  if (attempt === undefined) {
    attempt = {
      actionExecutionId:
        ref.actionExecutionId ??
        `${view.pipelineExecutionId}:${ref.stageName}:${ref.actionName}:${ref.stageAttempt}:${ref.attempt}`,
      stageAttempt: ref.stageAttempt,
      attempt: ref.attempt,
      status: 'InProgress',
      startedAt: at,
      updatedAt: at,
      resolvedConfiguration: {},
      inputArtifacts: [],
      outputArtifacts: [],
      outputVariables: {},
    };
    action.attempts.push(attempt);
    action.status = 'InProgress';
  }
  attempt.updatedAt = at;
  return { action, attempt };
}

function setStatus(
  action: ActionView,
  attempt: ActionAttemptView,
  status: ActionAttemptView['status'],
): void {
  attempt.status = status;
  if (action.attempts.at(-1) === attempt) action.status = status;
}

function setExternal(
  attempt: ActionAttemptView,
  data: { externalExecutionId?: string; externalExecutionUrl?: string; summary?: string },
): void {
  if (data.externalExecutionId !== undefined) attempt.externalExecutionId = data.externalExecutionId;
  if (data.externalExecutionUrl !== undefined) attempt.externalExecutionUrl = data.externalExecutionUrl;
  if (data.summary !== undefined) attempt.summary = data.summary;
}

function closeApproval(view: ExecutionView, ref: AttemptRef, status: 'Expired' | 'Abandoned'): void {
  for (const approval of view.approvals) {
    if (
      approval.status === 'Pending' &&
      approval.stageName === ref.stageName &&
      approval.actionName === ref.actionName &&
      approval.stageAttempt === ref.stageAttempt &&
      approval.attempt === ref.attempt
    ) {
      approval.status = status;
    }
  }
}

/** @internal */
export function applyActionStarted(view: ExecutionView, e: ActionStarted): void {
  const { action, attempt } = attemptOf(view, e.data, e.at);
  const d = e.data;
  attempt.actionExecutionId = d.actionExecutionId;
  attempt.startedAt = e.at;
  attempt.resolvedConfiguration = d.resolvedConfiguration;
  attempt.inputArtifacts = d.inputArtifacts;
  if (d.actionTypeId !== undefined) attempt.actionTypeId = d.actionTypeId;
  if (d.namespace !== undefined) attempt.namespace = d.namespace;
  if (d.region !== undefined) attempt.region = d.region;
  setStatus(action, attempt, 'InProgress');
}

/** @internal */
export function applyActionProgress(view: ExecutionView, e: ActionProgress): void {
  setExternal(attemptOf(view, e.data, e.at).attempt, e.data);
}

/** @internal */
export function applyActionSucceeded(view: ExecutionView, e: ActionSucceeded): void {
  const d = e.data;
  const { action, attempt } = attemptOf(view, d, e.at);
  setStatus(action, attempt, 'Succeeded');
  attempt.endedAt = e.at;
  attempt.outputArtifacts = d.outputArtifacts;
  attempt.outputVariables = d.outputVariables;
  setExternal(attempt, d);
  for (const artifact of d.outputArtifacts) {
    const entry = {
      ...artifact,
      stageName: d.stageName,
      actionName: d.actionName,
      actionExecutionId: attempt.actionExecutionId,
    };
    const index = view.artifacts.findIndex((a) => a.name === artifact.name);
    if (index === -1) view.artifacts.push(entry);
    else view.artifacts[index] = entry;
  }
  if (attempt.namespace !== undefined) {
    view.namespaces[attempt.namespace] = { ...view.namespaces[attempt.namespace], ...d.outputVariables };
  }
  if (d.sourceRevision !== undefined) {
    const revision = { actionName: d.actionName, ...d.sourceRevision };
    const index = view.sourceRevisions.findIndex((r) => r.actionName === d.actionName);
    if (index === -1) view.sourceRevisions.push(revision);
    else view.sourceRevisions[index] = revision;
  }
}

/** @internal */
export function applyActionFailed(view: ExecutionView, e: ActionFailed): void {
  const { action, attempt } = attemptOf(view, e.data, e.at);
  setStatus(action, attempt, 'Failed');
  attempt.endedAt = e.at;
  attempt.error = e.data.error;
  attempt.retryable = e.data.retryable;
  setExternal(attempt, e.data);
  closeApproval(view, e.data, 'Expired');
}

/** @internal */
export function applyActionAbandoned(view: ExecutionView, e: ActionAbandoned): void {
  const { action, attempt } = attemptOf(view, e.data, e.at);
  setStatus(action, attempt, 'Abandoned');
  attempt.endedAt = e.at;
  if (e.data.reason !== undefined) attempt.summary = e.data.reason;
  closeApproval(view, e.data, 'Abandoned');
}

function approvalOf(
  view: ExecutionView,
  d: ApprovalRequested['data'] | ApprovalDecided['data'],
): ApprovalView {
  let approval = view.approvals.find((a) => a.approvalId === d.approvalId);
  if (approval === undefined) {
    approval = {
      approvalId: d.approvalId,
      stageName: d.stageName,
      actionName: d.actionName,
      stageAttempt: d.stageAttempt,
      attempt: d.attempt,
      status: 'Pending',
      notified: [],
    };
    view.approvals.push(approval);
  }
  return approval;
}

/** @internal */
export function applyApprovalRequested(view: ExecutionView, e: ApprovalRequested): void {
  const d = e.data;
  attemptOf(view, d, e.at).attempt.approvalId = d.approvalId;
  const approval = approvalOf(view, d);
  approval.requestedAt = e.at;
  approval.expiresAt = d.expiresAt;
  approval.notified = d.notified;
  if (d.customData !== undefined) approval.customData = d.customData;
  if (d.externalEntityLink !== undefined) approval.externalEntityLink = d.externalEntityLink;
}

/** @internal */
export function applyApprovalDecided(view: ExecutionView, e: ApprovalDecided): void {
  const d = e.data;
  attemptOf(view, d, e.at).attempt.approvalId = d.approvalId;
  const approval = approvalOf(view, d);
  approval.status = d.status;
  approval.decidedAt = e.at;
  if (e.actor !== undefined) approval.decidedBy = e.actor;
  if (d.summary !== undefined) approval.summary = d.summary;
  view.operatorActions.push({
    kind: 'PutApprovalResult',
    at: e.at,
    ...(e.actor === undefined ? {} : { actor: e.actor }),
    stageName: d.stageName,
    actionName: d.actionName,
    status: d.status,
    ...(d.summary === undefined ? {} : { reason: d.summary }),
  });
}
