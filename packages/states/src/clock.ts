/**
 * The time port of the runtime. The interpreter never reads the wall clock or starts a real
 * timer itself: it asks a {@link Clock}. {@link realClock} is the production clock;
 * {@link SimulatedClock} lets tests move time forward with `advance(ms)`, so timeouts, waits,
 * heartbeats and retry back-off are tested without waiting.
 *
 * @example
 * ```ts
 * const clock = new SimulatedClock(Date.parse('2026-01-01T00:00:00Z'));
 * clock.setTimer(1000, () => console.log('one second later'));
 * await clock.advance(1000);
 * ```
 */

/** An opaque handle of a pending timer. */
export type TimerHandle = { readonly id: number };

/** Reads time and schedules callbacks. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `callback` once, `ms` milliseconds from now. */
  setTimer(ms: number, callback: () => void): TimerHandle;
  /** Cancels a timer; a no-op when it already fired. */
  clearTimer(handle: TimerHandle): void;
}

/** The wall clock, with Node timers. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, callback) {
    // Node's setTimeout accepts at most 2^31-1 ms; longer timers are chained.
    const handle: { id: number; timer?: ReturnType<typeof setTimeout> } = { id: 0 };
    const max = 2 ** 31 - 1;
    const arm = (left: number) => {
      handle.timer = setTimeout(() => (left > max ? arm(left - max) : callback()), Math.min(left, max));
    };
    arm(Math.max(0, ms));
    return handle;
  },
  clearTimer(handle) {
    const timer = (handle as { timer?: ReturnType<typeof setTimeout> }).timer;
    if (timer !== undefined) clearTimeout(timer);
  },
};

interface PendingTimer {
  id: number;
  due: number;
  callback: () => void;
}

/** Lets every pending promise continuation run (one macrotask turn drains the microtask queue). */
export async function settle(turns = 2): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A clock that moves only when told to. Timers due at the same instant fire in creation order. */
export class SimulatedClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers: PendingTimer[] = [];

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, callback: () => void): TimerHandle {
    const timer = { id: this.#nextId++, due: this.#now + Math.max(0, ms), callback };
    this.#timers.push(timer);
    return { id: timer.id };
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle.id);
  }

  /** Number of timers not yet fired. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** When the next timer is due (ms since epoch), or undefined when none is pending. */
  nextDue(): number | undefined {
    return this.#earliest()?.due;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way, in due order,
   * and letting the continuations of each run before the next fires.
   */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (let timer = this.#earliest(); timer && timer.due <= target; timer = this.#earliest()) {
      this.#timers = this.#timers.filter((t) => t !== timer);
      this.#now = Math.max(this.#now, timer.due);
      timer.callback();
      await settle();
    }
    this.#now = target;
  }

  /** Moves time to the next pending timer and fires it (and any due at the same instant). */
  async advanceToNext(): Promise<boolean> {
    await settle();
    const due = this.nextDue();
    if (due === undefined) return false;
    await this.advance(due - this.#now);
    return true;
  }

  #earliest(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.#timers)
      if (!best || t.due < best.due || (t.due === best.due && t.id < best.id)) best = t;
    return best;
  }
}

const isoCache = new WeakMap<Clock, { at: number; text: string }>();

/** The clock's now as ISO text, cached while the clock stands still (as a simulated one does between steps). */
export function isoNow(clock: Clock): string {
  const now = clock.now();
  let cached = isoCache.get(clock);
  if (!cached) {
    cached = { at: Number.NaN, text: '' };
    isoCache.set(clock, cached);
  }
  if (cached.at !== now) {
    cached.at = now;
    cached.text = new Date(now).toISOString();
  }
  return cached.text;
}
