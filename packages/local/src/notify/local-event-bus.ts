/**
 * The local event bus: an in-process publish/subscribe of EventBridge-shaped events. The
 * local notifications publish CodePipeline's state-change events on it (`source:
 * aws.codepipeline`); the server's `POST /events` and event-pattern triggers can subscribe.
 *
 * @example
 * ```ts
 * const bus = new LocalEventBus();
 * const stop = bus.subscribe((e) => console.log(e['detail-type'], e.detail));
 * await bus.publish({ source: 'my.app', 'detail-type': 'Release Requested', detail: {} });
 * stop();
 * ```
 */

/** An EventBridge-shaped event: `source`, `detail-type` and `detail` (envelope fields such as `time` may follow). */
export interface BusEvent {
  source: string;
  'detail-type': string;
  detail: unknown;
}

/** A subscriber; a throw or rejection goes to the bus's `onError`, never to the publisher. */
export type BusListener<E extends BusEvent = BusEvent> = (event: E) => void | Promise<void>;

/**
 * In-process event bus.
 *
 * @example
 * ```ts
 * const bus = new LocalEventBus({ onError: (e) => console.warn(e.message) });
 * ```
 */
export class LocalEventBus<E extends BusEvent = BusEvent> {
  readonly #listeners = new Set<BusListener<E>>();
  readonly #onError: (error: Error) => void;

  constructor(options: { onError?: (error: Error) => void } = {}) {
    this.#onError =
      options.onError ??
      ((error) => process.stderr.write(`pipewright: warning: a bus listener failed: ${error.message}\n`));
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: BusListener<E>): () => void {
    const own: BusListener<E> = (event) => listener(event);
    this.#listeners.add(own);
    return () => {
      this.#listeners.delete(own);
    };
  }

  /** Hands the event to every listener, in subscription order; resolves once all have settled. */
  async publish(event: E): Promise<void> {
    const runs = [...this.#listeners].map(async (listener) => {
      try {
        await listener(event);
      } catch (error) {
        this.#onError(error instanceof Error ? error : new Error(String(error)));
      }
    });
    await Promise.all(runs);
  }

  /** How many listeners are subscribed. */
  get size(): number {
    return this.#listeners.size;
  }
}
