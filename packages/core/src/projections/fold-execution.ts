/**
 * The execution fold: `foldExecution(events, pipeline?)` and its incremental form
 * `applyExecutionEvent(view, event)`. Pure; never throws on a valid prefix of a stream.
 *
 * Rules: an event whose `seq` is not above the view's `lastSeq` is a duplicate delivery (the
 * store gives each id exactly one `seq`) and changes nothing; an event of a type this version
 * does not know is skipped; an event of another stream is a caller bug (`EventFoldError`).
 *
 * @example
 * ```ts
 * let view = foldExecution(await store.read(executionStream(id)), pipeline);
 * view = applyExecutionEvent(view, nextEvent); // same result as folding everything again
 * ```
 */
import { EventFoldError } from '../errors.ts';
import {
  EXECUTION_EVENT_TYPES,
  type ExecutionEvent,
  isKnownEvent,
  type StoredEvent,
} from '../events/event-catalog.ts';
import type { ExecutionStopped, PipelineExecutionStarted } from '../events/execution-events.ts';
import type { ExecutionStopping } from '../events/operator-events.ts';
import type { Pipeline } from '../model/pipeline.ts';
import {
  applyActionAbandoned,
  applyActionFailed,
  applyActionProgress,
  applyActionStarted,
  applyActionSucceeded,
  applyApprovalDecided,
  applyApprovalRequested,
} from './apply-action-event.ts';
import {
  applyConditionEvent,
  applyStageFailed,
  applyStageRetried,
  applyStageSkipped,
  applyStageStarted,
  applyStageSucceeded,
  applyStageWaiting,
  settleStages,
} from './apply-stage-event.ts';
import { type ExecutionView, initialExecutionView } from './execution-view.ts';

const STREAM_PREFIX = 'execution-';
const EXECUTION_TYPES = new Set<string>(EXECUTION_EVENT_TYPES);

/**
 * Folds an execution's events into its view. With the pipeline, stages and actions not
 * reached yet appear as `NotStarted`, in pipeline order.
 *
 * @example
 * ```ts
 * foldExecution(events, pipeline).status; // 'Succeeded'
 * ```
 */
export function foldExecution(events: Iterable<StoredEvent>, pipeline?: Pipeline): ExecutionView {
  const view = initialExecutionView(pipeline);
  for (const event of events) {
    const known = accept(view, event);
    if (known !== undefined) applyInPlace(view, copy(known));
  }
  return view;
}

/**
 * Folds more events onto a view, returning a new view (the input is not changed): equal to
 * folding every event from the start, at the cost of one copy of the view.
 *
 * @example
 * ```ts
 * const next = foldExecutionFrom(view, newEvents);
 * ```
 */
export function foldExecutionFrom(view: ExecutionView, events: Iterable<StoredEvent>): ExecutionView {
  let draft: ExecutionView | undefined;
  for (const event of events) {
    const known = accept(draft ?? view, event);
    if (known === undefined) continue;
    draft ??= copy(view);
    applyInPlace(draft, copy(known));
  }
  return draft ?? view;
}

/**
 * Applies one more event to a view, returning a new view (the input is not changed). Equal to
 * folding every event again.
 *
 * @example
 * ```ts
 * const next = applyExecutionEvent(view, event);
 * ```
 */
export function applyExecutionEvent(view: ExecutionView, event: StoredEvent): ExecutionView {
  const known = accept(view, event);
  if (known === undefined) return view;
  const draft = copy(view);
  applyInPlace(draft, copy(known));
  return draft;
}

/**
 * A deep copy of JSON-shaped data (plain objects, arrays, primitives; `undefined` kept), which
 * views and events are: several times faster than `structuredClone`, which serializes.
 * Anything else (a `Date`, a `Map`) falls back to `structuredClone`.
 */
function copy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copy) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = copy((value as Record<string, unknown>)[key]);
  return out as T;
}

/** The event when it should be applied to the view; undefined to skip it. */
function accept(view: ExecutionView, event: StoredEvent): ExecutionEvent | undefined {
  if (!isKnownEvent(event) || event.seq <= view.lastSeq) return undefined;
  const expected =
    view.pipelineExecutionId === '' ? undefined : `${STREAM_PREFIX}${view.pipelineExecutionId}`;
  if (
    !EXECUTION_TYPES.has(event.type) ||
    !event.stream.startsWith(STREAM_PREFIX) ||
    (expected !== undefined && event.stream !== expected)
  ) {
    throw new EventFoldError(
      `event ${event.id} (${event.type}) belongs to stream ${event.stream}, not ${expected ?? 'an execution stream'}; fold each execution's stream on its own`,
    );
  }
  return event as ExecutionEvent;
}

const ENDED = new Set(['Succeeded', 'Stopped', 'Superseded', 'Cancelled']);

