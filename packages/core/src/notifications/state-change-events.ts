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
import type { Pipeline } from '../model/pipeline.ts';
import type { EventRecord } from '../ports/event-store.ts';
import type { ExecutionView, StageView } from '../projections/execution-view.ts';
import { initialExecutionView } from '../projections/execution-view.ts';
import { applyExecutionEvent } from '../projections/fold-execution.ts';
import type {
  ActionExecutionState,
  NotificationEventName,
  PipelineExecutionState,
  StageExecutionState,
} from './notification-events.ts';
import {
  actionDetail,
  actionStatesOf,
  detailBase,
  eventBridgeTime,
  pipelineStateOf,
  stageStateOf,
} from './state-change-detail.ts';
import { reasonOf } from './state-change-reason.ts';

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

/** What one event changed, and what every state change it caused shares. */
interface Change {
  before: ExecutionView;
  after: ExecutionView;
  event: ExecutionEvent;
  pipeline: Pipeline | undefined;
  options: StateChangeOptions;
  base: StateChangeDetailBase;
}

function diff(
  before: ExecutionView,
  after: ExecutionView,
  event: ExecutionEvent,
  pipeline: Pipeline | undefined,
  options: StateChangeOptions,
): StateChange[] {
  const change: Change = { before, after, event, pipeline, options, base: detailBase(after, pipeline) };
  const pipelineChanges = pipelineStateChanges(change);
  const stageChanges: StateChange[] = [];
  const actionChanges: StateChange[] = [];
  for (const stage of after.stages) {
    const old = before.stages.find((s) => s.stageName === stage.stageName);
    stageChanges.push(...stageStateChanges(change, old, stage));
    actionChanges.push(...actionStateChanges(change, old, stage));
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

function envelope({ event, after, options }: Change, parts: (string | number)[]): EnvelopeBase {
  return {
    version: '0',
    id: eventId([event.id, ...parts]),
    source: CODEPIPELINE_EVENT_SOURCE,
    account: options.account,
    time: eventBridgeTime(event.at),
    region: options.region,
    resources: [`arn:aws:codepipeline:${options.region}:${options.account}:${after.pipelineName}`],
  };
}

function withReason(change: StateChange, reason: string | undefined): StateChange {
  return reason === undefined || reason === '' ? change : { ...change, reason };
}

function pipelineStateChanges(change: Change): StateChange[] {
  const state = pipelineStateOf(change.before.status, change.after.status);
  if (state === undefined) return [];
  const detail: PipelineExecutionStateChangeDetail = { ...change.base, state };
  return [
    withReason(
      {
        event: {
          ...envelope(change, ['pipeline', state]),
          'detail-type': STATE_CHANGE_DETAIL_TYPES.pipeline,
          detail,
        },
        name: `execution.${lowerState(state)}`,
      },
      reasonOf(change.event, change.after, 'pipeline'),
    ),
  ];
}

function stageStateChanges(change: Change, old: StageView | undefined, stage: StageView): StateChange[] {
  const state = stageStateOf(old, stage);
  if (state === undefined) return [];
  const detail: StageExecutionStateChangeDetail = { ...change.base, stage: stage.stageName, state };
  return [
    withReason(
      {
        event: {
          ...envelope(change, ['stage', stage.stageName, state]),
          'detail-type': STATE_CHANGE_DETAIL_TYPES.stage,
          detail,
        },
        name: `stage.${lowerState(state)}`,
      },
      reasonOf(change.event, change.after, 'stage'),
    ),
  ];
}

function actionStateChanges(change: Change, old: StageView | undefined, stage: StageView): StateChange[] {
  const { before, after, event, pipeline, options } = change;
  const changes: StateChange[] = [];
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
        const detail = actionDetail(
          change.base,
          stage.stageName,
          action.actionName,
          attempt,
          s,
          typeId,
          options,
        );
        changes.push(
          withReason(
            {
              event: {
                ...envelope(change, ['action', attempt.actionExecutionId, s]),
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
  return changes;
}

function lowerState<S extends string>(state: S): Lowercase<S> {
  return state.toLowerCase() as Lowercase<S>;
}
