/**
 * The projector function: reads the event table's DynamoDB stream and turns new execution
 * events into what users see outside the log — CodePipeline's state-change events on the bus
 * (with their detail-types and detail), and notifications (SNS email with the signed approval
 * link). Both come from core's pure folds (`advanceStateChanges`, `notificationsFor`), as in
 * `pipewright serve`. It also stops the CodeBuild builds of actions that were abandoned or failed
 * while their build still ran.
 *
 * Duplicate stream records change nothing: every side effect is claimed once in the table
 * (`DynamoOnce`) before it happens, and given back if it fails, so a retried batch resends only
 * what was not sent. Other items of the table (task tokens, markers, pipeline streams) are skipped.
 *
 * @example
 * ```ts
 * const projector = projectorHandler(async () => parts);
 * await projector({ Records: [{ eventName: 'INSERT', dynamodb: { NewImage } }] });
 * ```
 */

import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type ApprovalNotice,
  type ApprovalRequested,
  advanceStateChanges,
  type EventRecord,
  foldExecutionFrom,
  initialExecutionView,
  notificationsFor,
  type OutgoingNotification,
  type Pipeline,
  PipewrightError,
  parseStoredEvent,
  type StateChange,
} from '@pipewright/core';
import { type ApprovalTopicPublication, approvalTopicPublications } from '../approval-topic.ts';
import { eventFromItem } from '../event-table.ts';

const EXECUTION_PREFIX = 'execution-';

/** What the projector needs. @example `{ store, definition, publish, notify, once, approvalLink, region: 'eu-west-1', account: '123456789012' }` */
export interface ProjectorParts {
  store: { read(stream: string, options?: { fromSeq?: number; limit?: number }): Promise<EventRecord[]> };
  /** The definition an execution runs (its recorded version). */
  definition(pipeline: string, version?: number): Promise<Pipeline | undefined>;
  /** Puts state-change events on the bus. */
  publish(changes: readonly StateChange[]): Promise<void>;
  /** Delivers one notification (SNS email; other channels as configured). */
  notify(message: OutgoingNotification): Promise<void>;
  /**
   * Side effects claimed once across redeliveries (`DynamoOnce`): `claimed` → act, then `done`;
   * `done` → skip; `held` → another delivery is acting: ask for the records again later.
   */
  once: {
    claim(key: string): Promise<'claimed' | 'done' | 'held'>;
    done(key: string): Promise<void>;
    release(key: string): Promise<void>;
  };
  /** The signed review link of an approval. */
  approvalLink(approvalId: string, expiresAt: string): string | Promise<string>;
  /**
   * Stops the builds of actions the batch abandons or fails while their build still runs
   * (`buildsToStop` → `stopActionBuild`); idempotent: a finished build is left alone.
   */
  stopBuilds?(history: readonly EventRecord[], batch: readonly EventRecord[]): Promise<void>;
  /** Publishes a Manual approval's CodePipeline JSON to its `NotificationArn` (`approval-topic.ts`). */
  publishApproval?(publication: ApprovalTopicPublication): Promise<void>;
  /** The HTTP function's URL (console and review links of approval JSON). */
  publicUrl?: string;
  /** Told about an execution's side effects that failed for good (they are passed over). */
  onDropped?: (stream: string, error: Error) => void;
  region: string;
  account: string;
}

/**
 * What a batch came to, for the function's log, with the records to deliver again (Lambda's
 * `ReportBatchItemFailures`: it retries from the lowest sequence number listed).
 *
 * @example
 * ```ts
 * const r: ProjectorResult = { events: 12, stateChanges: 5, notifications: 1, skipped: 0, dropped: 0, batchItemFailures: [] };
 * ```
 */
export interface ProjectorResult {
  events: number;
  stateChanges: number;
  notifications: number;
  /** Side effects already done by an earlier delivery of the same records. */
  skipped: number;
  /** Executions whose side effects failed for good (an error that cannot succeed later), logged and passed over. */
  dropped: number;
  batchItemFailures: { itemIdentifier: string }[];
}

/** A DynamoDB stream event (the part the projector reads). @example `{ Records: [{ eventName: 'INSERT', dynamodb: { SequenceNumber: '1', NewImage } }] }` */
export interface DynamoStreamEvent {
  Records?: {
    eventName?: string;
    dynamodb?: { NewImage?: Record<string, unknown>; SequenceNumber?: string };
  }[];
}

/**
 * The projector function's handler.
 *
 * @example
 * ```ts
 * export const handler = projectorHandler(openParts);
 * ```
 */
export function projectorHandler(
  open: () => Promise<ProjectorParts>,
): (event: DynamoStreamEvent) => Promise<ProjectorResult> {
  return async (event) => {
    const parts = await open();
    const byStream = new Map<string, EventRecord[]>();
    const firstSequence = new Map<string, string>();
    for (const r of event.Records ?? []) {
      if (r.eventName !== 'INSERT' || r.dynamodb?.NewImage === undefined) continue;
      const record = eventFromItem(unmarshall(r.dynamodb.NewImage as never));
      if (record === undefined || !record.stream.startsWith(EXECUTION_PREFIX)) continue;
      const list = byStream.get(record.stream) ?? [];
      list.push(record);
      byStream.set(record.stream, list);
      const sequence = r.dynamodb.SequenceNumber;
      if (sequence !== undefined && !firstSequence.has(record.stream))
        firstSequence.set(record.stream, sequence);
    }
    const result: ProjectorResult = {
      events: 0,
      stateChanges: 0,
      notifications: 0,
      skipped: 0,
      dropped: 0,
      batchItemFailures: [],
    };
    for (const [stream, batch] of byStream) {
      batch.sort((a, b) => a.seq - b.seq);
      result.events += batch.length;
      try {
        await projectStream(parts, stream, batch, result);
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        const sequence = firstSequence.get(stream);
        // An error that cannot succeed later (a missing topic, an event too large) would hold
        // the shard for a day: it is logged and passed over. Others are delivered again.
        if (isTerminal(error) || sequence === undefined) {
          result.dropped += 1;
          parts.onDropped?.(stream, error);
        } else result.batchItemFailures.push({ itemIdentifier: sequence });
      }
    }
    return result;
  };
}

