/**
 * The HTTP side of the local server: a `fetch` app listening on a host and port, and a close
 * that does not wait for long-lived responses (live dashboard streams, followed logs) or idle
 * keep-alive connections.
 *
 * @example
 * ```ts
 * const http = await listen(app.fetch, { port: 0, host: '127.0.0.1' });
 * console.log(http.url); // http://127.0.0.1:39211
 * await http.close();
 * ```
 */
import { serve } from '@hono/node-server';
import { LocalServerError } from '../errors.ts';

/** A listening HTTP server. */
export interface HttpListener {
  /** `http://host:port`, with the port it really listens on. */
  readonly url: string;
  /** Stops taking requests and drops the connections still open. */
  close(): Promise<void>;
}

/** The URL of `host:port` (IPv6 addresses in brackets). */
export function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Listens with `fetch` on `host:port` (port 0 picks a free one).
 *
 * @throws {LocalServerError} when the port is in use.
 */
export function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  { port, host }: { port: number; host: string },
): Promise<HttpListener> {
  return new Promise((ready, fail) => {
    const server = serve({ fetch, port, hostname: host }, (info) => {
      ready({
        url: urlOf(host, info.port),
        close: () => {
          const closed = new Promise<void>((done) => server.close(() => done()));
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          return closed;
        },
      });
    });
    server.once('error', (e: NodeJS.ErrnoException) =>
      fail(
        e.code === 'EADDRINUSE'
          ? new LocalServerError(`port ${port} on ${host} is in use; choose another port`, { cause: e })
          : e,
      ),
    );
  });
}
