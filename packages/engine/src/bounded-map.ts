/**
 * A `Map` that keeps at most `capacity` entries, dropping the least recently set: the engine's
 * caches (views, pipeline names, versions) stay bounded in a long-lived server or a warm Lambda
 * that sees many executions. Everything cached can be read again from the log.
 *
 * @example
 * ```ts
 * const views = new BoundedMap<string, number>(2);
 * views.set('a', 1).set('b', 2).set('c', 3);
 * views.has('a'); // false
 * ```
 */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly capacity: number;

  constructor(capacity: number) {
    super();
    this.capacity = capacity;
  }

  override set(key: K, value: V): this {
    if (this.has(key)) this.delete(key);
    super.set(key, value);
    if (this.size > this.capacity) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return this;
  }
}
