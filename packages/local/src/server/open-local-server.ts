/**
 * The local server behind `pipewright serve`, wired in one place: the local runtime, the
 * pipelines of a directory (kept live while it runs), triggers (webhooks, schedules, polled
 * git repositories, the local event bus), notifications, and the HTTP app listening on a port.
 * The HTTP app is passed in (`createApp` of `@pipewright/web`), so this package does not
 * depend on the web package; the caller prints what the server reports.
 *
 * @example
 * ```ts
 * import { createApp } from '@pipewright/web';
 * const server = await openLocalServer({
 *   dir: '/srv/pipelines', stateDir: '/srv/.pipewright', port: 4000, host: '127.0.0.1',
 *   pollIntervalMs: 10_000, createApp, readFile, report: (r) => console.log(r),
 * });
 * console.log(server.url);
 * await server.close();
 * ```
 */
import { join } from 'node:path';
import {
  type CodePipelineStateChangeEvent,
  type EventActor,
  ExecutionStateError,
  type Pipeline,
} from '@pipewright/core';
import { type ApprovalRequest, TriggerDispatcher } from '@pipewright/engine';
import { createLocalNotifications, LocalEventBus, SmtpNotifier, WebhookNotifier } from '../notify/index.ts';
import { approvalKey, type LocalRuntime, openLocalRuntime } from '../runtime/local-runtime.ts';
import { secretFile } from '../secret-file.ts';
import { GitPoller } from '../triggers/git-poller.ts';
import { LocalScheduler } from '../triggers/local-scheduler.ts';
import { listen } from './http-listener.ts';
import { LiveDirectory } from './live-directory.ts';
import type { LoadedFile } from './served-pipelines.ts';
import { loadServerSettings, type ServerSettings } from './server-settings.ts';

/** What the server tells its user; the caller words and prints it. */
export type LocalServerReport =
  /** An action waits for approval; `link` is its signed review page. */
  | { kind: 'approval'; request: ApprovalRequest; link: string }
  /** Executions that were open when the server last stopped go on. */
  | { kind: 'resumed'; executionIds: readonly string[] }
  /** A pipeline file added while serving: the pipeline is served from now on. */
  | { kind: 'added'; pipeline: string; file: string }
  /** A served pipeline's definition changed: executions started from now on run `version`. */
  | { kind: 'version'; pipeline: string; version: number }
  /** A pipeline is no longer served (its file is gone): its running executions finish. */
  | { kind: 'removed'; pipeline: string; file: string }
  /** Something the user must fix (an invalid file, a refused duplicate, bad settings). */
  | { kind: 'problem'; message: string }
  /** Something worth knowing that needs no fix. */
  | { kind: 'notice'; message: string }
  /** A detail for debugging (the runtime's warnings). */
  | { kind: 'debug'; message: string };

/** The HTTP app the server listens with: `createApp(deps)` of `@pipewright/web`. */
export interface LocalApp {
  fetch(request: Request): Response | Promise<Response>;
  /** Ends the live dashboard streams (called first when the server closes). */
  closeLive(): void;
}

