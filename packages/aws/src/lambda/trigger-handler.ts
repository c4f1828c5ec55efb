/**
 * The trigger function: turns what EventBridge delivers into trigger deliveries and hands them
 * to the engine's `TriggerDispatcher` — the same code `pipewright serve` runs: one
 * `TriggerReceived` per delivery id in the pipeline's stream, the exact filter (`matchTrigger`)
 * applied, the execution mode honoured by the engine's gates. A redelivery starts nothing.
 *
 * It takes three shapes (infra wires them):
 * - a rule target's input `{ "pipeline": "web-app", "event": <aws.events.event.json> }`
 *   (an input transformer naming the pipeline around the matched event);
 * - a Scheduler target's input `{ "pipeline", "kind": "schedule", "expression", "timezone"?,
 *   "scheduledTime": "<aws.scheduler.scheduled-time>" }` — the tick's time makes its id;
 * - a webhook delivery the HTTP function put on the bus (`source` {@link WEBHOOK_SOURCE},
 *   detail-type {@link TRIGGER_DELIVERY_DETAIL_TYPE}, detail `{ pipeline, delivery }`), bare or
 *   wrapped as a rule target's input.
 *
 * @example
 * ```ts
 * const trigger = triggerHandler(async () => ({ dispatcher }));
 * await trigger({ pipeline: 'web-app', kind: 'schedule', expression: 'rate(1 day)', scheduledTime: '2026-11-23T06:00:00Z' });
 * ```
 */
import {
  type BusEvent,
  TRIGGER_DELIVERY_DETAIL_TYPE,
  TRIGGER_DELIVERY_SOURCE,
  type TriggerDelivery,
  type TriggerResult,
} from '@pipewright/core';
import type { TriggerDispatcher } from '@pipewright/engine';
import { AwsAdapterError } from '../errors.ts';

/** The `source` of webhook deliveries the HTTP function puts on the bus (core's `TRIGGER_DELIVERY_SOURCE`). @example `WEBHOOK_SOURCE // 'pipewright.webhook'` */
export const WEBHOOK_SOURCE = TRIGGER_DELIVERY_SOURCE;
export { TRIGGER_DELIVERY_DETAIL_TYPE };

/** Room for a relayed delivery's detail in one PutEvents entry (256 KB, less the envelope). */
export const MAX_RELAYED_DETAIL_BYTES = 250_000;

/**
 * The detail of a relayed webhook delivery, `{ pipeline, delivery }`, made to fit one EventBridge
 * entry: a push too large keeps no list of changed files (as GitHub's own truncated pushes —
 * file-path filters then say the event does not list them) and a shortened commit message.
 * Throws PW6305 when even that does not fit.
 *
 * @example
 * ```ts
 * JSON.parse(relayedDetail('web-app', delivery)).pipeline; // 'web-app'
 * ```
 */
export function relayedDetail(pipeline: string, delivery: TriggerDelivery): string {
  const whole = JSON.stringify({ pipeline, delivery });
  if (Buffer.byteLength(whole) <= MAX_RELAYED_DETAIL_BYTES) return whole;
  if (delivery.kind === 'git' && 'event' in delivery) {
    const { changedFiles: _files, ...event } = delivery.event;
    const message = 'commitMessage' in event ? event.commitMessage : undefined;
    const slim = {
      ...delivery,
      event: { ...event, ...(message === undefined ? {} : { commitMessage: message.slice(0, 2_000) }) },
    };
    const smaller = JSON.stringify({ pipeline, delivery: slim });
    if (Buffer.byteLength(smaller) <= MAX_RELAYED_DETAIL_BYTES) return smaller;
  }
  throw new AwsAdapterError(
    'PW6305',
    `the webhook delivery ${delivery.triggerId} for ${pipeline} is larger than an EventBridge event may be, even without its file list; start the execution with pipewright start`,
  );
}

/** What the trigger function needs. @example `{ dispatcher: new TriggerDispatcher({ store, pipelines, start }) }` */
export interface TriggerParts {
  dispatcher: Pick<TriggerDispatcher, 'deliver'>;
  now?: () => Date;
  /** A poll of an S3 source: the event its current version makes, or `undefined` (`observeSource`). */
  observe?(pipeline: string, sourceAction: string, now: Date): Promise<BusEvent | undefined>;
}

