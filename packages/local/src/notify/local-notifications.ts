/**
 * Notifications of the local runtime: hooks for `openLocalRuntime` that turn every batch of
 * execution events into CodePipeline's EventBridge state-change events (published on the
 * local bus) and, per each pipeline's `notifications` targets, into emails and webhook
 * messages; and approval requests into emails carrying the signed review link.
 *
 * Sends never block or fail the engine: each execution has its own queue (its messages go
 * out in order), and every failure goes to `onError`.
 *
 * @example
 * ```ts
 * const notifications = createLocalNotifications({
 *   pipelines: { get: (name) => served.get(name) },
 *   store: () => runtime.store,
 *   approvalLink: (id, expiresAt) => runtime.approvalLink(id, expiresAt),
 *   email: new SmtpNotifier(settings.smtp),
 *   webhook: new WebhookNotifier(),
 *   bus,
 *   onError: (e) => console.warn(e.message),
 * });
 * const runtime = await openLocalRuntime({ stateDir, onEvents: notifications.onEvents, onApprovalRequested: notifications.onApprovalRequested });
 * ```
 */
import {
  type ApprovalNotice,
  advanceStateChanges,
  type CodePipelineStateChangeEvent,
  type EventRecord,
  type EventStore,
  type ExecutionView,
  foldExecutionFrom,
  initialExecutionView,
  notificationsFor,
  type OutgoingNotification,
  type Pipeline,
  parseStoredEvent,
} from '@pipewright/core';
import type { ApprovalRequest, Notifier } from '@pipewright/engine';
import { NotificationDeliveryError } from './errors.ts';

/** Options of {@link createLocalNotifications}. */
export interface LocalNotificationsOptions {
  /** The served pipelines (the current definition of each: reloads take effect at once). */
  pipelines: { get(name: string): Pipeline | undefined };
  /**
   * The event log, to catch up on an execution first seen mid-way (after a restart) and on
   * records appended outside the engine's batches (approval decisions). A function when the
   * store opens after the hooks are made (`() => runtime.store`).
   */
  store: Pick<EventStore, 'read'> | (() => Pick<EventStore, 'read'>);
  /** The signed review link of an approval (`runtime.approvalLink`). */
  approvalLink: (approvalId: string, expiresAt: string) => string;
  /** Sends `email` messages (an {@link SmtpNotifier}); without it, email targets are reported once to `onError`. */
  email?: Notifier;
  /** Sends `webhook` messages (a {@link WebhookNotifier}). */
  webhook?: Notifier;
  /** Where state-change events are published (a {@link LocalEventBus}). */
  bus?: { publish(event: CodePipelineStateChangeEvent): unknown };
  /** Region and account the state-change events name (default `local`, `000000000000`). */
  region?: string;
  account?: string;
  /** Told about every failure (a refused email, an unknown pipeline's targets, a read error). */
  onError: (error: Error) => void;
}

/** The hooks, to pass to `openLocalRuntime` (compose them with your own). */
export interface LocalNotifications {
  /** The runtime's `onEvents`: every batch the engine appended. Returns at once. */
  onEvents(records: readonly EventRecord[]): void;
  /** The runtime's `onApprovalRequested`: emails the signed link. Returns at once. */
  onApprovalRequested(request: ApprovalRequest): void;
  /** Resolves once everything handed over so far has been sent (or has failed). */
  idle(): Promise<void>;
}

const EXECUTION_PREFIX = 'execution-';

/**
 * Makes the notification hooks of the local runtime.
 *
 * @example
 * ```ts
 * const n = createLocalNotifications({ pipelines, store: () => runtime.store, approvalLink, webhook: new WebhookNotifier(), onError });
 * n.onEvents(records);
 * await n.idle();
 * ```
 */
