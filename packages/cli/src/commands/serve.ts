/**
 * `pipewright serve`: a long-running delivery server on this machine. It loads every pipeline
 * of a directory, runs executions on the local runtime, and serves the JSON API and the
 * approval pages (`@pipewright/web`) over HTTP. API calls need the token kept in the state
 * directory; approval pages need their signed link.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, watch, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { type CodePipelineStateChangeEvent, formatDiagnostic, type Pipeline } from '@pipewright/core';
import {
  approvalKey,
  createLocalNotifications,
  DEFAULT_POLL_INTERVAL_MS,
  GitPoller,
  LOCAL_SETTINGS_FILE,
  LocalEventBus,
  type LocalRuntime,
  LocalScheduler,
  LocalSettingsError,
  loadLocalSettings,
  openLocalRuntime,
  prepareRepositories,
  resolveSettingsPaths,
  SmtpNotifier,
  type SmtpSettings,
  TriggerDispatcher,
  WebhookNotifier,
  webhookSecret,
} from '@pipewright/local';
import { createApp } from '@pipewright/web';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { type Io, palette } from '../io.ts';
import { checkFile } from '../load-file.ts';
import { expandPipelineFiles } from '../pipeline-files.ts';
import { announceServer } from '../server-client.ts';
import { STATE_DIR_HELP, stateDirOf, stateDirOption } from '../state-dir.ts';
import { readServerUsers } from '../users-file.ts';

/**
 * The API token, made on first start (`api-token`, mode 0600).
 *
 * @example
 * ```ts
 * const token = apiToken('.pipewright');
 * ```
 */