/**
 * The pipeline and delivery an event means. Throws PW6502 for a shape it does not take.
 *
 * @example
 * ```ts
 * triggerDeliveryOf({ pipeline: 'p', event: { id: 'e-1', source: 'acme', 'detail-type': 'x', detail: {} } }, new Date());
 * // { pipeline: 'p', delivery: { kind: 'event', triggerId: 'e-1', … } }
 * ```
 */
export function triggerDeliveryOf(raw: unknown, now: Date): { pipeline: string; delivery: TriggerDelivery } {
  const input = record(raw);
  if (isBusEvent(input) && input.source === WEBHOOK_SOURCE) return relayed(input);
  const pipeline = input?.pipeline;
  if (typeof pipeline === 'string' && pipeline !== '') {
    if (input?.kind === 'schedule' && typeof input.expression === 'string') {
      const at = typeof input.scheduledTime === 'string' ? new Date(input.scheduledTime) : now;
      const when = Number.isNaN(at.getTime()) ? now : at;
      return {
        pipeline,
        delivery: {
          kind: 'schedule',
          triggerId: `${pipeline}:${input.expression}:${when.toISOString()}`,
          at: when.toISOString(),
          expression: input.expression,
          ...(typeof input.timezone === 'string' ? { timezone: input.timezone } : {}),
        },
      };
    }
    const event = record(input?.event);
    if (isBusEvent(event)) {
      if (event.source === WEBHOOK_SOURCE) return relayed(event);
      return {
        pipeline,
        delivery: { kind: 'event', triggerId: event.id, at: event.time ?? now.toISOString(), event },
      };
    }
  }
  throw new AwsAdapterError(
    'PW6502',
    'the trigger function takes { pipeline, event } (an EventBridge rule with an input transformer), { pipeline, kind: "schedule", expression, scheduledTime } (a Scheduler target) or a webhook delivery from the bus; check the target wiring in infra/',
  );
}

/**
 * The trigger function's handler.
 *
 * @example
 * ```ts
 * export const handler = triggerHandler(openParts);
 * ```
 */
export function triggerHandler(
  open: () => Promise<TriggerParts>,
): (event: unknown) => Promise<TriggerResult> {
  return async (event) => {
    const parts = await open();
    const now = (parts.now ?? (() => new Date()))();
    const input = record(event);
    if (
      input?.kind === 'poll' &&
      typeof input.pipeline === 'string' &&
      typeof input.sourceAction === 'string'
    ) {
      const seen = await parts.observe?.(input.pipeline, input.sourceAction, now);
      if (seen === undefined) {
        return {
          triggerId: `poll:${input.pipeline}:${input.sourceAction}`,
          matched: false,
          reason: 'the poll saw no version',
        };
      }
      return parts.dispatcher.deliver(input.pipeline, {
        kind: 'event',
        triggerId: seen.id,
        at: now.toISOString(),
        event: seen,
      });
    }
    const { pipeline, delivery } = triggerDeliveryOf(event, now);
    return parts.dispatcher.deliver(pipeline, delivery);
  };
}

function relayed(event: BusEvent): { pipeline: string; delivery: TriggerDelivery } {
  const detail = event.detail as { pipeline?: unknown; delivery?: unknown };
  const delivery = record(detail.delivery);
  if (
    event['detail-type'] !== TRIGGER_DELIVERY_DETAIL_TYPE ||
    typeof detail.pipeline !== 'string' ||
    delivery === undefined ||
    typeof delivery.triggerId !== 'string' ||
    typeof delivery.kind !== 'string'
  )
    throw new AwsAdapterError(
      'PW6502',
      `a ${WEBHOOK_SOURCE} event must be a "${TRIGGER_DELIVERY_DETAIL_TYPE}" with detail { pipeline, delivery }`,
    );
  return { pipeline: detail.pipeline, delivery: delivery as unknown as TriggerDelivery };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function isBusEvent(value: Record<string, unknown> | undefined): value is Record<string, unknown> & BusEvent {
  return (
    value !== undefined &&
    typeof value.id === 'string' &&
    typeof value.source === 'string' &&
    typeof value['detail-type'] === 'string' &&
    record(value.detail) !== undefined
  );
}