function isOver(view: ExecutionView): boolean {
  return view.endedAt !== undefined || ENDED.has(view.status);
}

function end(view: ExecutionView, status: ExecutionView['status'], at: string): void {
  view.status = status;
  view.endedAt = at;
  for (const stage of view.stages) delete stage.waiting;
}

function applyInPlace(view: ExecutionView, e: ExecutionEvent): void {
  view.lastSeq = e.seq;
  view.updatedAt = e.at;
  if (view.pipelineExecutionId === '') view.pipelineExecutionId = e.stream.slice(STREAM_PREFIX.length);
  switch (e.type) {
    case 'PipelineExecutionStarted':
      applyExecutionStarted(view, e);
      return;
    case 'ExecutionSucceeded':
      end(view, 'Succeeded', e.at);
      return;
    case 'ExecutionFailed':
      end(view, 'Failed', e.at);
      view.statusSummary = e.data.error.message;
      return;
    case 'ExecutionStopped':
      applyExecutionStopped(view, e);
      return;
    case 'ExecutionSuperseded':
      end(view, 'Superseded', e.at);
      view.supersededBy = e.data.supersededBy;
      return;
    case 'ExecutionCancelled':
      end(view, 'Cancelled', e.at);
      view.statusSummary = e.data.reason;
      settleStages(view, ['InProgress', 'Stopping'], 'Cancelled', e.at);
      return;
    case 'ExecutionStopping':
      applyExecutionStopping(view, e);
      return;
    case 'StageWaiting':
      applyStageWaiting(view, e);
      return;
    case 'StageStarted':
      applyStageStarted(view, e);
      return;
    case 'StageSkipped':
      applyStageSkipped(view, e);
      return;
    case 'StageSucceeded':
      applyStageSucceeded(view, e);
      return;
    case 'StageFailed':
      applyStageFailed(view, e);
      return;
    case 'StageRetried':
      applyStageRetried(view, e);
      return;
    case 'ConditionEvaluated':
    case 'StageConditionOverridden':
      applyConditionEvent(view, e);
      return;
    case 'ActionStarted':
      applyActionStarted(view, e);
      return;
    case 'ActionProgress':
      applyActionProgress(view, e);
      return;
    case 'ActionSucceeded':
      applyActionSucceeded(view, e);
      return;
    case 'ActionFailed':
      applyActionFailed(view, e);
      return;
    case 'ActionAbandoned':
      applyActionAbandoned(view, e);
      return;
    case 'ApprovalRequested':
      applyApprovalRequested(view, e);
      return;
    case 'ApprovalDecided':
      applyApprovalDecided(view, e);
      return;
    default:
      return;
  }
}

function applyExecutionStarted(view: ExecutionView, e: PipelineExecutionStarted): void {
  const d = e.data;
  view.pipelineName = d.pipelineName;
  view.pipelineExecutionId = d.pipelineExecutionId;
  view.pipelineVersion = d.pipelineVersion;
  view.executionMode = d.executionMode;
  view.executionType = d.executionType;
  if (d.rollbackMetadata !== undefined) view.rollbackMetadata = d.rollbackMetadata;
  view.trigger = d.trigger;
  view.variables = d.variables;
  const known = new Set(view.sourceRevisions.map((r) => r.actionName));
  view.sourceRevisions = [
    ...d.sourceRevisions.filter((r) => !known.has(r.actionName)),
    ...view.sourceRevisions,
  ];
  if (view.status === 'NotStarted') view.status = 'InProgress';
  view.startedAt = e.at;
}

function applyExecutionStopped(view: ExecutionView, e: ExecutionStopped): void {
  end(view, 'Stopped', e.at);
  const reason = e.data.reason ?? view.stopTrigger?.reason;
  if (reason !== undefined) view.statusSummary = reason;
  settleStages(view, ['InProgress', 'Stopping'], 'Stopped', e.at);
}

function applyExecutionStopping(view: ExecutionView, e: ExecutionStopping): void {
  const d = e.data;
  view.operatorActions.push({
    kind: 'StopPipelineExecution',
    at: e.at,
    ...(e.actor === undefined ? {} : { actor: e.actor }),
    abandon: d.abandon,
    ...(d.reason === undefined ? {} : { reason: d.reason }),
  });
  if (isOver(view)) return;
  view.status = 'Stopping';
  view.stopTrigger = {
    abandon: d.abandon || (view.stopTrigger?.abandon ?? false),
    at: e.at,
    ...(e.actor === undefined ? {} : { actor: e.actor }),
    ...((d.reason ?? view.stopTrigger?.reason) === undefined
      ? {}
      : { reason: d.reason ?? view.stopTrigger?.reason }),
  };
  settleStages(view, ['InProgress'], 'Stopping', e.at);
}
