/**
 * What reaches a pipeline as a possible start — a git event, an EventBridge-shaped event, a
 * schedule tick — and what became of it. Every delivery has its own id (webhook delivery id,
 * event id, `<pipeline>:<expression>:<tick time>`): the pipeline records one `TriggerReceived`
 * per id, so a redelivery changes nothing.
 */
import type { GitEvent } from './git-event.ts';

/**
 * The `source` of a trigger delivery relayed on an EventBridge bus: in AWS the HTTP function
 * checks a webhook and puts the delivery on Pipewright's bus; the trigger function records it.
 */
export const TRIGGER_DELIVERY_SOURCE = 'pipewright.webhook';
/** The `detail-type` of a relayed delivery; its detail is `{ pipeline, delivery }`. */
export const TRIGGER_DELIVERY_DETAIL_TYPE = 'Pipewright Trigger Delivery';

/** An EventBridge-shaped event (PutEvents entry as the bus delivers it). */
export interface BusEvent {
  id: string;
  source: string;
  'detail-type': string;
  detail: Record<string, unknown>;
  time?: string;
  account?: string;
  region?: string;
  resources?: string[];
}

interface DeliveryBase {
  /** The delivery's own id; the same id delivered twice is one trigger. */
  triggerId: string;
  /** ISO-8601 time it was received (a schedule tick: the tick's time). */
  at: string;
}

/** A git event (webhook, poller). `provider` names where it came from (default `git`). */
export interface GitDelivery extends DeliveryBase {
  kind: 'git';
  event: GitEvent;
  provider?: string;
}

/** A git notification that is no git event a trigger can take (a deleted branch, a labeled pull request). */
export interface IgnoredGitDelivery extends DeliveryBase {
  kind: 'git';
  /** Why it starts nothing. */
  ignored: string;
  provider?: string;
  /** Where it came from, e.g. `github:acme/web`. */
  source?: string;
}

/** An EventBridge-shaped event from the local bus (`POST /events`). */
export interface EventDelivery extends DeliveryBase {
  kind: 'event';
  event: BusEvent;
}

/** A tick of a `Schedule` trigger. */
export interface ScheduleDelivery extends DeliveryBase {
  kind: 'schedule';
  expression: string;
  timezone?: string;
}

/**
 * One delivery to one pipeline.
 *
 * @example
 * ```ts
 * const d: TriggerDelivery = { kind: 'schedule', triggerId: 'web-app:rate(1 hour):2026-01-02T03:00:00.000Z', at: '2026-01-02T03:00:00.000Z', expression: 'rate(1 hour)' };
 * ```
 */
export type TriggerDelivery = GitDelivery | IgnoredGitDelivery | EventDelivery | ScheduleDelivery;

/**
 * What became of a delivery: whether it started an execution, and why (not).
 *
 * @example
 * ```ts
 * const r: TriggerResult = { triggerId: 'd-1', matched: false, reason: 'branch "wip" is excluded by push filter 1 (excludes: wip)' };
 * ```
 */
export interface TriggerResult {
  triggerId: string;
  matched: boolean;
  reason: string;
  /** The execution a matched delivery started. */
  executionId?: string;
  /** The delivery had been recorded before; nothing was done now. */
  duplicate?: boolean;
}

/**
 * The result recorded for `triggerId` in a pipeline stream's events, if any (marked `duplicate`).
 *
 * @example
 * ```ts
 * recordedTrigger(await store.read(pipelineStream('web-app')), 'd-1');
 * // { triggerId: 'd-1', matched: true, reason: '…', executionId: '7f0c', duplicate: true }
 * ```
 */
export function recordedTrigger(
  events: readonly { type: string; data: unknown }[],
  triggerId: string,
): TriggerResult | undefined {
  for (const e of events) {
    if (e.type !== 'TriggerReceived') continue;
    const d = e.data as {
      triggerId?: unknown;
      matched?: unknown;
      reason?: unknown;
      pipelineExecutionId?: unknown;
    };
    if (d.triggerId !== triggerId) continue;
    return {
      triggerId,
      matched: d.matched === true,
      reason: typeof d.reason === 'string' ? d.reason : '',
      ...(typeof d.pipelineExecutionId === 'string' ? { executionId: d.pipelineExecutionId } : {}),
      duplicate: true,
    };
  }
  return undefined;
}
