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
  const hooks: Hooks = {
    options,
    where: { region: options.region ?? 'local', account: options.account ?? '000000000000' },
    views: new Map(),
    queues: new Map(),
    reported: new Set(),
    fail: (error) => options.onError(error instanceof Error ? error : new Error(String(error))),
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
        enqueue(hooks, stream, () => processBatch(hooks, stream, batch));
      }
    },
    onApprovalRequested(request) {
      enqueue(hooks, `${EXECUTION_PREFIX}${request.executionId}`, async () => {
        const pipeline = options.pipelines.get(request.pipeline);
        if (pipeline === undefined) return;
        const notice = approvalNotice(request, options.approvalLink(request.approvalId, request.expiresAt));
        await deliver(hooks, notificationsFor(pipeline, [notice]));
      });
    },
    async idle() {
      while (hooks.queues.size > 0) await Promise.all([...hooks.queues.values()]);
    },
  };
}

/** The state the hooks share. */
interface Hooks {
  options: LocalNotificationsOptions;
  where: { region: string; account: string };
  /** The view of every execution in progress, by stream. */
  views: Map<string, ExecutionView>;
  /** The work queued per execution stream (its messages go out in order). */
  queues: Map<string, Promise<void>>;
  /** Pipeline and channel pairs already reported as having no notifier. */
  reported: Set<string>;
  fail: (error: unknown) => void;
}

function storeOf({ options }: Hooks): Pick<EventStore, 'read'> {
  return typeof options.store === 'function' ? options.store() : options.store;
}

function enqueue(hooks: Hooks, key: string, work: () => Promise<void>): void {
  const { queues } = hooks;
  const next = (queues.get(key) ?? Promise.resolve()).then(work).catch(hooks.fail);
  queues.set(key, next);
  void next.then(() => {
    if (queues.get(key) === next) queues.delete(key);
  });
}

async function deliver(hooks: Hooks, messages: readonly OutgoingNotification[]): Promise<void> {
  for (const message of messages) {
    const notifier = message.channel === 'email' ? hooks.options.email : hooks.options.webhook;
    if (notifier === undefined) {
      reportMissingNotifier(hooks, message);
      continue;
    }
    try {
      await notifier.send(message);
    } catch (error) {
      hooks.fail(error);
    }
  }
}

/** Once per pipeline and channel: its messages are not sent. */
function reportMissingNotifier(hooks: Hooks, message: OutgoingNotification): void {
  const key = `${message.pipeline}\u0000${message.channel}`;
  if (hooks.reported.has(key)) return;
  hooks.reported.add(key);
  hooks.fail(
    new NotificationDeliveryError(
      message.channel === 'email'
        ? `${message.pipeline} has email notification targets, but no SMTP server is configured: add smtp: { host, port, from } to pipewright.local.yaml; its emails are not sent`
        : `${message.pipeline} has webhook notification targets, but the server sends no webhooks; its webhook messages are not sent`,
    ),
  );
}

/** The view before `records` and the records to notify about, reading what the hooks missed. */
async function catchUp(
  hooks: Hooks,
  stream: string,
  records: EventRecord[],
): Promise<{ view: ExecutionView; batch: EventRecord[] }> {
  const first = records[0]?.seq ?? 1;
  const view = hooks.views.get(stream);
  if (view === undefined) {
    // First seen mid-way (a restart): catch up silently; what came before was notified then.
    if (first <= 1) return { view: initialExecutionView(), batch: records };
    const earlier = await storeOf(hooks).read(stream, { limit: first - 1 });
    return { view: foldExecutionFrom(initialExecutionView(), earlier.map(parseStoredEvent)), batch: records };
  }
  if (first <= view.lastSeq + 1) return { view, batch: records };
  // Appended outside the engine's batches (an approval decision): these are news too.
  const missed = await storeOf(hooks).read(stream, {
    fromSeq: view.lastSeq + 1,
    limit: first - view.lastSeq - 1,
  });
  return { view, batch: [...missed, ...records] };
}

async function processBatch(hooks: Hooks, stream: string, records: EventRecord[]): Promise<void> {
  const { options } = hooks;
  const { view, batch } = await catchUp(hooks, stream, records);
  const name = view.pipelineName !== '' ? view.pipelineName : pipelineNameIn(batch);
  const pipeline = name === undefined ? undefined : options.pipelines.get(name);
  const step = advanceStateChanges(view, batch, pipeline, hooks.where);
  if (step.view.endedAt !== undefined) hooks.views.delete(stream);
  else hooks.views.set(stream, step.view);
  if (options.bus !== undefined) {
    for (const change of step.changes) {
      Promise.resolve(options.bus.publish(change.event)).catch(hooks.fail);
    }
  }
  if (pipeline !== undefined) await deliver(hooks, notificationsFor(pipeline, step.changes));
}

function approvalNotice(request: ApprovalRequest, reviewLink: string): ApprovalNotice {
  return {
    kind: 'approval-requested',
    pipeline: request.pipeline,
    executionId: request.executionId,
    approvalId: request.approvalId,
    stageName: request.stageName,
    actionName: request.actionName,
    expiresAt: request.expiresAt,
    ...(request.customData === undefined ? {} : { customData: request.customData }),
    ...(request.externalEntityLink === undefined ? {} : { externalEntityLink: request.externalEntityLink }),
    reviewLink,
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
