/**
 * Live updates of dashboard pages over Server-Sent Events. A page names its live view
 * (`pipeline:web-app`, `execution:web-app:7f0c`, …); the hub keeps, per view, the markup of
 * its regions as last rendered, and sends each browser a `patch` event with only the regions
 * whose markup changed since it last got them.
 *
 * - **Fed from the store.** With `WebDeps.changes`, appended events mark the views they
 *   concern dirty; without it, every view a browser listens to is rendered again on a
 *   server-side interval (reading the store from the last event on). Browsers never poll.
 * - **Coalesced.** A change is flushed at once when the hub has not flushed for `coalesceMs`,
 *   else at the end of that window; a flush renders each dirty view once, however many events
 *   arrived and however many browsers listen: 100 running executions cost a few renders a
 *   second per view, not one per event per browser.
 * - **Backpressure per browser.** Each browser's stream has a bounded queue; a browser that
 *   has not read what it was sent is skipped, and once it reads again it gets the regions as
 *   they are then — intermediate states are dropped, never queued without bound.
 *
 * @example
 * ```ts
 * const hub = new LiveHub({ changes, reader, render: (key) => renderView(key) });
 * return new Response(hub.connect('pipeline:web-app', csrf, gen), { headers: SSE_HEADERS });
 * ```
 */
import type { EventRecord } from '@pipewright/core';
import type { WebChanges } from '../deps.ts';
import type { DashboardReader } from './dashboard-reader.ts';
import { withCsrf } from './layout.ts';

/** Headers of the event stream. @example `new Response(stream, { headers: SSE_HEADERS })` */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-accel-buffering': 'no',
};

/** What a live view depends on: pipelines (`*`: any) and executions whose appends make it dirty. @example `{ pipelines: new Set(['web-app']), executions: new Set() }` */
export interface LiveScope {
  pipelines: ReadonlySet<string>;
  executions: ReadonlySet<string>;
}

/** How a view key is rendered and what it depends on. @example `{ scope, render: async () => ({ board: '<div…>' }) }` */
export interface LiveViewSource {
  scope: LiveScope;
  render(): Promise<Record<string, string>>;
}

/** Options of {@link LiveHub}. @example `{ reader, resolve: (key) => views.get(key), changes }` */
export interface LiveHubOptions {
  reader: DashboardReader;
  /** The source of a view key (validated before a browser connects). */
  resolve(key: string): LiveViewSource;
  changes?: WebChanges;
  /** The least time between two flushes (default 150 ms). */
  coalesceMs?: number;
  /** Without `changes`: how often listened views are rendered again (default 1 s). */
  tailMs?: number;
  /** Comment lines that keep idle connections open (default 20 s). */
  heartbeatMs?: number;
  /** Bytes a browser may have unread before it is skipped (default 256 KiB). */
  maxQueuedBytes?: number;
  /** Browsers connected at most (default 500). */
  maxClients?: number;
  onError?: (error: unknown) => void;
}

interface Client {
  controller: ReadableStreamDefaultController<Uint8Array>;
  csrf: string;
  sent: Map<string, string>;
  /** Skipped while its queue was full: send the latest once it reads. */
  behind: boolean;
  closed: boolean;
}

interface ViewState {
  key: string;
  source: LiveViewSource;
  clients: Set<Client>;
  dirty: boolean;
  regions?: Map<string, string>;
  gen?: string;
}

const encoder = new TextEncoder();

/** Page renders remembered for browsers about to connect. */
const MAX_PAGES = 200;

/**
 * The hub.
 *
 * @example
 * ```ts
 * const stream = hub.connect('overview', csrf);
 * ```
 */
export class LiveHub {
  readonly #o: LiveHubOptions;
  readonly #views = new Map<string, ViewState>();
  readonly #id = Math.random().toString(36).slice(2, 8);
  #gen = 0;
  #timer: NodeJS.Timeout | undefined;
  #lastFlush = 0;
  #flushing: Promise<void> | undefined;
  #again = false;
  #heartbeat: NodeJS.Timeout | undefined;
  #tail: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #clients = 0;
  /** Renders done so far (for tests and benchmarks). */
  renders = 0;

  constructor(options: LiveHubOptions) {
    this.#o = options;
    this.#unsubscribe = options.changes?.subscribe((records) => this.#heard(records));
  }

  /** How many browsers are connected. */
  get clients(): number {
    return this.#clients;
  }

  /** Stops listening to the store and closes every stream. */
  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearTimeout(this.#timer);
    clearInterval(this.#heartbeat);
    clearInterval(this.#tail);
    for (const view of this.#views.values()) {
      for (const client of view.clients) this.#drop(view, client, true);
    }
    this.#views.clear();
  }

  #heard(records: readonly EventRecord[]): void {
    const pipelines = this.#o.reader.noteAppended(records);
    if (this.#views.size === 0) return;
    const executions = new Set<string>();
    for (const r of records) {
      if (r.stream.startsWith('execution-')) executions.add(r.stream.slice('execution-'.length));
    }
    let any = false;
    for (const view of this.#views.values()) {
      if (view.dirty) continue;
      const { scope } = view.source;
      const hit =
        scope.pipelines.has('*') ||
        pipelines.has('*') ||
        [...pipelines].some((p) => scope.pipelines.has(p)) ||
        [...executions].some((e) => scope.executions.has(e));
      if (hit) {
        view.dirty = true;
        any = true;
      }
    }
    if (any) this.#schedule();
  }

  /** Flushes at once when the last flush is `coalesceMs` ago, else when it will be: at most one flush per window. */
  #schedule(): void {
    if (this.#timer !== undefined) return;
    const wait = Math.max(0, this.#lastFlush + (this.#o.coalesceMs ?? 150) - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#flush();
    }, wait);
  }

  async #flush(): Promise<void> {
    if (this.#flushing !== undefined) {
      this.#again = true;
      return;
    }
    this.#lastFlush = Date.now();
    this.#flushing = (async () => {
      for (const view of [...this.#views.values()]) {
        if (!view.dirty) continue;
        view.dirty = false;
        if (view.clients.size === 0) continue;
        if (!(await this.#render(view))) continue;
        for (const client of view.clients) this.#send(view, client);
      }
    })();
    try {
      await this.#flushing;
    } finally {
      this.#flushing = undefined;
    }
    if (this.#again) {
      this.#again = false;
      this.#schedule();
    }
  }

  async #render(view: ViewState): Promise<boolean> {
    try {
      const regions = await view.source.render();
      this.renders++;
      view.regions = new Map(Object.entries(regions));
      view.gen = `${this.#id}.${++this.#gen}`;
      return true;
    } catch (error) {
      this.#o.onError?.(error);
      return false;
    }
  }

