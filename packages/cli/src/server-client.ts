/**
 * Talking to a running `pipewright serve`: found through `--server URL`, `$PIPEWRIGHT_SERVER`,
 * or the `server.json` that serve writes into the state directory while it runs; the token
 * from `--token`, `$PIPEWRIGHT_TOKEN` or the state directory's `api-token`.
 *
 * @example
 * ```ts
 * const server = findServer(values, io);
 * if (server) await callServer(server, 'POST', `/api/executions/${id}/stop`, { abandon: true });
 * ```
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, EXIT, UsageError } from './errors.ts';
import type { Io } from './io.ts';
import { stateDirOf } from './state-dir.ts';

/** A server to call. */
export interface ServerRef {
  url: string;
  token: string;
}

/** The options every server-talking command takes. */
export const SERVER_OPTIONS = { server: { type: 'string' }, token: { type: 'string' } } as const;
/** Their help lines. */
export const SERVER_HELP = [
  '--server URL         the pipewright serve to talk to (default: the one running for --state-dir)',
  '--token TOKEN        its API token (default: $PIPEWRIGHT_TOKEN or <state-dir>/api-token)',
];

/** The help lines of the reading commands, which use a server only when it is named. */
export const READ_SERVER_HELP = [
  '--server URL         read through this pipewright serve (or $PIPEWRIGHT_SERVER); default: the local event log',
  '--token TOKEN        its API token (default: $PIPEWRIGHT_TOKEN or <state-dir>/api-token)',
];

/**
 * Records where this server listens, for the CLI on the same machine (`server.json`).
 *
 * @example
 * ```ts
 * const forget = announceServer(stateDir, 'http://127.0.0.1:4000');
 * ```
 */
export function announceServer(stateDir: string, url: string): () => void {
  const file = join(stateDir, 'server.json');
  writeFileSync(file, `${JSON.stringify({ url, pid: process.pid, startedAt: new Date().toISOString() })}\n`);
  return () => rmSync(file, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The server named explicitly (`--server URL` or `$PIPEWRIGHT_SERVER`), or `undefined`: the
 * reading commands (`executions`, `show`, `events`, `logs`) go through the API only then, and
 * read the local event log otherwise.
 *
 * @example
 * ```ts
 * const server = namedServer(values, io); // undefined: read the state directory's log
 * ```
 */
export function namedServer(values: Record<string, unknown>, io: Io): ServerRef | undefined {
  if ((values.server as string | undefined) === undefined && io.env.PIPEWRIGHT_SERVER === undefined)
    return undefined;
  return findServer(values, io);
}

/** The server to talk to, or `undefined` when none is named or running. */
export function findServer(values: Record<string, unknown>, io: Io): ServerRef | undefined {
  const stateDir = stateDirOf(values, io);
  let url = (values.server as string | undefined) ?? io.env.PIPEWRIGHT_SERVER;
  if (url === undefined) {
    try {
      const announced = JSON.parse(readFileSync(join(stateDir, 'server.json'), 'utf8')) as {
        url?: string;
        pid?: number;
      };
      if (typeof announced.url === 'string' && typeof announced.pid === 'number' && alive(announced.pid)) {
        url = announced.url;
      }
    } catch {
      // No server announced here.
    }
  }
  if (url === undefined) return undefined;
  let token = (values.token as string | undefined) ?? io.env.PIPEWRIGHT_TOKEN;
  if (token === undefined) {
    try {
      token = readFileSync(join(stateDir, 'api-token'), 'utf8').trim();
    } catch {
      throw new UsageError(`no API token for ${url}; pass --token or set PIPEWRIGHT_TOKEN`);
    }
  }
  return { url: url.replace(/\/+$/, ''), token };
}

/** The server, or a usage error that says how to get one. */
export function requireServer(values: Record<string, unknown>, io: Io, what: string): ServerRef {
  const server = findServer(values, io);
  if (server === undefined) {
    throw new UsageError(
      `${what} needs a running server: start one with "pipewright serve --dir <pipelines>" (or name it with --server URL)`,
    );
  }
  return server;
}

/** An error the server answered with. */
export class ServerError extends CliError {
  override readonly name = 'ServerError';
  readonly status: number;
  constructor(status: number, code: string, message: string) {
    super(code, message, status === 400 || status === 404 ? EXIT.usage : EXIT.failed);
    this.status = status;
  }
}

/**
 * Calls the server's API; throws `ServerError` with the server's message for an error status.
 *
 * @example
 * ```ts
 * const { executionId } = await callServer<{ executionId: string }>(server, 'POST', '/api/pipelines/web-app/executions', {});
 * ```
 */
export async function callServer<T>(
  server: ServerRef,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${server.token}`,
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (e) {
    throw new CliError(
      'PW4003',
      `cannot reach the server at ${server.url} (${(e as Error).message}); is pipewright serve running?`,
      EXIT.failed,
    );
  }
  const text = await response.text();
  const json = text === '' ? undefined : (JSON.parse(text) as unknown);
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ServerError(response.status, error?.code ?? `HTTP${response.status}`, error?.message ?? text);
  }
  return json as T;
}

/**
 * `GET`s a path of the server's API and returns the response unread (a log's text, a
 * followed log's stream); an error status throws `ServerError` with the server's message.
 *
 * @example
 * ```ts
 * const text = await (await getFromServer(server, `/api/executions/${id}/logs/Build/Compile`)).text();
 * ```
 */
export async function getFromServer(server: ServerRef, path: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${server.token}` } });
  } catch (e) {
    throw new CliError(
      'PW4003',
      `cannot reach the server at ${server.url} (${(e as Error).message}); is pipewright serve running?`,
      EXIT.failed,
    );
  }
  if (!response.ok) {
    const text = await response.text();
    let error: { code?: string; message?: string } | undefined;
    try {
      error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
    } catch {
      // Not the API's JSON error: the text says what happened.
    }
    throw new ServerError(response.status, error?.code ?? `HTTP${response.status}`, error?.message ?? text);
  }
  return response;
}
