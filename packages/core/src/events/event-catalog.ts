/**
 * The event catalog: the union of every Pipewright event, its zod schema, the list of types,
 * and the parsers used when events are read back from storage.
 *
 * @example
 * ```ts
 * const event = parseEvent(JSON.parse(row.json));
 * if (event.type === 'ActionFailed') console.log(event.data.error.message);
 * ```
 */
import * as z from 'zod';
import { EventFoldError } from '../errors.ts';
import {
  ACTION_EVENT_SCHEMAS,
  type ActionAbandoned,
  type ActionFailed,
  type ActionProgress,
  type ActionStarted,
  type ActionSucceeded,
} from './action-events.ts';
import { APPROVAL_EVENT_SCHEMAS, type ApprovalDecided, type ApprovalRequested } from './approval-events.ts';
import { type EventActor, EventActorSchema, IsoTimeSchema } from './event-parts.ts';
import {
  EXECUTION_EVENT_SCHEMAS,
  type ExecutionCancelled,
  type ExecutionFailed,
  type ExecutionStopped,
  type ExecutionSucceeded,
  type ExecutionSuperseded,
  type PipelineExecutionStarted,
} from './execution-events.ts';
import {
  type ExecutionStopping,
  OPERATOR_EVENT_SCHEMAS,
  type StageConditionOverridden,
  type StageRetried,
} from './operator-events.ts';
import {
  type ExecutionDequeued,
  type ExecutionQueued,
  type InboundExecutionSuperseded,
  PIPELINE_STREAM_EVENT_SCHEMAS,
  type PipelineVersionCreated,
  type StageLockAcquired,
  type StageLockReleased,
  type TransitionDisabled,
  type TransitionEnabled,
  type TriggerReceived,
} from './pipeline-stream-events.ts';
import {
  type ConditionEvaluated,
  STAGE_EVENT_SCHEMAS,
  type StageFailed,
  type StageSkipped,
  type StageStarted,
  type StageSucceeded,
  type StageWaiting,
} from './stage-events.ts';

/**
 * Every event of an `execution-<id>` stream.
 *
 * @example
 * ```ts
 * function isEnd(e: ExecutionEvent) { return e.type === 'ExecutionSucceeded' || e.type === 'ExecutionFailed'; }
 * ```
 */
export type ExecutionEvent =
  | PipelineExecutionStarted
  | ExecutionSucceeded
  | ExecutionFailed
  | ExecutionStopped
  | ExecutionSuperseded
  | ExecutionCancelled
  | StageWaiting
  | StageStarted
  | StageSkipped
  | StageSucceeded
  | StageFailed
  | ConditionEvaluated
  | ActionStarted
  | ActionProgress
  | ActionSucceeded
  | ActionFailed
  | ActionAbandoned
  | ApprovalRequested
  | ApprovalDecided
  | ExecutionStopping
  | StageRetried
  | StageConditionOverridden;

/**
 * Every event of a `pipeline-<name>` stream.
 *
 * @example
 * ```ts
 * const locks = events.filter((e): e is StageLockAcquired => e.type === 'StageLockAcquired');
 * ```
 */
export type PipelineStreamEvent =
  | PipelineVersionCreated
  | TransitionDisabled
  | TransitionEnabled
  | TriggerReceived
  | StageLockAcquired
  | StageLockReleased
  | ExecutionQueued
  | ExecutionDequeued
  | InboundExecutionSuperseded;

/**
 * Any Pipewright event: a discriminated union on `type`.
 *
 * @example
 * ```ts
 * switch (event.type) { case 'StageFailed': return event.data.error; }
 * ```
 */
export type PipewrightEvent = ExecutionEvent | PipelineStreamEvent;

/** The type names of {@link PipewrightEvent}. @example `type T = PipewrightEventType; // 'ActionStarted' | …` */
export type PipewrightEventType = PipewrightEvent['type'];

/**
 * An event whose envelope is valid but whose type this version does not know (written by a
 * newer Pipewright). Folds skip it.
 *
 * @example
 * ```ts
 * const e = parseStoredEvent(raw); if (!isKnownEvent(e)) log(`skipping ${e.type}`);
 * ```
 */
export interface UnknownEvent {
  id: string;
  stream: string;
  seq: number;
  type: string;
  at: string;
  actor?: EventActor;
  data: unknown;
  /** Marks the event as not understood; never set on a {@link PipewrightEvent}. */
  unknown: true;
}

/** What a stream read back from storage may hold. @example `const events: StoredEvent[] = rows.map(parseStoredEvent)` */
export type StoredEvent = PipewrightEvent | UnknownEvent;

