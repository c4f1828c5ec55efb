/**
 * The recent renders of each live view, by generation: a browser that (re)connects naming a
 * generation the hub still holds is sent only what changed since. Bounded: a few renders per
 * view, a few hundred views (the least recently rendered go first).
 *
 * @example
 * ```ts
 * const held = new HeldRenders();
 * const { gen } = held.hold('overview', { board: '<div…>' });
 * held.find('overview', gen)?.regions.get('board'); // '<div…>'
 * ```
 */

/** Views whose recent renders are held for browsers that (re)connect. */
const MAX_HELD_VIEWS = 200;
/** Renders held per view. */
const HELD_PER_VIEW = 3;

/** One render under its generation. @example `{ gen: 'k3.7', regions: new Map([['board', '<div…>']]) }` */
export interface Held {
  gen: string;
  regions: Map<string, string>;
}

/**
 * The held renders of every view key.
 *
 * @example
 * ```ts
 * new HeldRenders().hold('overview', regions).gen; // e.g. 'k3f9a2.1'
 * ```
 */
export class HeldRenders {
  readonly #id = Math.random().toString(36).slice(2, 8);
  #gen = 0;
  /** Recent renders of each view key, oldest first. */
  readonly #held = new Map<string, Held[]>();

  /** Keeps a render under a new generation (unchanged regions share the last render's strings). */
  hold(key: string, regions: Record<string, string>): Held {
    const renders = this.#held.get(key) ?? [];
    const last = renders.at(-1)?.regions;
    const held: Held = {
      gen: `${this.#id}.${++this.#gen}`,
      regions: new Map(
        Object.entries(regions).map(([id, markup]) => {
          const before = last?.get(id);
          return [id, before === markup ? before : markup];
        }),
      ),
    };
    renders.push(held);
    if (renders.length > HELD_PER_VIEW) renders.shift();
    this.#held.delete(key);
    this.#held.set(key, renders);
    if (this.#held.size > MAX_HELD_VIEWS) {
      const oldest = this.#held.keys().next().value;
      if (oldest !== undefined) this.#held.delete(oldest);
    }
    return held;
  }

  /** The render of `key` held under `gen`, if it still is. */
  find(key: string, gen: string): Held | undefined {
    return this.#held.get(key)?.find((h) => h.gen === gen);
  }

  clear(): void {
    this.#held.clear();
  }
}