export function apiToken(stateDir: string): string {
  const file = join(stateDir, 'api-token');
  mkdirSync(stateDir, { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(24).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * Loads and validates every pipeline file of a directory; invalid files are reported on
 * stderr (with `what` saying what happens to them) and left out.
 */
function loadPipelineDir(dir: string, io: Io, what: string): { pipeline: Pipeline; file: string }[] {
  const files = expandPipelineFiles([dir], io.cwd).filter((f) => basename(f) !== LOCAL_SETTINGS_FILE);
  const loaded: { pipeline: Pipeline; file: string }[] = [];
  for (const file of files) {
    const checked = checkFile(file, io.cwd);
    if (!checked.valid) {
      for (const d of checked.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
      io.stderr.write(`pipewright: ${file} ${what}\n`);
      continue;
    }
    for (const p of checked.pipelines) loaded.push({ pipeline: p.pipeline, file: resolve(io.cwd, file) });
  }
  return loaded;
}

/**
 * Reloads the directory's pipelines when a file changes: a changed definition becomes a new
 * version for the executions that start from now on; an invalid edit is reported and the last
 * good version keeps running. Returns a function that stops watching.
 */
function watchPipelineDir(
  dir: string,
  io: Io,
  apply: (loaded: { pipeline: Pipeline; file: string }[]) => Promise<void>,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const reload = () => {
    running = running.then(async () => {
      try {
        await apply(loadPipelineDir(dir, io, 'is invalid: the last good version keeps running'));
      } catch (e) {
        io.stderr.write(`pipewright: reloading ${dir} failed: ${(e as Error).message}\n`);
      }
    });
  };
  const watcher = watch(resolve(io.cwd, dir), () => {
    clearTimeout(timer);
    timer = setTimeout(reload, 150);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

function parsePort(value: unknown): number {
  if (value === undefined) return 4000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a number from 0 to 65535; got "${String(value)}"`);
  }
  return port;
}

/** `--poll-interval SECONDS` in ms: how often local repositories are polled; 0 turns polling off. */
function parsePollInterval(value: unknown): number {
  if (value === undefined) return DEFAULT_POLL_INTERVAL_MS;
  const seconds = Number(value);
  if (String(value).trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new UsageError(
      `--poll-interval takes seconds (0 turns polling of local repositories off); got "${String(value)}"`,
    );
  }
  return Math.round(seconds * 1000);
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the pipelines of a directory: runs executions, JSON API, approval pages',
  usage:
    'pipewright serve [--dir DIR] [--port N] [--host ADDRESS] [--poll-interval SECONDS] [--state-dir DIR]',
  optionHelp: [
    '--dir DIR            the directory holding the pipeline files (default pipelines)',
    '--port N             the port to listen on (default 4000; 0 picks a free one)',
    '--host ADDRESS       the address to listen on (default 127.0.0.1)',
    `--poll-interval S    how often local git repositories of source actions are polled for new`,
    `                     commits (default ${DEFAULT_POLL_INTERVAL_MS / 1000} seconds; 0 turns polling off)`,
    STATE_DIR_HELP,
    '',
    'API calls need "Authorization: Bearer <token>", the token in <state-dir>/api-token (made on',
    'first start). Approval links work without it: their signature is the credential.',
  ],
  examples: ['pipewright serve --dir examples/web-app', 'pipewright serve --dir pipelines --port 8080'],
  options: {
    dir: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'poll-interval': { type: 'string' },
    'state-dir': stateDirOption,
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0)
      throw new UsageError('serve takes no arguments; give the directory with --dir', this.usage);
    const c = palette(io.stdout, io.env);
    const say = (line: string) => io.stdout.write(`${line}\n`);
    const dir = (values.dir as string | undefined) ?? 'pipelines';
    const absolute = resolve(io.cwd, dir);
    if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
      throw new UsageError(
        `${dir} is not a directory; put your pipeline files in ${dir}/ or name another with --dir`,
      );
    }
    const port = parsePort(values.port);
    const host = (values.host as string | undefined) ?? '127.0.0.1';
    const pollInterval = parsePollInterval(values['poll-interval']);
    const stateDir = stateDirOf(values, io);

    const loaded = loadPipelineDir(dir, io, 'is not served; fix it and restart');
    if (loaded.length === 0) throw new UsageError(`${dir} holds no valid pipeline to serve`);

    let providerOptions = {};
    let repositories: Readonly<Record<string, string>> = {};
    let webhookSettings: Record<string, { secret?: string; secretEnv?: string }> = {};
    let smtp: SmtpSettings | undefined;
    try {
      const { settings, file } = await loadLocalSettings(join(absolute, 'pipeline.yaml'));
      const resolved = resolveSettingsPaths(settings, absolute);
      await prepareRepositories(resolved.setup.repositories, absolute, file === undefined ? {} : { file });
      providerOptions = { repositories: resolved.repositories, functions: resolved.functions };
      repositories = resolved.repositories;
      webhookSettings = resolved.webhooks ?? {};
      smtp = resolved.smtp;
    } catch (e) {
      if (e instanceof LocalSettingsError) throw new UsageError(e.message.replace(/^\[PW\d+\] /, ''));
      throw e;
    }

    const token = apiToken(stateDir);
    const identities = readServerUsers(absolute, token, io.env);
    let linkBase = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const pipelines = new Map<string, Pipeline>();
    const warn = (e: Error) => io.stderr.write(`pipewright: warning: ${e.message}\n`);
    // State changes go out as notifications (email, webhooks) and onto the local event bus,
    // where other pipelines' EventPattern triggers can pick them up.
    const bus = new LocalEventBus<CodePipelineStateChangeEvent>();
    const email = smtp === undefined ? undefined : new SmtpNotifier(smtp);
    let runtime: LocalRuntime | undefined;
    const notifications = createLocalNotifications({
      pipelines: { get: (name) => pipelines.get(name) },
      store: () => (runtime as LocalRuntime).store,
      approvalLink: (id, expiresAt) => (runtime as LocalRuntime).approvalLink(id, expiresAt),
      ...(email === undefined ? {} : { email }),
      webhook: new WebhookNotifier({ onError: warn }),
      bus,
      onError: warn,
    });
    runtime = await openLocalRuntime({
      stateDir,
      failurePolicy: 'wait',
      providerOptions,
      approvalBaseUrl: linkBase,
      onEvents: notifications.onEvents,
      onApprovalRequested: (request) => {
        say(
          `${c.yellow('⏸')} ${request.pipeline} ${request.executionId}: ${request.stageName}/${request.actionName} waits for approval`,
        );
        say(`  ${(runtime as LocalRuntime).approvalLink(request.approvalId, request.expiresAt)}`);
        return notifications.onApprovalRequested(request);
      },
      onWarning: (message) => {
        if (io.env.PIPEWRIGHT_DEBUG) io.stderr.write(`pipewright: warning: ${message}\n`);
      },
    });
    const live = runtime;
    for (const { pipeline, file } of loaded) {
      pipelines.set(pipeline.name, await live.addPipeline(pipeline, dirname(file)));
    }
    // After a crash or a restart, open executions go on from where their state machine was.
    const resumed = await live.resumeOpenExecutions();
    if (resumed.length > 0)
      say(`Resumed ${resumed.length} execution(s) after a restart: ${resumed.join(', ')}`);
    const triggers = new TriggerDispatcher({
      store: live.store,
      pipelines: { get: (name) => pipelines.get(name) },
      start: (request) =>
        live.engine.start({
          pipeline: request.pipeline,
          executionId: request.executionId,
          variables: request.variables,
          trigger: request.trigger,
          actor: request.actor,
          ...(request.sourceRevisions === undefined ? {} : { sourceRevisions: request.sourceRevisions }),
        }),
    });
    const scheduler = new LocalScheduler({
      deliver: (pipeline, delivery) => triggers.deliver(pipeline, delivery),
      onError: (e, where) =>
        io.stderr.write(
          `pipewright: schedule ${where.expression} of ${where.pipeline}: ${(e as Error).message}\n`,
        ),
    });
    scheduler.schedule([...pipelines.values()]);
    // Change detection for local repositories: new commits on a source action's branch are
    // delivered as git pushes, unless an execution already has them (started after the server
    // listens, refreshed on reload).
    const poller = new GitPoller({
      deliver: (pipeline, delivery) => triggers.deliver(pipeline, delivery),
      intervalMs: pollInterval,
      repositories,
      store: live.store,
      onError: (e, where) =>
        io.stderr.write(`pipewright: polling ${where.repository} for ${where.pipeline}: ${e.message}\n`),
    });
    poller.update(loaded.map(({ pipeline, file }) => ({ pipeline, projectDir: dirname(file) })));
    bus.subscribe(async (event) => {
      for (const pipeline of pipelines.values()) {
        if (!pipeline.triggers.some((t) => t.providerType === 'EventPattern')) continue;
        await triggers
          .deliver(pipeline.name, {
            kind: 'event',
            triggerId: event.id,
            at: new Date().toISOString(),
            event: { ...event, detail: { ...event.detail } },
          })
          .catch(warn);
      }
    });
    const secrets = new Map<string, string>();
    try {
      for (const name of pipelines.keys())
        secrets.set(name, webhookSecret(stateDir, name, webhookSettings[name]));
    } catch (e) {
      if (e instanceof LocalSettingsError) throw new UsageError(e.message.replace(/^\[PW\d+\] /, ''));
      throw e;
    }
    const app = createApp({
      triggers,
      webhookSecret: (name) => secrets.get(name),
      store: live.store,
      logs: live.logs,
      // The dashboard's live updates are pushed from the events this process appends.
      changes: live.changes,
      pipelines: { names: () => [...pipelines.keys()], get: (name) => pipelines.get(name) },
      approvalKey: approvalKey(stateDir),
      apiToken: token,
      ...identities,
      control: {
        start: (request) =>
          live.engine.start({
            pipeline: request.pipeline,
            ...(request.variables === undefined ? {} : { variables: request.variables }),
            trigger: { triggerType: 'StartPipelineExecution', triggerDetail: request.actor.id },
            actor: request.actor,
          }),
        stop: (executionId, input) => live.engine.stop(executionId, input),
        settle: (executionId) => live.engine.settleReport(executionId),
        retryStage: (executionId, input) => live.engine.retryStage(executionId, input),
        disableTransition: (pipeline, input) => live.engine.disableTransition(pipeline, input),
        enableTransition: (pipeline, input) => live.engine.enableTransition(pipeline, input),
        rollbackStage: (pipeline, input) => live.engine.rollbackStage(pipeline, input),
      },
    });
    const server = await new Promise<ReturnType<typeof serve>>((ready, fail) => {
      const s = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
        linkBase = `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`;
        live.setApprovalBaseUrl(linkBase);
        ready(s);
      });
      s.once('error', (e: NodeJS.ErrnoException) =>
        fail(
          e.code === 'EADDRINUSE'
            ? new UsageError(`port ${port} on ${host} is in use; choose another with --port`)
            : e,
        ),
      );
    });
    const stopWatching = watchPipelineDir(dir, io, async (reloaded) => {
      for (const { pipeline, file } of reloaded) {
        const before = pipelines.get(pipeline.name)?.version;
        const versioned = await live.addPipeline(pipeline, dirname(file));
        pipelines.set(versioned.name, versioned);
        if (versioned.version !== before)
          say(`${c.green('↻')} ${versioned.name} is now version ${versioned.version}`);
      }
      poller.update(reloaded.map(({ pipeline, file }) => ({ pipeline, projectDir: dirname(file) })));
    });
    if (pollInterval > 0) poller.start();
    const forget = announceServer(stateDir, linkBase);
    say(`Pipewright serves ${pipelines.size} pipeline(s) from ${dir} on ${linkBase}`);
    for (const name of pipelines.keys()) {
      say(`  ${name}  ${c.dim(`webhook: ${linkBase}/webhooks/github/${name}`)}`);
    }
    say(
      c.dim(
        `Webhook secrets: pipewright.local.yaml "webhooks", or ${join(stateDir, 'webhook-secret-<pipeline>')}`,
      ),
    );
    say(c.dim(`Dashboard: ${linkBase}/ (sign in with the API token)`));
    say(c.dim(`API token: ${join(stateDir, 'api-token')} · Ctrl-C stops the server`));
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        done();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    say('Stopping: running actions are abandoned; their executions stay in the log.');
    forget();
    stopWatching();
    scheduler.stop();
    await poller.stop();
    // Live dashboard streams and followed logs are long-lived responses that close() would wait
    // for: end the streams, stop taking requests, and drop the connections still open.
    app.closeLive();
    const closed = new Promise((done) => server.close(done));
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await closed;
    await notifications.idle();
    email?.close();
    await live.close();
    return EXIT.ok;
  },
};