const ALL_SCHEMAS = [
  ...EXECUTION_EVENT_SCHEMAS,
  ...STAGE_EVENT_SCHEMAS,
  ...ACTION_EVENT_SCHEMAS,
  ...APPROVAL_EVENT_SCHEMAS,
  ...OPERATOR_EVENT_SCHEMAS,
  ...PIPELINE_STREAM_EVENT_SCHEMAS,
] as const;

/**
 * The zod schema of {@link PipewrightEvent} (discriminated on `type`).
 *
 * @example
 * ```ts
 * PipewrightEventSchema.safeParse(raw).success;
 * ```
 */
export const PipewrightEventSchema: z.ZodType<PipewrightEvent> = z.discriminatedUnion('type', ALL_SCHEMAS);

/**
 * Every event type, in catalog order.
 *
 * @example
 * ```ts
 * EVENT_TYPES.includes('ApprovalDecided'); // true
 * ```
 */
export const EVENT_TYPES: readonly PipewrightEventType[] = ALL_SCHEMAS.map((s) => s.shape.type.value);

const KNOWN = new Set<string>(EVENT_TYPES);

const ExecutionStreamTypes: readonly ExecutionEvent['type'][] = [
  ...EXECUTION_EVENT_SCHEMAS,
  ...STAGE_EVENT_SCHEMAS,
  ...ACTION_EVENT_SCHEMAS,
  ...APPROVAL_EVENT_SCHEMAS,
  ...OPERATOR_EVENT_SCHEMAS,
].map((s) => s.shape.type.value);

/** The types that belong to `execution-<id>` streams. @example `EXECUTION_EVENT_TYPES.includes('StageFailed'); // true` */
export const EXECUTION_EVENT_TYPES: readonly ExecutionEvent['type'][] = ExecutionStreamTypes;

/** The types that belong to `pipeline-<name>` streams. @example `PIPELINE_STREAM_EVENT_TYPES.includes('TriggerReceived'); // true` */
export const PIPELINE_STREAM_EVENT_TYPES: readonly PipelineStreamEvent['type'][] =
  PIPELINE_STREAM_EVENT_SCHEMAS.map((s) => s.shape.type.value);

const EnvelopeSchema = z.object({
  id: z.string().min(1),
  stream: z.string().min(1),
  seq: z.int().positive(),
  type: z.string().min(1),
  at: IsoTimeSchema,
  actor: EventActorSchema.optional(),
  data: z.unknown(),
});

/**
 * True when the event's type is in this version's catalog.
 *
 * @example
 * ```ts
 * if (isKnownEvent(e)) fold(e);
 * ```
 */
export function isKnownEvent(event: StoredEvent): event is PipewrightEvent {
  return KNOWN.has(event.type) && !('unknown' in event && event.unknown === true);
}

/**
 * Parses and validates an event read back from storage. Throws `EventFoldError` (PW1004)
 * naming the first problem's path when it is not a valid event of the catalog, including
 * an unknown type; use {@link parseStoredEvent} to tolerate types from newer versions.
 *
 * @example
 * ```ts
 * const event = parseEvent({ id: '7f0c:ExecutionSucceeded', stream: 'execution-7f0c', seq: 9,
 *   type: 'ExecutionSucceeded', at: '2026-01-02T03:04:05.000Z', data: {} });
 * ```
 */
export function parseEvent(raw: unknown): PipewrightEvent {
  const result = PipewrightEventSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.filter((p): p is string | number => typeof p !== 'symbol') ?? [];
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  throw new EventFoldError(
    `not a valid Pipewright event${typeof type === 'string' ? ` of type ${type}` : ''}: ${path.length > 0 ? `${path.join('.')}: ` : ''}${issue?.message ?? 'invalid'}; check the record written to the event store (or upgrade Pipewright if the type is newer)`,
    { path },
  );
}

/**
 * Like {@link parseEvent}, but an event with a valid envelope and a type this version does not
 * know is returned as an {@link UnknownEvent} (forward compatibility) instead of throwing.
 *
 * @example
 * ```ts
 * const events = rows.map((r) => parseStoredEvent(JSON.parse(r)));
 * foldExecution(events); // unknown types are skipped
 * ```
 */
export function parseStoredEvent(raw: unknown): StoredEvent {
  // A known type needs no envelope check first: parseEvent checks the whole event (one parse, not two).
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  if (typeof type === 'string' && KNOWN.has(type)) return parseEvent(raw);
  const envelope = EnvelopeSchema.safeParse(raw);
  if (envelope.success && !KNOWN.has(envelope.data.type)) {
    const { actor, ...rest } = envelope.data;
    return actor === undefined ? { ...rest, unknown: true } : { ...rest, actor, unknown: true };
  }
  return parseEvent(raw);
}