/** Options of {@link openLocalServer}. */
export interface LocalServerOptions {
  /** The directory of pipeline files (absolute). */
  dir: string;
  /** The state directory (absolute): event log, artifacts, logs, keys. */
  stateDir: string;
  port: number;
  host: string;
  /** How often local git repositories are polled (ms); 0 turns polling off. */
  pollIntervalMs: number;
  /** Builds the HTTP app (`createApp` of `@pipewright/web`). */
  createApp(deps: LocalAppDeps): LocalApp;
  /** Reads, loads and validates one pipeline file; problems are lines to print. */
  readFile(file: string): LoadedFile;
  /** Hears what happens. */
  report(report: LocalServerReport): void;
  /** Environment of webhook `secretEnv` settings (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A running local server. */
export interface LocalServer {
  /** Where it listens: `http://host:port`. */
  readonly url: string;
  /** The pipelines served now and their files, by name. */
  served(): { name: string; file: string }[];
  /**
   * Stops: no new work is taken, live streams and connections end, running state machines
   * are left as a crash leaves them (open executions resume on the next start), running
   * actions are stopped, and the event log is closed.
   */
  close(): Promise<void>;
}

/**
 * The API token, made on first start (`api-token`, mode 0600).
 *
 * @example
 * ```ts
 * const token = apiToken('.pipewright');
 * ```
 */
export function apiToken(stateDir: string): string {
  return secretFile(join(stateDir, 'api-token'), 24);
}

/** The runtime with notifications and the local event bus. */
async function openRuntime(
  options: LocalServerOptions,
  settings: ServerSettings,
  known: Map<string, Pipeline>,
): Promise<{
  runtime: LocalRuntime;
  bus: LocalEventBus<CodePipelineStateChangeEvent>;
  close(): Promise<void>;
}> {
  const warn = (e: Error) => options.report({ kind: 'problem', message: `warning: ${e.message}` });
  // State changes go out as notifications (email, webhooks) and onto the local event bus,
  // where other pipelines' EventPattern triggers can pick them up.
  const bus = new LocalEventBus<CodePipelineStateChangeEvent>();
  const email = settings.smtp === undefined ? undefined : new SmtpNotifier(settings.smtp);
  let link: (approvalId: string, expiresAt: string) => string = () => '';
  let store: LocalRuntime['store'] | undefined;
  const notifications = createLocalNotifications({
    pipelines: { get: (name) => known.get(name) },
    store: () => {
      // The hooks are made before the runtime they are given to; they are called only after.
      if (store === undefined) throw new Error('notifications were asked for before the event log was open');
      return store;
    },
    approvalLink: (id, expiresAt) => link(id, expiresAt),
    ...(email === undefined ? {} : { email }),
    webhook: new WebhookNotifier({ onError: warn }),
    bus,
    onError: warn,
  });
  const runtime = await openLocalRuntime({
    stateDir: options.stateDir,
    failurePolicy: 'wait',
    providerOptions: settings.providerOptions,
    onEvents: notifications.onEvents,
    onApprovalRequested: (request) => {
      options.report({ kind: 'approval', request, link: link(request.approvalId, request.expiresAt) });
      return notifications.onApprovalRequested(request);
    },
    onWarning: (message) => options.report({ kind: 'debug', message }),
  });
  store = runtime.store;
  link = (id, expiresAt) => runtime.approvalLink(id, expiresAt);
  return {
    runtime,
    bus,
    async close() {
      await notifications.idle();
      email?.close();
      await runtime.close();
    },
  };
}

/**
 * Delivers every state-change event to the pipelines with an EventPattern trigger, matched
 * before anything is appended: a pipeline's stream records the events its patterns take, and
 * only counts the others (`TriggerDispatcher.missedDeliveries`).
 */
function deliverBusEvents(
  bus: LocalEventBus<CodePipelineStateChangeEvent>,
  pipelines: () => readonly Pipeline[],
  triggers: TriggerDispatcher,
  warn: (e: Error) => void,
): void {
  bus.subscribe(async (event) => {
    for (const pipeline of pipelines()) {
      if (!pipeline.triggers.some((t) => t.providerType === 'EventPattern')) continue;
      await triggers
        .deliver(
          pipeline.name,
          {
            kind: 'event',
            triggerId: event.id,
            at: new Date().toISOString(),
            event: { ...event, detail: { ...event.detail } },
          },
          { countMisses: true },
        )
        .catch(warn);
    }
  });
}

/** What the HTTP app is built from (structurally `@pipewright/web`'s `WebDeps`). */
function appDeps(
  options: LocalServerOptions,
  runtime: LocalRuntime,
  directory: LiveDirectory,
  triggers: TriggerDispatcher,
) {
  const { engine } = runtime;
  return {
    triggers,
    webhookSecret: (name: string) => directory.webhookSecret(name),
    store: runtime.store,
    logs: runtime.logs,
    // The dashboard's live updates are pushed from the events this process appends.
    changes: runtime.changes,
    pipelines: {
      names: () => directory.served.all().map((s) => s.pipeline.name),
      get: (name: string) => directory.served.get(name)?.pipeline,
    },
    approvalKey: approvalKey(options.stateDir),
    apiToken: apiToken(options.stateDir),
    control: {
      start: (request: Parameters<typeof startRequest>[1]) => engine.start(startRequest(directory, request)),
      stop: (executionId: string, input: Parameters<typeof engine.stop>[1]) =>
        engine.stop(executionId, input),
      settle: (executionId: string) => engine.settleReport(executionId),
      retryStage: (executionId: string, input: Parameters<typeof engine.retryStage>[1]) =>
        engine.retryStage(executionId, input),
      disableTransition: (pipeline: string, input: Parameters<typeof engine.disableTransition>[1]) =>
        engine.disableTransition(pipeline, input),
      enableTransition: (pipeline: string, input: Parameters<typeof engine.enableTransition>[1]) =>
        engine.enableTransition(pipeline, input),
      rollbackStage: (pipeline: string, input: Parameters<typeof engine.rollbackStage>[1]) =>
        engine.rollbackStage(pipeline, input),
    },
  };
}

/** A start through the API or the dashboard: only of a pipeline still served from its file. */
function startRequest(
  directory: LiveDirectory,
  request: { pipeline: string; variables?: Record<string, string>; actor: EventActor },
) {
  if (directory.served.get(request.pipeline) === undefined) {
    directory.refresh();
    throw new ExecutionStateError(
      `pipeline ${request.pipeline} is no longer served: its file was deleted or renamed; put the file back in the served directory to start it`,
    );
  }
  return {
    pipeline: request.pipeline,
    ...(request.variables === undefined ? {} : { variables: request.variables }),
    trigger: { triggerType: 'StartPipelineExecution' as const, triggerDetail: request.actor.id },
    actor: request.actor,
  };
}

/** What delivers triggers to the served pipelines: webhooks and bus events, schedules, polling. */
function triggerParts(
  options: LocalServerOptions,
  runtime: LocalRuntime,
  settings: ServerSettings,
  pipeline: (name: string) => Pipeline | undefined,
) {
  const triggers = new TriggerDispatcher({
    store: runtime.store,
    pipelines: { get: pipeline },
    start: (request) =>
      runtime.engine.start({
        pipeline: request.pipeline,
        executionId: request.executionId,
        variables: request.variables,
        trigger: request.trigger,
        actor: request.actor,
        ...(request.sourceRevisions === undefined ? {} : { sourceRevisions: request.sourceRevisions }),
      }),
  });
  const problem = (message: string) => options.report({ kind: 'problem', message });
  const scheduler = new LocalScheduler({
    deliver: (name, delivery) => triggers.deliver(name, delivery),
    onError: (e, where) =>
      problem(`schedule ${where.expression} of ${where.pipeline}: ${(e as Error).message}`),
  });
  // Change detection for local repositories: new commits on a source action's branch are
  // delivered as git pushes, unless an execution already has them.
  const poller = new GitPoller({
    deliver: (name, delivery) => triggers.deliver(name, delivery),
    intervalMs: options.pollIntervalMs,
    repositories: settings.repositories,
    store: runtime.store,
    onError: (e, where) => problem(`polling ${where.repository} for ${where.pipeline}: ${e.message}`),
  });
  return { triggers, scheduler, poller };
}

/** What {@link openLocalServer} gives the HTTP app. */
export type LocalAppDeps = ReturnType<typeof appDeps>;

/**
 * Opens the local server: loads the directory's pipelines (invalid files are reported and
 * left out), prepares `pipewright.local.yaml`'s repositories, resumes open executions, and
 * listens.
 *
 * @throws {LocalServerError} when no file holds a valid pipeline or the port is in use.
 * @throws {LocalSettingsError} when `pipewright.local.yaml` is invalid.
 */
export async function openLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const settings = await loadServerSettings(options.dir);
  const known = new Map<string, Pipeline>();
  const parts = await openRuntime(options, settings, known);
  const { runtime, bus } = parts;
  const { triggers, scheduler, poller } = triggerParts(
    options,
    runtime,
    settings,
    (name) => directory.served.get(name)?.pipeline,
  );
  const directory = new LiveDirectory({ options, runtime, settings, scheduler, poller, known });
  try {
    const served = () => directory.served.all().map((s) => s.pipeline);
    await directory.start();
    // After a crash or a restart, open executions go on from where their state machine was.
    const resumed = await runtime.resumeOpenExecutions();
    if (resumed.length > 0) options.report({ kind: 'resumed', executionIds: resumed });
    deliverBusEvents(bus, served, triggers, (e) => options.report({ kind: 'problem', message: e.message }));
    const app = options.createApp(appDeps(options, runtime, directory, triggers));
    const http = await listen((request) => app.fetch(request), options);
    runtime.setApprovalBaseUrl(http.url);
    directory.watch();
    if (options.pollIntervalMs > 0) poller.start();
    return {
      url: http.url,
      served: () => directory.served.all().map((s) => ({ name: s.pipeline.name, file: s.file })),
      async close() {
        await directory.stop();
        scheduler.stop();
        await poller.stop();
        // Live dashboard streams and followed logs are long-lived responses that a close would
        // wait for: end the streams, stop taking requests, and drop the connections still open.
        app.closeLive();
        await http.close();
        await parts.close();
      },
    };
  } catch (e) {
    // Nothing started here outlives a failed start (a port in use).
    scheduler.stop();
    await poller.stop();
    await parts.close();
    throw e;
  }
}
