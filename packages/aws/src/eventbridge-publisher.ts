/**
 * Publishes CodePipeline's state-change events (built by core: `advanceStateChanges`) to an
 * EventBridge bus with `PutEvents`, so rules written for CodePipeline's
 * `CodePipeline … Execution State Change` detail-types and details match Pipewright's events.
 *
 * What differs from CodePipeline's own events:
 * - `source` is yours (default `pipewright`): EventBridge rejects custom events whose source
 *   starts with `aws.`, so `aws.codepipeline` cannot be sent; rules match on the detail-type
 *   and `source: ['pipewright']`.
 * - EventBridge assigns each event its own `id`; core's deterministic id is not kept. Delivery
 *   is at least once (EventBridge does not deduplicate): a consumer that must not act twice
 *   keys on the detail (`execution-id`, `stage`, `action-execution-id`, `state`).
 *
 * @example
 * ```ts
 * const events = new EventBridgePublisher({ client: new EventBridgeClient({}), busName: 'pipewright-prod' });
 * const step = advanceStateChanges(view, records, pipeline, { region, account });
 * await events.publish(step.changes);
 * ```
 */
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import type { StateChange } from '@pipewright/core';
import { AwsAdapterError } from './errors.ts';
import { isRetryableSdkError, sdkErrorName, sdkErrorSummary } from './sdk-error.ts';

/** Options of {@link EventBridgePublisher}. @example `{ client: new EventBridgeClient({}), busName: 'pipewright-prod' }` */
export interface EventBridgePublisherOptions {
  client: EventBridgeClient;
  /** The bus's name or ARN. */
  busName: string;
  /** The events' `source` (default `pipewright`); must not start with `aws.`. */
  source?: string;
  /** Wait before retrying throttled or internally failed entries once (default 200 ms). */
  retryDelayMs?: number;
}

/** Entries one PutEvents request may carry. @example `10` */
export const MAX_PUT_EVENTS_ENTRIES = 10;
/** Bytes one PutEvents request may carry (256 KiB, counted as EventBridge does). @example `262144` */
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;
/** Per-entry error codes worth one more try. */
const RETRYABLE_ENTRY_CODES = new Set(['ThrottlingException', 'InternalFailure', 'InternalException']);

interface Pending {
  change: StateChange;
  entry: PutEventsRequestEntry;
}
interface Failed extends Pending {
  code: string;
  message: string;
}

/**
 * Sends state changes to one EventBridge bus, in order, in batches of at most ten entries and
 * 256 KiB. Entries EventBridge fails with throttling or an internal error are sent once more;
 * whatever still fails is reported together in one `AwsAdapterError` `PW6304` naming each
 * event (the others were delivered).
 *
 * @example
 * ```ts
 * await new EventBridgePublisher({ client, busName: 'default', source: 'acme.pipewright' }).publish(changes);
 * ```
 */
export class EventBridgePublisher {
  readonly busName: string;
  readonly source: string;
  readonly #client: EventBridgeClient;
  readonly #retryDelayMs: number;

  constructor(options: EventBridgePublisherOptions) {
    const source = options.source ?? 'pipewright';
    if (source === '' || source.length > 256 || source.toLowerCase().startsWith('aws.')) {
      throw new AwsAdapterError(
        'PW6303',
        `event source ${JSON.stringify(source)} cannot be used: EventBridge reserves sources starting with "aws." for AWS services and needs 1–256 characters; use e.g. "pipewright" or "<your-org>.pipewright"`,
      );
    }
    this.#client = options.client;
    this.busName = options.busName;
    this.source = source;
    this.#retryDelayMs = options.retryDelayMs ?? 200;
  }

