/**
 * `pipewright serve`: a long-running delivery server on this machine. It serves the pipelines of
 * a directory with `@pipewright/local`'s server and `@pipewright/web`'s app; this command parses
 * its arguments, prints what the server reports, and stops it on SIGINT or SIGTERM (a second
 * signal ends the process at once).
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatDiagnostic } from '@pipewright/core';
import {
  apiToken,
  DEFAULT_POLL_INTERVAL_MS,
  type LoadedFile,
  LocalServerError,
  type LocalServerReport,
  LocalSettingsError,
  openLocalServer,
} from '@pipewright/local';
import { createApp } from '@pipewright/web';
import type { Command } from '../command.ts';
import { EXIT, InputFileError, UsageError } from '../errors.ts';
import { type Io, palette } from '../io.ts';
import { checkFile } from '../load-file.ts';
import { announceServer } from '../server-client.ts';
import { STATE_DIR_HELP, stateDirOf, stateDirOption } from '../state-dir.ts';
import { readServerUsers } from '../users-file.ts';

/** Reads one pipeline file for the server: its valid pipelines, or the lines saying what is wrong. */
function readPipelineFile(file: string, io: Io): LoadedFile {
  try {
    const checked = checkFile(file, io.cwd);
    if (checked.valid) return { file, pipelines: checked.pipelines.map((p) => p.pipeline) };
    return { file, problems: checked.diagnostics.map(formatDiagnostic) };
  } catch (e) {
    if (e instanceof InputFileError) return { file, problems: [e.message.replace(/^\[PW\d+\] /, '')] };
    throw e;
  }
}

/** Prints one report of the server. */
function printReport(report: LocalServerReport, io: Io, base: () => string): void {
  const c = palette(io.stdout, io.env);
  const say = (line: string) => io.stdout.write(`${line}\n`);
  switch (report.kind) {
    case 'approval': {
      const { pipeline, executionId, stageName, actionName } = report.request;
      say(`${c.yellow('⏸')} ${pipeline} ${executionId}: ${stageName}/${actionName} waits for approval`);
      say(`  ${report.link}`);
      return;
    }
    case 'resumed':
      say(
        `Resumed ${report.executionIds.length} execution(s) after a restart: ${report.executionIds.join(', ')}`,
      );
      return;
    case 'added':
      say(`${c.green('+')} ${report.pipeline} is served from ${report.file}`);
      say(`  ${c.dim(`webhook: ${base()}/webhooks/github/${report.pipeline}`)}`);
      return;
    case 'version':
      say(`${c.green('↻')} ${report.pipeline} is now version ${report.version}`);
      return;
    case 'removed':
      say(
        `${c.yellow('-')} ${report.pipeline} is no longer served: ${report.file} is gone; its running executions finish`,
      );
      return;
    case 'notice':
      say(c.dim(report.message));
      return;
    case 'problem':
      io.stderr.write(`pipewright: ${report.message}\n`);
      return;
    case 'debug':
      if (io.env.PIPEWRIGHT_DEBUG) io.stderr.write(`pipewright: warning: ${report.message}\n`);
  }
}

/**
 * Resolves on the first SIGINT or SIGTERM; from then until `release` is called, a second
 * signal ends the process at once (its default action), as a crash would: open executions
 * resume on the next start.
 */
function firstSignal(io: Io): { stopped: Promise<void>; release(): void } {
  const listen = (listener: (signal: NodeJS.Signals) => void, on: boolean) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      if (on) process.on(signal, listener);
      else process.off(signal, listener);
    }
  };
  const again = (signal: NodeJS.Signals) => {
    io.stderr.write(`pipewright: ${signal} again: stopping at once\n`);
    listen(again, false);
    process.kill(process.pid, signal);
  };
  let first = () => {};
  const stopped = new Promise<void>((done) => {
    first = () => {
      listen(first, false);
      listen(again, true);
      done();
    };
    listen(first, true);
  });
  return {
    stopped,
    release() {
      listen(first, false);
      listen(again, false);
    },
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
    const stateDir = resolve(stateDirOf(values, io));
    // The users file is checked before anything opens: a bad one stops the start (exit 2).
    const identities = readServerUsers(absolute, apiToken(stateDir), io.env);
    const signals = firstSignal(io);
    let url = '';
    const server = await openLocalServer({
      dir: absolute,
      stateDir,
      port,
      host,
      pollIntervalMs: parsePollInterval(values['poll-interval']),
      createApp: (deps) => createApp({ ...deps, ...identities }),
      readFile: (file) => readPipelineFile(file, io),
      report: (report) => printReport(report, io, () => url),
      env: io.env,
    }).catch((e: unknown) => {
      signals.release();
      if (e instanceof LocalSettingsError || e instanceof LocalServerError)
        throw new UsageError(e.message.replace(/^\[PW\d+\] /, ''));
      throw e;
    });
    url = server.url;
    const forget = announceServer(stateDir, url);
    const served = server.served();
    say(`Pipewright serves ${served.length} pipeline(s) from ${dir} on ${url}`);
    for (const { name } of served) say(`  ${name}  ${c.dim(`webhook: ${url}/webhooks/github/${name}`)}`);
    say(
      c.dim(
        `Webhook secrets: pipewright.local.yaml "webhooks", or ${join(stateDir, 'webhook-secret-<pipeline>')}`,
      ),
    );
    say(c.dim(`Dashboard: ${url}/ (sign in with your API token or the server token)`));
    say(c.dim(`API token: ${join(stateDir, 'api-token')} · Ctrl-C stops the server (twice: at once)`));
    await signals.stopped;
    say(
      'Stopping: open executions resume on the next start; running actions are stopped and run again then.',
    );
    forget();
    await server.close();
    signals.release();
    return EXIT.ok;
  },
};
