/**
 * CodePipeline's EventBridge state-change events, projected from an execution's events: each
 * event is folded into the execution view, and every status the fold changed (the execution's,
 * a stage's, an action execution's) becomes one `CodePipeline … Execution State Change` event
 * with CodePipeline's detail shape and state names. Pure: the same events give the same
 * state changes, ids included.
 *
 * @example
 * ```ts
 * const changes = stateChangeEvents(await store.read(executionStream(id)), pipeline, { region: 'local', account: '000000000000' });
 * changes.map((c) => `${c['detail-type']} ${c.detail.state}`);
 * // ['CodePipeline Pipeline Execution State Change STARTED', 'CodePipeline Stage Execution State Change STARTED', …]
 * ```
 */

import { type ExecutionEvent, isKnownEvent, parseStoredEvent } from '../events/event-catalog.ts';
import { eventId } from '../events/event-envelope.ts';
import type { Artifact } from '../events/event-parts.ts';
import type { ActionTypeId, Pipeline } from '../model/pipeline.ts';
import type { EventRecord } from '../ports/event-store.ts';
import type { ActionAttemptView, ExecutionView, StageView } from '../projections/execution-view.ts';
import { initialExecutionView } from '../projections/execution-view.ts';
import { applyExecutionEvent } from '../projections/fold-execution.ts';
import type {
  ActionExecutionState,
  NotificationEventName,
  PipelineExecutionState,
  StageExecutionState,
} from './notification-events.ts';

/**
 * The three detail-types CodePipeline sends to EventBridge, by level.
 *
 * @example
 * ```ts
 * STATE_CHANGE_DETAIL_TYPES.action; // 'CodePipeline Action Execution State Change'
 * ```
 */
export const STATE_CHANGE_DETAIL_TYPES = {
  pipeline: 'CodePipeline Pipeline Execution State Change',
  stage: 'CodePipeline Stage Execution State Change',
  action: 'CodePipeline Action Execution State Change',
} as const;

/** The `source` of CodePipeline's events. @example `'aws.codepipeline'` */
export const CODEPIPELINE_EVENT_SOURCE = 'aws.codepipeline';

/** Fields every state-change detail has. @example `{ pipeline: 'web', 'execution-id': '7f0c', version: 3, 'pipeline-execution-attempt': 1 }` */
export interface StateChangeDetailBase {
  pipeline: string;
  'execution-id': string;
  'start-time'?: string;
  'execution-trigger'?: { 'trigger-type': string; 'trigger-detail'?: string };
  /** The pipeline's structure version the execution runs. */
  version: number;
  /** 1, +1 per retried stage. */
  'pipeline-execution-attempt': number;
}

/** Detail of `CodePipeline Pipeline Execution State Change`. @example `{ …base, state: 'FAILED' }` */
export interface PipelineExecutionStateChangeDetail extends StateChangeDetailBase {
  state: PipelineExecutionState;
}

/** Detail of `CodePipeline Stage Execution State Change`. @example `{ …base, stage: 'Build', state: 'RESUMED' }` */
export interface StageExecutionStateChangeDetail extends StateChangeDetailBase {
  stage: string;
  state: StageExecutionState;
}

/**
 * An artifact of an action state change: `s3location` for an `s3://` artifact, as CodePipeline
 * writes it; `uri` (a Pipewright extension) for an artifact stored elsewhere (local files).
 *
 * @example
 * ```ts
 * const a: StateChangeArtifact = { name: 'BuildOutput', s3location: { bucket: 'b', key: 'k.zip' } };
 * ```
 */
export interface StateChangeArtifact {
  name: string;
  s3location?: { bucket: string; key: string };
  uri?: string;
}

/** Detail of `CodePipeline Action Execution State Change`. @example `{ …base, stage: 'Build', action: 'Test', state: 'FAILED', 'execution-result': { 'error-code': 'JobFailed' } }` */
export interface ActionExecutionStateChangeDetail extends StateChangeDetailBase {
  stage: string;
  action: string;
  'action-execution-id': string;
  state: ActionExecutionState;
  region: string;
  type?: { owner: string; provider: string; category: string; version: string };
  'input-artifacts'?: StateChangeArtifact[];
  'output-artifacts'?: StateChangeArtifact[];
  'execution-result'?: {
    'external-execution-url'?: string;
    'external-execution-summary'?: string;
    'external-execution-id'?: string;
    'error-code'?: string;
  };
}

interface EnvelopeBase {
  version: '0';
  /** Deterministic: derived from the Pipewright event that caused the change. */
  id: string;
  source: typeof CODEPIPELINE_EVENT_SOURCE;
  account: string;
  time: string;
  region: string;
  /** The pipeline's ARN. */
  resources: string[];
}

