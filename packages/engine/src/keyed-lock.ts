/**
 * An in-process lock per key: work given for a key runs after every earlier work of that key
 * has settled (fulfilled or rejected). The engine serializes what it decides on one stream
 * this way, so one process never races itself; other processes are kept apart by the event
 * store's conditional appends.
 *
 * @example
 * ```ts
 * const lock = new KeyedLock();
 * await Promise.all([lock.run('7f0c', a), lock.run('7f0c', b)]); // b starts after a settled
 * ```
 */
export class KeyedLock {
  readonly #chains = new Map<string, Promise<unknown>>();

  /** Runs `work` after the earlier work of `key`; resolves or rejects as `work` does. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#chains.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.#chains.set(key, settled);
    void settled.then(() => {
      if (this.#chains.get(key) === settled) this.#chains.delete(key);
    });
    return next;
  }
}