  #send(view: ViewState, client: Client): void {
    if (client.closed || view.regions === undefined) return;
    if ((client.controller.desiredSize ?? 0) <= 0) {
      client.behind = true;
      return;
    }
    client.behind = false;
    const changed: Record<string, string> = {};
    let any = false;
    for (const [id, markup] of view.regions) {
      if (client.sent.get(id) === markup) continue;
      client.sent.set(id, markup);
      changed[id] = withCsrf(markup, client.csrf);
      any = true;
    }
    if (!any) return;
    this.#write(
      view,
      client,
      `event: patch\ndata: ${JSON.stringify({ regions: changed, gen: view.gen })}\n\n`,
    );
  }

  #write(view: ViewState, client: Client, text: string): void {
    try {
      client.controller.enqueue(encoder.encode(text));
    } catch {
      this.#drop(view, client, false);
    }
  }

  #drop(view: ViewState, client: Client, close: boolean): void {
    if (client.closed) return;
    client.closed = true;
    view.clients.delete(client);
    this.#clients--;
    if (close) {
      try {
        client.controller.close();
      } catch {
        // already closed
      }
    }
    if (view.clients.size === 0) this.#views.delete(view.key);
    if (this.#clients === 0) {
      clearInterval(this.#heartbeat);
      this.#heartbeat = undefined;
      clearInterval(this.#tail);
      this.#tail = undefined;
    }
  }

  /**
   * Renders a view for a page and remembers what it rendered under a new generation, so a
   * browser that then connects with that generation is sent only what changed after it.
   */
  async renderForPage(key: string): Promise<{ regions: Record<string, string>; gen: string }> {
    const regions = await this.#o.resolve(key).render();
    this.renders++;
    const gen = `${this.#id}.${++this.#gen}`;
    this.#pages.delete(key);
    this.#pages.set(key, { regions: new Map(Object.entries(regions)), gen });
    if (this.#pages.size > MAX_PAGES) {
      const oldest = this.#pages.keys().next().value;
      if (oldest !== undefined) this.#pages.delete(oldest);
    }
    return { regions, gen };
  }

  /** The last page render of each key, for browsers that connect after it. */
  readonly #pages = new Map<string, { regions: Map<string, string>; gen: string }>();

  /**
   * A browser's event stream for the view `key` (its regions' markup filled with `csrf`).
   * `gen` is the generation of the page the browser shows: it is sent the regions that differ
   * from that page (all of them when the generation is unknown), then every change.
   * Throws `RangeError` when {@link LiveHubOptions.maxClients} browsers already listen.
   */
  connect(key: string, csrf: string, gen?: string): ReadableStream<Uint8Array> {
    const source = this.#o.resolve(key);
    if (this.#clients >= (this.#o.maxClients ?? 500)) {
      throw new RangeError(`${this.#clients} browsers already listen; close some dashboard tabs`);
    }
    let view = this.#views.get(key);
    if (view === undefined) {
      view = { key, source, clients: new Set(), dirty: true };
      this.#views.set(key, view);
    }
    const state = view;
    const page = this.#pages.get(key);
    const client: Client = {
      controller: undefined as unknown as ReadableStreamDefaultController<Uint8Array>,
      csrf,
      sent: page !== undefined && gen !== undefined && page.gen === gen ? new Map(page.regions) : new Map(),
      behind: false,
      closed: false,
    };
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          client.controller = controller;
          state.clients.add(client);
          this.#clients++;
          this.#startTimers();
          controller.enqueue(
            encoder.encode(`retry: 2000\n: connected to ${key.replace(/[\r\n]/g, ' ')}\n\n`),
          );
          if (state.regions !== undefined && !state.dirty) this.#send(state, client);
          else {
            state.dirty = true;
            this.#schedule();
          }
        },
        pull: () => {
          if (client.behind) this.#send(state, client);
        },
        cancel: () => {
          this.#drop(state, client, false);
        },
      },
      { highWaterMark: this.#o.maxQueuedBytes ?? 256 * 1024, size: (chunk) => chunk.byteLength },
    );
  }

  #startTimers(): void {
    this.#heartbeat ??= setInterval(() => {
      for (const view of this.#views.values()) {
        for (const client of view.clients) {
          if ((client.controller.desiredSize ?? 0) > 0) this.#write(view, client, ': ping\n\n');
        }
      }
    }, this.#o.heartbeatMs ?? 20_000);
    this.#heartbeat.unref?.();
    if (this.#o.changes === undefined) {
      this.#tail ??= setInterval(() => {
        for (const view of this.#views.values()) view.dirty = true;
        this.#schedule();
      }, this.#o.tailMs ?? 1_000);
      this.#tail.unref?.();
    }
  }
}