/**
 * One EventBridge state-change event of CodePipeline.
 *
 * @example
 * ```ts
 * if (e['detail-type'] === STATE_CHANGE_DETAIL_TYPES.action) e.detail.action;
 * ```
 */
export type CodePipelineStateChangeEvent =
  | (EnvelopeBase & {
      'detail-type': typeof STATE_CHANGE_DETAIL_TYPES.pipeline;
      detail: PipelineExecutionStateChangeDetail;
    })
  | (EnvelopeBase & {
      'detail-type': typeof STATE_CHANGE_DETAIL_TYPES.stage;
      detail: StageExecutionStateChangeDetail;
    })
  | (EnvelopeBase & {
      'detail-type': typeof STATE_CHANGE_DETAIL_TYPES.action;
      detail: ActionExecutionStateChangeDetail;
    });

/**
 * A state change with what notifications need beside the EventBridge event: its name in the
 * notification vocabulary and, when the log says, why (an error, a stop reason).
 *
 * @example
 * ```ts
 * const c: StateChange = { event, name: 'execution.failed', reason: 'in stage Build: npm test exited with 1' };
 * ```
 */
export interface StateChange {
  event: CodePipelineStateChangeEvent;
  name: NotificationEventName;
  reason?: string;
}

/** Where the events are said to come from. @example `{ region: 'local', account: '000000000000' }` */
export interface StateChangeOptions {
  region: string;
  account: string;
}

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
/** States that open something (listed top-down); the others close it (listed bottom-up). */
const OPENING = new Set<string>(['STARTED', 'RESUMED', 'STOPPING']);

/**
 * Folds more records of one execution onto its view and returns the new view with the state
 * changes they caused, in the order CodePipeline reports them (pipeline → stage → action when
 * starting, action → stage → pipeline when ending). Records of other streams, duplicates
 * (`seq` not above the view's) and unknown types are skipped.
 *
 * @example
 * ```ts
 * let view = initialExecutionView(pipeline);
 * const step = advanceStateChanges(view, batch, pipeline, { region: 'local', account: '000000000000' });
 * view = step.view; // keep for the next batch
 * ```
 */
export function advanceStateChanges(
  view: ExecutionView,
  records: Iterable<EventRecord>,
  pipeline: Pipeline | undefined,
  options: StateChangeOptions,
): { view: ExecutionView; changes: StateChange[] } {
  let current = view;
  const changes: StateChange[] = [];
  for (const record of records) {
    if (!record.stream.startsWith('execution-') || record.seq <= current.lastSeq) continue;
    const event = parseStoredEvent(record);
    if (!isKnownEvent(event)) continue;
    const next = applyExecutionEvent(current, event);
    if (next === current) continue;
    changes.push(...diff(current, next, event as ExecutionEvent, pipeline, options));
    current = next;
  }
  return { view: current, changes };
}

/**
 * The state-change events of records of one execution: from its first event, or from `from`
 * (the view of the records before these).
 *
 * @example
 * ```ts
 * stateChangeEvents(records, pipeline, { region: 'eu-west-1', account: '123456789012' })[0]?.detail.state; // 'STARTED'
 * ```
 */
export function stateChangeEvents(
  records: Iterable<EventRecord>,
  pipeline: Pipeline | undefined,
  options: StateChangeOptions & { from?: ExecutionView },
): CodePipelineStateChangeEvent[] {
  const start = options.from ?? initialExecutionView(pipeline);
  return advanceStateChanges(start, records, pipeline, options).changes.map((c) => c.event);
}

