/**
 * The envelope every Pipewright event shares, deterministic event ids, and the helper the
 * event constructors use. Core is pure: `at` (time) and every id are parameters.
 *
 * @example
 * ```ts
 * eventId(['7f0c', 'Build', 'Test', 0, 1, 'ActionStarted']); // '7f0c:Build:Test:0:1:ActionStarted'
 * ```
 */
import * as z from 'zod';
import { executionStream, pipelineStream } from '../ports/event-store.ts';
import { type EventActor, EventActorSchema, IsoTimeSchema } from './event-parts.ts';

/**
 * One fact in a stream. `seq` is the 1-based position the store assigned; `id` is deterministic
 * so a duplicate delivery of the same fact has the same id (and the store skips it).
 *
 * @example
 * ```ts
 * const e: EventEnvelope<'ExecutionSucceeded', Record<string, never>> = {
 *   id: '7f0c:ExecutionSucceeded', stream: 'execution-7f0c', seq: 9, type: 'ExecutionSucceeded',
 *   at: '2026-01-02T03:04:05.000Z', data: {},
 * };
 * ```
 */
export interface EventEnvelope<T extends string, D> {
  id: string;
  stream: string;
  seq: number;
  type: T;
  at: string;
  actor?: EventActor;
  data: D;
}

/**
 * An event before it is appended: the envelope without `seq` (the store assigns it).
 *
 * @example
 * ```ts
 * const e: NewEvent<ExecutionSucceeded> = executionSucceeded({ executionId: '7f0c', at });
 * ```
 */
export type NewEvent<E> = E extends EventEnvelope<string, unknown> ? Omit<E, 'seq'> : never;

/** What every execution-stream event constructor takes besides the data. @example `{ executionId: '7f0c', at }` */
export interface ExecutionEventContext {
  executionId: string;
  at: string;
  actor?: EventActor;
}

/** What every pipeline-stream event constructor takes besides the data. @example `{ pipelineName: 'web-app', at }` */
export interface PipelineEventContext {
  pipelineName: string;
  at: string;
  actor?: EventActor;
}

/**
 * A deterministic event id from its identifying parts, joined with `:`. `%` and `:` inside a
 * part are escaped (`%25`, `%3A`) so two different part lists never give the same id.
 *
 * @example
 * ```ts
 * eventId(['7f0c', 'Deploy', 1, 'StageStarted']); // '7f0c:Deploy:1:StageStarted'
 * ```
 */
export function eventId(parts: readonly (string | number)[]): string {
  return parts.map((p) => String(p).replaceAll('%', '%25').replaceAll(':', '%3A')).join(':');
}

/**
 * The deterministic id of one action execution (one run of an action in one stage attempt).
 *
 * @example
 * ```ts
 * actionExecutionId('7f0c', 'Build', 'Test', 0, 1); // '7f0c:Build:Test:0:1'
 * ```
 */
export function actionExecutionId(
  executionId: string,
  stage: string,
  action: string,
  stageAttempt: number,
  attempt: number,
): string {
  return eventId([executionId, stage, action, stageAttempt, attempt]);
}

/** @internal Builds a new execution-stream event; the id is `eventId([executionId, ...idParts, type])`. */
export function newExecutionEvent<T extends string, D>(
  type: T,
  context: ExecutionEventContext,
  idParts: readonly (string | number)[],
  data: D,
): Omit<EventEnvelope<T, D>, 'seq'> {
  const event: Omit<EventEnvelope<T, D>, 'seq'> = {
    id: eventId([context.executionId, ...idParts, type]),
    stream: executionStream(context.executionId),
    type,
    at: context.at,
    data,
  };
  if (context.actor !== undefined) event.actor = context.actor;
  return event;
}

/**
 * @internal A constructor for one execution event type: it splits the context
 * (`executionId`, `at`, `actor`) off the input and derives the id parts from the data.
 *
 * @example
 * ```ts
 * const stageStarted = executionEventFactory<'StageStarted', StageStartedData>('StageStarted', (d) => [d.stageName, d.stageAttempt]);
 * ```
 */
export function executionEventFactory<T extends string, D>(
  type: T,
  idParts: (data: D) => readonly (string | number)[],
): (input: ExecutionEventContext & D) => Omit<EventEnvelope<T, D>, 'seq'> {
  return (input) => {
    const { executionId, at, actor, ...rest } = input;
    const data = rest as unknown as D;
    return newExecutionEvent(type, { executionId, at, actor }, idParts(data), data);
  };
}

/** @internal Builds a new pipeline-stream event; the id is `eventId([pipelineName, ...idParts, type])`. */
export function newPipelineEvent<T extends string, D>(
  type: T,
  context: PipelineEventContext,
  idParts: readonly (string | number)[],
  data: D,
): Omit<EventEnvelope<T, D>, 'seq'> {
  const event: Omit<EventEnvelope<T, D>, 'seq'> = {
    id: eventId([context.pipelineName, ...idParts, type]),
    stream: pipelineStream(context.pipelineName),
    type,
    at: context.at,
    data,
  };
  if (context.actor !== undefined) event.actor = context.actor;
  return event;
}

/** @internal The zod schema of one event type's envelope. */
export function envelopeSchema<T extends string, S extends z.ZodType>(type: T, data: S) {
  return z.object({
    id: z.string().min(1),
    stream: z.string().min(1),
    seq: z.int().positive(),
    type: z.literal(type),
    at: IsoTimeSchema,
    actor: EventActorSchema.optional(),
    data,
  });
}
