/**
 * Live updates of dashboard pages over Server-Sent Events. A page names its live view
 * (`pipeline:web-app`, `execution:web-app:7f0c`, …); the hub keeps, per view, the markup of
 * its regions as last rendered, and sends each browser a `patch` event with only the regions
 * whose markup changed since it last got them.
 *
 * - **Fed from the store.** With `WebDeps.changes`, appended events mark the views they
 *   concern dirty; without it, every view a browser listens to is looked at again on a
 *   server-side interval: its cheap version marker ({@link LiveViewSource.version}) first, and
 *   it is rendered again (reading the store from the last event on) only when the marker moved.
 *   Browsers never poll.
 * - **Coalesced.** A change is flushed at once when the hub has not flushed for `coalesceMs`,
 *   else at the end of that window; a flush renders each dirty view once, however many events
 *   arrived and however many browsers listen: 100 running executions cost a few renders a
 *   second per view, not one per event per browser.
 * - **Backpressure per browser.** Each browser's stream has a bounded queue; a browser that
 *   has not read what it was sent is skipped, and once it reads again it gets the regions as
 *   they are then — intermediate states are dropped, never queued without bound.
 * - **Generations.** Every render has a generation, sent as the patch's SSE `id`. A browser
 *   that reconnects names the generation it shows (`Last-Event-ID`, else the page's); when the
 *   hub still holds that exact generation it sends only what differs from it, else every region.
 * - **Bounded streams.** A stream can end after {@link LiveHubOptions.maxStreamMs} (a Lambda's
 *   timeout) or at a time the caller gives (the session's expiry), with a `bye` event that
 *   tells the browser to reconnect at once.
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
import { HeldRenders } from './held-renders.ts';
import { withCsrf } from './layout.ts';
import type { LiveViewSource } from './live-view-source.ts';
import {
  BYE_MESSAGE,
  connectedMessage,
  PING_MESSAGE,
  patchMessage,
  stoppingStream,
} from './server-sent-events.ts';

/** The stream's headers live with the wire format; re-exported where the package exports them. */
export { SSE_HEADERS } from './server-sent-events.ts';

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
  /**
   * How long one stream lasts at most (default: unlimited). The HTTP Lambda sets it below the
   * function's timeout: the stream ends cleanly with a `bye` event and the browser reconnects.
   */
  maxStreamMs?: number;
  onError?: (error: unknown) => void;
}

interface Client {
  controller: ReadableStreamDefaultController<Uint8Array>;
  csrf: string;
  sent: Map<string, string>;
  /** Skipped while its queue was full: send the latest once it reads. */
  behind: boolean;
  closed: boolean;
  /** Ends the stream (its longest life, the session's expiry). */
  ending?: NodeJS.Timeout;
}

interface ViewState {
  key: string;
  source: LiveViewSource;
  clients: Set<Client>;
  dirty: boolean;
  regions?: Map<string, string>;
  gen?: string;
  /** The version marker read just before the last render. */
  marker?: string;
}