function diff(
  before: ExecutionView,
  after: ExecutionView,
  event: ExecutionEvent,
  pipeline: Pipeline | undefined,
  options: StateChangeOptions,
): StateChange[] {
  const base = detailBase(after, pipeline);
  const envelope = (parts: (string | number)[]): EnvelopeBase => ({
    version: '0',
    id: eventId([event.id, ...parts]),
    source: CODEPIPELINE_EVENT_SOURCE,
    account: options.account,
    time: eventBridgeTime(event.at),
    region: options.region,
    resources: [`arn:aws:codepipeline:${options.region}:${options.account}:${after.pipelineName}`],
  });
  const withReason = (change: StateChange, reason: string | undefined): StateChange =>
    reason === undefined || reason === '' ? change : { ...change, reason };

  const pipelineChanges: StateChange[] = [];
  const pipelineState = pipelineStateOf(before.status, after.status);
  if (pipelineState !== undefined) {
    const detail: PipelineExecutionStateChangeDetail = { ...base, state: pipelineState };
    pipelineChanges.push(
      withReason(
        {
          event: {
            ...envelope(['pipeline', pipelineState]),
            'detail-type': STATE_CHANGE_DETAIL_TYPES.pipeline,
            detail,
          },
          name: `execution.${lowerState(pipelineState)}`,
        },
        reasonOf(event, after, 'pipeline'),
      ),
    );
  }

  const stageChanges: StateChange[] = [];
  const actionChanges: StateChange[] = [];
  for (const stage of after.stages) {
    const old = before.stages.find((s) => s.stageName === stage.stageName);
    const state = stageStateOf(old, stage);
    if (state !== undefined) {
      const detail: StageExecutionStateChangeDetail = { ...base, stage: stage.stageName, state };
      stageChanges.push(
        withReason(
          {
            event: {
              ...envelope(['stage', stage.stageName, state]),
              'detail-type': STATE_CHANGE_DETAIL_TYPES.stage,
              detail,
            },
            name: `stage.${lowerState(state)}`,
          },
          reasonOf(event, after, 'stage'),
        ),
      );
    }
    for (const action of stage.actions) {
      for (const attempt of action.attempts) {
        const previous = old?.actions
          .find((a) => a.actionName === action.actionName)
          ?.attempts.find((t) => t.actionExecutionId === attempt.actionExecutionId);
        for (const s of actionStatesOf(previous, attempt, before.status, after.status)) {
          const typeId =
            attempt.actionTypeId ??
            pipeline?.stages
              .find((st) => st.name === stage.stageName)
              ?.actions.find((a) => a.name === action.actionName)?.actionTypeId;
          const detail = actionDetail(base, stage.stageName, action.actionName, attempt, s, typeId, options);
          actionChanges.push(
            withReason(
              {
                event: {
                  ...envelope(['action', attempt.actionExecutionId, s]),
                  'detail-type': STATE_CHANGE_DETAIL_TYPES.action,
                  detail,
                },
                name: `action.${lowerState(s)}`,
              },
              s === 'FAILED' ? attempt.error?.message : reasonOf(event, after, 'action'),
            ),
          );
        }
      }
    }
  }
  const opening = (c: StateChange) => OPENING.has(c.event.detail.state);
  const closing = (c: StateChange) => !opening(c);
  return [
    ...pipelineChanges.filter(opening),
    ...stageChanges.filter(opening),
    ...actionChanges.filter(opening),
    ...actionChanges.filter(closing),
    ...stageChanges.filter(closing),
    ...pipelineChanges.filter(closing),
  ];
}

function lowerState<S extends string>(state: S): Lowercase<S> {
  return state.toLowerCase() as Lowercase<S>;
}

function pipelineStateOf(
  before: ExecutionView['status'],
  after: ExecutionView['status'],
): PipelineExecutionState | undefined {
  if (before === after) return undefined;
  if (after === 'InProgress') return before === 'NotStarted' ? 'STARTED' : 'RESUMED';
  return PIPELINE_STATE_OF[after];
}

function stageStateOf(before: StageView | undefined, after: StageView): StageExecutionState | undefined {
  const status = before?.status ?? 'NotStarted';
  const attempt = before?.stageAttempt ?? 0;
  if (after.status === 'InProgress') {
    if (status === 'InProgress' && attempt === after.stageAttempt) return undefined;
    return status === 'NotStarted' ? 'STARTED' : 'RESUMED';
  }
  return status === after.status ? undefined : STAGE_STATE_OF[after.status];
}

function actionStatesOf(
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

function detailBase(view: ExecutionView, pipeline: Pipeline | undefined): StateChangeDetailBase {
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

function actionDetail(
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

/** Why, in words, from the event that caused the change. */
function reasonOf(
  event: ExecutionEvent,
  after: ExecutionView,
  level: 'pipeline' | 'stage' | 'action',
): string | undefined {
  switch (event.type) {
    case 'ExecutionFailed':
      return `${event.data.stageName === undefined ? '' : `in stage ${event.data.stageName}: `}${event.data.error.message}`;
    case 'StageFailed':
      return level === 'pipeline'
        ? `in stage ${event.data.stageName}: ${event.data.error.message}`
        : event.data.error.message;
    case 'ExecutionStopping':
      return event.data.reason;
    case 'ExecutionStopped':
      return event.data.reason ?? after.stopTrigger?.reason;
    case 'ExecutionSuperseded':
      return `superseded by execution ${event.data.supersededBy}`;
    case 'ExecutionCancelled':
      return event.data.reason;
    case 'StageRetried': {
      const by = event.actor === undefined ? '' : ` by ${event.actor.id}`;
      return `${event.data.automatic === true ? 'automatic ' : ''}retry of stage ${event.data.stageName} (${event.data.retryMode})${by}`;
    }
    case 'ActionAbandoned':
      return event.data.reason;
    default:
      return undefined;
  }
}

/** EventBridge writes times to the second: `2026-01-05T10:00:00Z`. */
function eventBridgeTime(at: string): string {
  return at.replace(/\.\d+Z$/, 'Z');
}
