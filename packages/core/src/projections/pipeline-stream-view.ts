/**
 * The fold of a pipeline's own stream (`pipeline-<name>`): structure versions, transitions,
 * the execution mode's stage locks and queues, and the latest triggers received.
 *
 * @example
 * ```ts
 * const stream = foldPipelineStream(pipeline, events);
 * stream.stageLocks.find((l) => l.stageName === 'Deploy')?.heldBy?.pipelineExecutionId;
 * ```
 */
import { EventFoldError } from '../errors.ts';
import {
  isKnownEvent,
  PIPELINE_STREAM_EVENT_TYPES,
  type PipelineStreamEvent,
  type StoredEvent,
} from '../events/event-catalog.ts';
import type { EventActor, ExecutionTrigger } from '../events/event-parts.ts';
import type { TriggerReceived } from '../events/pipeline-stream-events.ts';
import type { Pipeline } from '../model/pipeline.ts';

/** How many received triggers the view keeps (the newest). @example `RECENT_TRIGGERS_KEPT; // 25` */
export const RECENT_TRIGGERS_KEPT = 25;

/** A stage's inbound transition, as CodePipeline's `TransitionState`. @example `{ enabled: false, disabledReason: 'freeze', lastChangedBy: 'alice', lastChangedAt }` */
export interface TransitionState {
  enabled: boolean;
  lastChangedBy?: string;
  lastChangedAt?: string;
  disabledReason?: string;
}

/** Who holds a stage's lock and who waits in front of it, in order. @example `{ stageName: 'Deploy', heldBy: { pipelineExecutionId: '7f0c', stageAttempt: 0, since }, queue: [] }` */
export interface StageLockState {
  stageName: string;
  heldBy?: { pipelineExecutionId: string; stageAttempt: number; since: string };
  queue: { pipelineExecutionId: string; since: string }[];
}

/** A trigger received, matched or filtered out. @example `{ triggerId: 'd-1', trigger, matched: false, reason: 'branch not included', at }` */
export interface TriggerView {
  triggerId: string;
  trigger: ExecutionTrigger;
  source?: string;
  matched: boolean;
  reason: string;
  pipelineExecutionId?: string;
  at: string;
}

/** The folded pipeline stream. @example `foldPipelineStream(pipeline, events).transitions.Deploy?.enabled` */
export interface PipelineStreamView {
  pipelineName: string;
  pipelineVersion?: number;
  created?: string;
  updated?: string;
  /** Inbound transition of each stage that ever changed, by stage name. */
  transitions: Record<string, TransitionState>;
  stageLocks: StageLockState[];
  recentTriggers: TriggerView[];
  lastSeq: number;
}

const PIPELINE_TYPES = new Set<string>(PIPELINE_STREAM_EVENT_TYPES);

/**
 * Folds a pipeline's stream. Duplicates (`seq` not above `lastSeq`) and unknown types are
 * skipped; an event of another stream throws `EventFoldError`. With `from` (a view folded
 * before, e.g. the snapshot on the stream's head), only the events after it are folded on it.
 *
 * @example
 * ```ts
 * foldPipelineStream(pipeline, await store.read(pipelineStream(pipeline.name))).stageLocks;
 * foldPipelineStream(pipeline, await store.read(stream, { fromSeq: snapshot.lastSeq + 1 }), snapshot);
 * ```
 */
export function foldPipelineStream(
  pipeline: Pipeline,
  events: Iterable<StoredEvent>,
  from?: PipelineStreamView,
): PipelineStreamView {
  const view: PipelineStreamView =
    from === undefined
      ? {
          pipelineName: pipeline.name,
          transitions: {},
          stageLocks: pipeline.stages.map((s) => ({ stageName: s.name, queue: [] })),
          recentTriggers: [],
          lastSeq: 0,
        }
      : structuredClone(from);
  for (const stage of pipeline.stages) lockOf(view, stage.name);
  if (from === undefined && pipeline.version !== undefined) view.pipelineVersion = pipeline.version;
  const stream = `pipeline-${pipeline.name}`;
  for (const event of events) {
    if (!isKnownEvent(event) || event.seq <= view.lastSeq) continue;
    if (event.stream !== stream || !PIPELINE_TYPES.has(event.type)) {
      throw new EventFoldError(
        `event ${event.id} (${event.type}) belongs to stream ${event.stream}, not ${stream}; pass only the pipeline's own stream`,
      );
    }
    apply(view, pipeline, structuredClone(event) as PipelineStreamEvent);
  }
  return view;
}