/** A side effect another delivery has claimed and not finished: the records come again later. */
class HeldElsewhere extends Error {
  override readonly name = 'HeldElsewhere';
  constructor(key: string) {
    super(`${key} is being sent by another delivery; these records are delivered again`);
  }
}

function isTerminal(error: Error): boolean {
  return error instanceof PipewrightError && !error.retryable;
}

async function projectStream(
  parts: ProjectorParts,
  stream: string,
  batch: EventRecord[],
  result: ProjectorResult,
): Promise<void> {
  const first = batch[0]?.seq ?? 1;
  const earlier = first > 1 ? await parts.store.read(stream, { limit: first - 1 }) : [];
  await parts.stopBuilds?.(earlier, batch);
  const started = [...earlier, ...batch].find((r) => r.type === 'PipelineExecutionStarted');
  const data = (started?.data ?? {}) as { pipelineName?: unknown; pipelineVersion?: unknown };
  if (typeof data.pipelineName !== 'string') return;
  const pipeline = await parts.definition(
    data.pipelineName,
    typeof data.pipelineVersion === 'number' ? data.pipelineVersion : undefined,
  );
  if (pipeline === undefined) return;
  const view = foldExecutionFrom(initialExecutionView(), earlier.map(parseStoredEvent));
  const step = advanceStateChanges(view, batch, pipeline, { region: parts.region, account: parts.account });

  // One change at a time: each claimed, put, and given back only if it was not put (a batch
  // that fails in part would otherwise put its accepted events again on the next delivery).
  let failure: unknown;
  for (const change of step.changes) {
    const key = `bus:${change.event.id}`;
    const claim = await parts.once.claim(key);
    if (claim !== 'claimed') {
      if (claim === 'held') failure ??= new HeldElsewhere(key);
      else result.skipped += 1;
      continue;
    }
    try {
      await parts.publish([change]);
    } catch (e) {
      await parts.once.release(key);
      failure ??= e;
      continue;
    }
    await parts.once.done(key);
    result.stateChanges += 1;
  }
  if (failure !== undefined) throw failure;

  const notices: ApprovalNotice[] = [];
  for (const record of batch) {
    if (record.type !== 'ApprovalRequested') continue;
    const d = record.data as ApprovalRequested['data'];
    notices.push({
      kind: 'approval-requested',
      pipeline: pipeline.name,
      executionId: stream.slice(EXECUTION_PREFIX.length),
      approvalId: d.approvalId,
      stageName: d.stageName,
      actionName: d.actionName,
      expiresAt: d.expiresAt,
      ...(d.customData === undefined ? {} : { customData: d.customData }),
      ...(d.externalEntityLink === undefined ? {} : { externalEntityLink: d.externalEntityLink }),
      reviewLink: await parts.approvalLink(d.approvalId, d.expiresAt),
    });
  }
  for (const message of notificationsFor(pipeline, [...step.changes, ...notices])) {
    const key = `notify:${message.id}`;
    const claim = await parts.once.claim(key);
    if (claim !== 'claimed') {
      if (claim === 'held') throw new HeldElsewhere(key);
      result.skipped += 1;
      continue;
    }
    try {
      await parts.notify(message);
    } catch (e) {
      await parts.once.release(key);
      throw e;
    }
    await parts.once.done(key);
    result.notifications += 1;
  }
  // After Pipewright's own emails, so a topic that refuses the publish never holds them back.
  await publishApprovals(parts, earlier, batch, pipeline.name, result);
}

/** Each approval's CodePipeline JSON to its `NotificationArn`, claimed once. */
async function publishApprovals(
  parts: ProjectorParts,
  history: readonly EventRecord[],
  batch: readonly EventRecord[],
  pipeline: string,
  result: ProjectorResult,
): Promise<void> {
  const publish = parts.publishApproval;
  if (publish === undefined || !batch.some((r) => r.type === 'ApprovalRequested')) return;
  const publications = await approvalTopicPublications(history, batch, {
    region: parts.region,
    publicUrl: parts.publicUrl ?? '',
    pipeline,
    reviewLink: (id, at) => parts.approvalLink(id, at),
  });
  for (const publication of publications) {
    const claim = await parts.once.claim(publication.key);
    if (claim !== 'claimed') {
      if (claim === 'held') throw new HeldElsewhere(publication.key);
      result.skipped += 1;
      continue;
    }
    try {
      await publish(publication);
    } catch (e) {
      await parts.once.release(publication.key);
      throw e;
    }
    await parts.once.done(publication.key);
    result.notifications += 1;
  }
}
