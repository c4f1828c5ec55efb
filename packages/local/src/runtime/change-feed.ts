/**
 * The local runtime's change feed: every batch of events appended to its event store — by the
 * engine, the trigger dispatcher, an approval decided on a page, a pipeline version — is told
 * to the feed's listeners right after the append commits. `pipewright serve` hands it to the
 * web app (`WebDeps.changes`), whose dashboard pushes live updates from it instead of polling.
 *
 * @example
 * ```ts
 * const feed = new ChangeFeed();
 * observeAppends(store, feed);
 * const stop = feed.subscribe((records) => console.log(records.map((r) => r.type)));
 * ```
 */
import type { EventRecord, EventStore } from '@pipewright/core';

/** Hears about appended events. @example `(records) => records.forEach((r) => console.log(r.stream, r.seq))` */
export type ChangeListener = (records: readonly EventRecord[]) => void;

/**
 * Listeners of appended events. A listener is called synchronously after each append that
 * wrote something, with the events written (never duplicates); one that throws is reported
 * to `onError` and does not affect the append or the other listeners.
 *
 * @example
 * ```ts
 * const feed = new ChangeFeed({ onError: (e) => console.error(e) });
 * const unsubscribe = feed.subscribe((records) => void records);
 * feed.publish(appended);
 * unsubscribe();
 * ```
 */
export class ChangeFeed {
  readonly #listeners = new Set<ChangeListener>();
  readonly #onError: ((error: unknown) => void) | undefined;

  constructor(options: { onError?: (error: unknown) => void } = {}) {
    this.#onError = options.onError;
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: ChangeListener): () => void {
    const own = (records: readonly EventRecord[]) => listener(records);
    this.#listeners.add(own);
    return () => {
      this.#listeners.delete(own);
    };
  }

  /** Tells every listener about `records` (nothing when empty). */
  publish(records: readonly EventRecord[]): void {
    if (records.length === 0) return;
    for (const listener of [...this.#listeners]) {
      try {
        listener(records);
      } catch (error) {
        this.#onError?.(error);
      }
    }
  }

  /** How many listeners are subscribed. */
  get size(): number {
    return this.#listeners.size;
  }
}

/**
 * Makes `store.append` publish what it wrote to `feed` (the store's own method is kept and
 * called first; a failed append publishes nothing).
 *
 * @example
 * ```ts
 * observeAppends(runtime.store, feed);
 * ```
 */
export function observeAppends(store: EventStore, feed: ChangeFeed): void {
  const append = store.append.bind(store);
  store.append = async (stream, events, options) => {
    const result = await append(stream, events, options);
    feed.publish(result.appended);
    return result;
  };
}