/**
 * A `TriggerReceived` as the views show it.
 *
 * @example
 * ```ts
 * triggerView(event); // { triggerId: 'd-1', trigger, matched: false, reason: 'branch not included', at }
 * ```
 */
export function triggerView(e: TriggerReceived): TriggerView {
  const { triggerId, trigger, source, matched, reason, pipelineExecutionId } = e.data;
  return {
    triggerId,
    trigger,
    ...(source === undefined ? {} : { source }),
    matched,
    reason,
    ...(pipelineExecutionId === undefined ? {} : { pipelineExecutionId }),
    at: e.at,
  };
}

function lockOf(view: PipelineStreamView, stageName: string): StageLockState {
  let lock = view.stageLocks.find((l) => l.stageName === stageName);
  if (lock === undefined) {
    lock = { stageName, queue: [] };
    view.stageLocks.push(lock);
  }
  return lock;
}

function inboundStage(pipeline: Pipeline, stageName: string, transitionType: 'Inbound' | 'Outbound') {
  if (transitionType === 'Inbound') return stageName;
  const index = pipeline.stages.findIndex((s) => s.name === stageName);
  return index === -1 ? undefined : pipeline.stages[index + 1]?.name;
}

function changedBy(actor: EventActor | undefined) {
  return actor === undefined ? {} : { lastChangedBy: actor.id };
}

function apply(view: PipelineStreamView, pipeline: Pipeline, e: PipelineStreamEvent): void {
  view.lastSeq = e.seq;
  switch (e.type) {
    case 'PipelineVersionCreated':
      view.pipelineVersion = e.data.version;
      view.created ??= e.at;
      view.updated = e.at;
      return;
    case 'TransitionDisabled':
    case 'TransitionEnabled': {
      const stage = inboundStage(pipeline, e.data.stageName, e.data.transitionType);
      if (stage === undefined) return;
      view.transitions[stage] =
        e.type === 'TransitionDisabled'
          ? { enabled: false, ...changedBy(e.actor), lastChangedAt: e.at, disabledReason: e.data.reason }
          : { enabled: true, ...changedBy(e.actor), lastChangedAt: e.at };
      return;
    }
    case 'TriggerReceived': {
      view.recentTriggers.push(triggerView(e));
      if (view.recentTriggers.length > RECENT_TRIGGERS_KEPT) view.recentTriggers.shift();
      return;
    }
    case 'StageLockAcquired': {
      const lock = lockOf(view, e.data.stageName);
      lock.heldBy = {
        pipelineExecutionId: e.data.pipelineExecutionId,
        stageAttempt: e.data.stageAttempt,
        since: e.at,
      };
      lock.queue = lock.queue.filter((q) => q.pipelineExecutionId !== e.data.pipelineExecutionId);
      return;
    }
    case 'StageLockReleased': {
      const lock = lockOf(view, e.data.stageName);
      if (lock.heldBy?.pipelineExecutionId === e.data.pipelineExecutionId) delete lock.heldBy;
      return;
    }
    case 'ExecutionQueued': {
      const lock = lockOf(view, e.data.stageName);
      if (!lock.queue.some((q) => q.pipelineExecutionId === e.data.pipelineExecutionId)) {
        lock.queue.push({ pipelineExecutionId: e.data.pipelineExecutionId, since: e.at });
      }
      return;
    }
    case 'ExecutionDequeued':
    case 'InboundExecutionSuperseded': {
      const lock = lockOf(view, e.data.stageName);
      lock.queue = lock.queue.filter((q) => q.pipelineExecutionId !== e.data.pipelineExecutionId);
      return;
    }
    default:
      return;
  }
}
