/**
 * The dashboard's Server-Sent Events on the wire: the stream's headers and each message the
 * live hub writes (`patch`, `bye`, heartbeat comments).
 *
 * @example
 * ```ts
 * controller.enqueue(encoder.encode(patchMessage(gen, { board: '<div…>' })));
 * ```
 */

/** Headers of the event stream. @example `new Response(stream, { headers: SSE_HEADERS })` */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-accel-buffering': 'no',
};

/** Ends a stream on purpose: the browser reconnects at once. */
export const BYE_MESSAGE = 'event: bye\ndata: {}\n\n';

/** A comment that keeps an idle connection open. */
export const PING_MESSAGE = ': ping\n\n';

/**
 * The regions that changed, under the generation that rendered them (the SSE `id`).
 *
 * @example
 * ```ts
 * patchMessage('k3.7', { board: '<div…>' }); // 'id: k3.7\nevent: patch\ndata: {…}\n\n'
 * ```
 */
export function patchMessage(gen: string | undefined, regions: Record<string, string>): string {
  return `id: ${gen}\nevent: patch\ndata: ${JSON.stringify({ regions, gen })}\n\n`;
}

/**
 * The first message of a stream: the reconnect delay, and which view it follows.
 *
 * @example
 * ```ts
 * connectedMessage('overview'); // 'retry: 2000\n: connected to overview\n\n'
 * ```
 */
export function connectedMessage(key: string): string {
  return `retry: 2000\n: connected to ${key.replace(/[\r\n]/g, ' ')}\n\n`;
}

/**
 * The stream a stopping server gives: reconnect later.
 *
 * @example
 * ```ts
 * return new Response(stoppingStream(), { headers: SSE_HEADERS });
 * ```
 */
export function stoppingStream(): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start: (controller) => {
      controller.enqueue(new TextEncoder().encode('retry: 2000\n: the server is stopping\n\n'));
      controller.close();
    },
  });
}