  /** Publishes the changes' events; resolves when EventBridge accepted every one. */
  async publish(changes: readonly StateChange[]): Promise<void> {
    const pending = changes.map((change) => ({ change, entry: this.entryOf(change) }));
    const failed: Failed[] = [];
    for (const batch of batches(pending)) {
      const first = await this.#put(batch);
      const retry = first.filter((f) => RETRYABLE_ENTRY_CODES.has(f.code));
      failed.push(...first.filter((f) => !RETRYABLE_ENTRY_CODES.has(f.code)));
      if (retry.length === 0) continue;
      await new Promise((resolve) => setTimeout(resolve, this.#retryDelayMs));
      failed.push(...(await this.#put(retry)));
    }
    if (failed.length === 0) return;
    const retryable = failed.every((f) => RETRYABLE_ENTRY_CODES.has(f.code));
    const listed = failed.map((f) => `${describe(f.change)} (${f.code}: ${f.message})`).join('; ');
    throw new AwsAdapterError(
      'PW6304',
      `EventBridge bus ${this.busName} rejected ${failed.length} of ${changes.length} state-change event${changes.length === 1 ? '' : 's'}: ${listed}; ${
        retryable
          ? 'EventBridge is throttling: publish them again later'
          : `check that the caller may events:PutEvents on the bus with source ${this.source} and that the bus exists`
      }`,
      { retryable },
    );
  }

  /**
   * The PutEvents entry of one state change: core's detail-type, detail, resources and time.
   *
   * @example
   * ```ts
   * publisher.entryOf(change).DetailType; // 'CodePipeline Stage Execution State Change'
   * ```
   */
  entryOf(change: StateChange): PutEventsRequestEntry {
    const { event } = change;
    return {
      EventBusName: this.busName,
      Source: this.source,
      DetailType: event['detail-type'],
      Detail: JSON.stringify(event.detail),
      Resources: [...event.resources],
      Time: new Date(event.time),
    };
  }

  /** Sends entries in one request; returns those EventBridge failed. */
  async #put(pending: readonly Pending[]): Promise<Failed[]> {
    let results: PutEventsResultEntry[];
    try {
      const output = await this.#client.send(new PutEventsCommand({ Entries: pending.map((p) => p.entry) }));
      if ((output.FailedEntryCount ?? 0) === 0) return [];
      results = output.Entries ?? [];
    } catch (cause) {
      const retryable = isRetryableSdkError(cause);
      const missing = sdkErrorName(cause) === 'ResourceNotFoundException';
      throw new AwsAdapterError(
        'PW6306',
        `PutEvents to EventBridge bus ${this.busName} failed (${sdkErrorSummary(cause)}); ${
          missing
            ? 'create the bus or fix busName'
            : retryable
              ? 'try again later'
              : 'check that the caller may events:PutEvents on the bus'
        }`,
        { retryable, cause },
      );
    }
    const failed: Failed[] = [];
    pending.forEach((p, i) => {
      const result = results[i];
      // Results come in request order; one without an EventId (or missing) was not accepted.
      if (result?.EventId !== undefined && result.ErrorCode === undefined) return;
      failed.push({
        ...p,
        code: result?.ErrorCode ?? 'Unknown',
        message: result?.ErrorMessage ?? 'no result entry',
      });
    });
    return failed;
  }
}

/**
 * An entry's size as EventBridge counts it against the 256 KiB limit.
 *
 * @example
 * ```ts
 * putEventsEntrySize({ Source: 'pipewright', DetailType: 'x', Detail: '{}' }); // 13
 * ```
 */
export function putEventsEntrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time === undefined ? 0 : 14;
  for (const part of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) {
    if (part !== undefined) size += Buffer.byteLength(part, 'utf8');
  }
  return size;
}

function batches(pending: readonly Pending[]): Pending[][] {
  const out: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 0;
  for (const p of pending) {
    const size = putEventsEntrySize(p.entry);
    if (size > MAX_PUT_EVENTS_BYTES) {
      throw new AwsAdapterError(
        'PW6305',
        `${describe(p.change)} is ${size} bytes, more than EventBridge's ${MAX_PUT_EVENTS_BYTES}; shorten what it carries (an action's summary or error message)`,
      );
    }
    if (current.length === MAX_PUT_EVENTS_ENTRIES || bytes + size > MAX_PUT_EVENTS_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(p);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** `stage Build STARTED of web execution 7f0c`, for error messages. */
function describe(change: StateChange): string {
  const { detail } = change.event;
  const where =
    'action' in detail
      ? `action ${detail.stage}/${detail.action}`
      : 'stage' in detail
        ? `stage ${detail.stage}`
        : 'pipeline';
  return `${where} ${detail.state} of ${detail.pipeline} execution ${detail['execution-id']}`;
}
