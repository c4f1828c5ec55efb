/**
 * @internal The parts of a state-change event: which CodePipeline state a status change is,
 * and the detail fields CodePipeline writes for an execution and an action execution.
 */
import type { Artifact } from '../events/event-parts.ts';
import type { ActionTypeId, Pipeline } from '../model/pipeline.ts';
import type { ActionAttemptView, ExecutionView, StageView } from '../projections/execution-view.ts';
import type {
  ActionExecutionState,
  PipelineExecutionState,
  StageExecutionState,
} from './notification-events.ts';
import type {
  ActionExecutionStateChangeDetail,
  StateChangeArtifact,
  StateChangeDetailBase,
  StateChangeOptions,
} from './state-change-events.ts';

const STAGE_STATE_OF: Partial<Record<StageView['status'], StageExecutionState>> = {
  Succeeded: 'SUCCEEDED',
  Failed: 'FAILED',
  Stopping: 'STOPPING',
  Stopped: 'STOPPED',
  Cancelled: 'CANCELED',
};
const PIPELINE_STATE_OF: Partial<Record<ExecutionView['status'], PipelineExecutionState>> = {
  ...STAGE_STATE_OF,
  Superseded: 'SUPERSEDED',
};
const ACTION_STATE_OF: Partial<Record<ActionAttemptView['status'], ActionExecutionState>> = {
  Succeeded: 'SUCCEEDED',
  Failed: 'FAILED',
  Abandoned: 'ABANDONED',
};

export function pipelineStateOf(
  before: ExecutionView['status'],
  after: ExecutionView['status'],
): PipelineExecutionState | undefined {
  if (before === after) return undefined;
  if (after === 'InProgress') return before === 'NotStarted' ? 'STARTED' : 'RESUMED';
  return PIPELINE_STATE_OF[after];
}

export function stageStateOf(
  before: StageView | undefined,
  after: StageView,
): StageExecutionState | undefined {
  const status = before?.status ?? 'NotStarted';
  const attempt = before?.stageAttempt ?? 0;
  if (after.status === 'InProgress') {
    if (status === 'InProgress' && attempt === after.stageAttempt) return undefined;
    return status === 'NotStarted' ? 'STARTED' : 'RESUMED';
  }
  return status === after.status ? undefined : STAGE_STATE_OF[after.status];
}

export function actionStatesOf(
  before: ActionAttemptView | undefined,
  after: ActionAttemptView,
  executionBefore: ExecutionView['status'],
  executionAfter: ExecutionView['status'],
): ActionExecutionState[] {
  const states: ActionExecutionState[] = [];
  if (before === undefined) states.push('STARTED');
  const end = ACTION_STATE_OF[after.status];
  if (end !== undefined && before?.status !== after.status) states.push(end);
  // A cancelled execution (its definition changed) drops what was still running.
  if (after.status === 'InProgress' && executionAfter === 'Cancelled' && executionBefore !== 'Cancelled') {
    states.push('CANCELED');
  }
  return states;
}

export function detailBase(view: ExecutionView, pipeline: Pipeline | undefined): StateChangeDetailBase {
  const retries = view.stages.reduce((n, s) => n + s.retries.length, 0);
  const base: StateChangeDetailBase = {
    pipeline: view.pipelineName,
    'execution-id': view.pipelineExecutionId,
    version: view.pipelineVersion ?? pipeline?.version ?? 1,
    'pipeline-execution-attempt': 1 + retries,
  };
  if (view.startedAt !== undefined) base['start-time'] = eventBridgeTime(view.startedAt);
  if (view.trigger !== undefined) {
    base['execution-trigger'] = {
      'trigger-type': view.trigger.triggerType,
      ...(view.trigger.triggerDetail === undefined ? {} : { 'trigger-detail': view.trigger.triggerDetail }),
    };
  }
  return base;
}

export function actionDetail(
  base: StateChangeDetailBase,
  stage: string,
  action: string,
  attempt: ActionAttemptView,
  state: ActionExecutionState,
  typeId: ActionTypeId | undefined,
  options: StateChangeOptions,
): ActionExecutionStateChangeDetail {
  const detail: ActionExecutionStateChangeDetail = {
    ...base,
    stage,
    action,
    'action-execution-id': attempt.actionExecutionId,
    state,
    region: attempt.region ?? options.region,
  };
  if (typeId !== undefined) {
    detail.type = {
      owner: typeId.owner,
      provider: typeId.provider,
      category: typeId.category,
      version: typeId.version,
    };
  }
  if (attempt.inputArtifacts.length > 0) detail['input-artifacts'] = attempt.inputArtifacts.map(artifact);
  if (state === 'SUCCEEDED' && attempt.outputArtifacts.length > 0) {
    detail['output-artifacts'] = attempt.outputArtifacts.map(artifact);
  }
  if (state === 'SUCCEEDED' || state === 'FAILED') {
    const result: NonNullable<ActionExecutionStateChangeDetail['execution-result']> = {};
    if (attempt.externalExecutionUrl !== undefined)
      result['external-execution-url'] = attempt.externalExecutionUrl;
    const summary = attempt.summary ?? (state === 'FAILED' ? attempt.error?.message : undefined);
    if (summary !== undefined) result['external-execution-summary'] = summary;
    if (attempt.externalExecutionId !== undefined)
      result['external-execution-id'] = attempt.externalExecutionId;
    if (state === 'FAILED' && attempt.error !== undefined) result['error-code'] = attempt.error.code;
    if (Object.keys(result).length > 0) detail['execution-result'] = result;
  }
  return detail;
}

function artifact(a: Artifact): StateChangeArtifact {
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(a.uri);
  if (s3?.[1] !== undefined && s3[2] !== undefined) {
    return { name: a.name, s3location: { bucket: s3[1], key: s3[2] } };
  }
  return { name: a.name, uri: a.uri };
}

/** EventBridge writes times to the second: `2026-01-05T10:00:00Z`. */
export function eventBridgeTime(at: string): string {
  return at.replace(/\.\d+Z$/, 'Z');
}