const encoder = new TextEncoder();

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
  /** Recent renders of each view key, by the generation a browser may name. */
  readonly #held = new HeldRenders();
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

  /** Stops listening to the store and closes every stream (a server that shuts down); streams asked for later are closed at once. */
  close(): void {
    this.#closed = true;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearTimeout(this.#timer);
    clearInterval(this.#heartbeat);
    clearInterval(this.#tail);
    for (const view of this.#views.values()) {
      for (const client of view.clients) this.#drop(view, client, true);
    }
    this.#views.clear();
    this.#held.clear();
  }

  #closed = false;

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
        const marker = await this.#marker(view);
        // Without a change feed, a view rendered before whose marker did not move is as it was.
        if (marker !== undefined && view.regions !== undefined && marker === view.marker) continue;
        if (!(await this.#render(view, marker))) continue;
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

  /** The view's version marker where there is no change feed; `undefined`: render. */
  async #marker(view: ViewState): Promise<string | undefined> {
    if (this.#o.changes !== undefined || view.source.version === undefined) return undefined;
    try {
      return await view.source.version();
    } catch (error) {
      this.#o.onError?.(error);
      return undefined;
    }
  }

  async #render(view: ViewState, marker: string | undefined): Promise<boolean> {
    try {
      const regions = await view.source.render();
      this.renders++;
      const held = this.#held.hold(view.key, regions);
      view.regions = held.regions;
      view.gen = held.gen;
      if (marker === undefined) delete view.marker;
      else view.marker = marker;
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
    this.#write(view, client, patchMessage(view.gen, changed));
  }

  #write(view: ViewState, client: Client, text: string): void {
    try {
      client.controller.enqueue(encoder.encode(text));
    } catch {
      this.#drop(view, client, false);
    }
  }

  /** Ends a stream on purpose: `bye` tells the browser to reconnect now. */
  #end(view: ViewState, client: Client): void {
    if (client.closed) return;
    this.#write(view, client, BYE_MESSAGE);
    this.#drop(view, client, true);
  }

  #drop(view: ViewState, client: Client, close: boolean): void {
    if (client.closed) return;
    client.closed = true;
    clearTimeout(client.ending);
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
   * Renders a view for a page and holds what it rendered under a new generation, so a
   * browser that then connects with that generation is sent only what changed after it.
   * Browsers already listening to the view get what changed too.
   */
  async renderForPage(key: string): Promise<{ regions: Record<string, string>; gen: string }> {
    const source = this.#o.resolve(key);
    const marker = this.#views.has(key) ? await this.#marker(this.#views.get(key) as ViewState) : undefined;
    const regions = await source.render();
    this.renders++;
    const held = this.#held.hold(key, regions);
    const view = this.#views.get(key);
    if (view !== undefined) {
      view.regions = held.regions;
      view.gen = held.gen;
      if (marker === undefined) delete view.marker;
      else view.marker = marker;
      for (const client of view.clients) this.#send(view, client);
    }
    return { regions, gen: held.gen };
  }

  /**
   * A browser's event stream for the view `key` (its regions' markup filled with `csrf`).
   * `gen` is the generation the browser shows (its `Last-Event-ID`, else its page's): when the
   * hub still holds that exact generation, the browser is sent the regions that differ from
   * it, else all of them; then every change. The stream ends with a `bye` event after
   * {@link LiveHubOptions.maxStreamMs} or `options.endInMs`, whichever comes first.
   * Throws `RangeError` when {@link LiveHubOptions.maxClients} browsers already listen.
   */
  connect(
    key: string,
    csrf: string,
    gen?: string,
    options: { endInMs?: number } = {},
  ): ReadableStream<Uint8Array> {
    const source = this.#o.resolve(key);
    if (this.#closed) return stoppingStream();
    if (this.#clients >= (this.#o.maxClients ?? 500)) {
      throw new RangeError(`${this.#clients} browsers already listen; close some dashboard tabs`);
    }
    let view = this.#views.get(key);
    if (view === undefined) {
      view = { key, source, clients: new Set(), dirty: true };
      this.#views.set(key, view);
    }
    const state = view;
    const shown = gen === undefined ? undefined : this.#held.find(key, gen);
    const client: Client = {
      controller: undefined as unknown as ReadableStreamDefaultController<Uint8Array>,
      csrf,
      sent: shown === undefined ? new Map() : new Map(shown.regions),
      behind: false,
      closed: false,
    };
    const lives = [this.#o.maxStreamMs, options.endInMs].filter((ms): ms is number => ms !== undefined);
    const life = lives.length === 0 ? undefined : Math.max(0, Math.min(...lives));
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          client.controller = controller;
          state.clients.add(client);
          this.#clients++;
          this.#startTimers();
          controller.enqueue(encoder.encode(connectedMessage(key)));
          if (life !== undefined) {
            client.ending = setTimeout(() => this.#end(state, client), Math.min(life, 2 ** 31 - 1));
            client.ending.unref?.();
          }
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
          if ((client.controller.desiredSize ?? 0) > 0) this.#write(view, client, PING_MESSAGE);
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