export function createLocalNotifications(options: LocalNotificationsOptions): LocalNotifications {
  const where = { region: options.region ?? 'local', account: options.account ?? '000000000000' };
  const views = new Map<string, ExecutionView>();
  const queues = new Map<string, Promise<void>>();
  const reported = new Set<string>();
  const store = () => (typeof options.store === 'function' ? options.store() : options.store);
  const fail = (error: unknown) => options.onError(error instanceof Error ? error : new Error(String(error)));

  const enqueue = (key: string, work: () => Promise<void>) => {
    const next = (queues.get(key) ?? Promise.resolve()).then(work).catch(fail);
    queues.set(key, next);
    void next.then(() => {
      if (queues.get(key) === next) queues.delete(key);
    });
  };

  const deliver = async (messages: readonly OutgoingNotification[]) => {
    for (const message of messages) {
      const notifier = message.channel === 'email' ? options.email : options.webhook;
      if (notifier === undefined) {
        const key = `${message.pipeline}\u0000${message.channel}`;
        if (!reported.has(key)) {
          reported.add(key);
          fail(
            new NotificationDeliveryError(
              message.channel === 'email'
                ? `${message.pipeline} has email notification targets, but no SMTP server is configured: add smtp: { host, port, from } to pipewright.local.yaml; its emails are not sent`
                : `${message.pipeline} has webhook notification targets, but the server sends no webhooks; its webhook messages are not sent`,
            ),
          );
        }
        continue;
      }
      try {
        await notifier.send(message);
      } catch (error) {
        fail(error);
      }
    }
  };

  const processBatch = async (stream: string, records: EventRecord[]) => {
    const first = records[0]?.seq ?? 1;
    let view = views.get(stream);
    let batch = records;
    if (view === undefined) {
      // First seen mid-way (a restart): catch up silently; what came before was notified then.
      view = initialExecutionView();
      if (first > 1) {
        const earlier = await store().read(stream, { limit: first - 1 });
        view = foldExecutionFrom(view, earlier.map(parseStoredEvent));
      }
    } else if (first > view.lastSeq + 1) {
      // Appended outside the engine's batches (an approval decision): these are news too.
      const missed = await store().read(stream, {
        fromSeq: view.lastSeq + 1,
        limit: first - view.lastSeq - 1,
      });
      batch = [...missed, ...records];
    }
    const name = view.pipelineName !== '' ? view.pipelineName : pipelineNameIn(batch);
    const pipeline = name === undefined ? undefined : options.pipelines.get(name);
    const step = advanceStateChanges(view, batch, pipeline, where);
    if (step.view.endedAt !== undefined) views.delete(stream);
    else views.set(stream, step.view);
    if (options.bus !== undefined) {
      for (const change of step.changes) {
        Promise.resolve(options.bus.publish(change.event)).catch(fail);
      }
    }
    if (pipeline !== undefined) await deliver(notificationsFor(pipeline, step.changes));
  };

  return {
    onEvents(records) {
      const byStream = new Map<string, EventRecord[]>();
      for (const record of records) {
        if (!record.stream.startsWith(EXECUTION_PREFIX)) continue;
        const list = byStream.get(record.stream) ?? [];
        list.push(record);
        byStream.set(record.stream, list);
      }
      for (const [stream, batch] of byStream) {
        batch.sort((a, b) => a.seq - b.seq);
        enqueue(stream, () => processBatch(stream, batch));
      }
    },
    onApprovalRequested(request) {
      enqueue(`${EXECUTION_PREFIX}${request.executionId}`, async () => {
        const pipeline = options.pipelines.get(request.pipeline);
        if (pipeline === undefined) return;
        const notice: ApprovalNotice = {
          kind: 'approval-requested',
          pipeline: request.pipeline,
          executionId: request.executionId,
          approvalId: request.approvalId,
          stageName: request.stageName,
          actionName: request.actionName,
          expiresAt: request.expiresAt,
          ...(request.customData === undefined ? {} : { customData: request.customData }),
          ...(request.externalEntityLink === undefined
            ? {}
            : { externalEntityLink: request.externalEntityLink }),
          reviewLink: options.approvalLink(request.approvalId, request.expiresAt),
        };
        await deliver(notificationsFor(pipeline, [notice]));
      });
    },
    async idle() {
      while (queues.size > 0) await Promise.all([...queues.values()]);
    },
  };
}

function pipelineNameIn(records: readonly EventRecord[]): string | undefined {
  for (const record of records) {
    if (record.type !== 'PipelineExecutionStarted') continue;
    const name = (record.data as { pipelineName?: unknown }).pipelineName;
    if (typeof name === 'string') return name;
  }
  return undefined;
}
