/**
 * Fires the `Schedule` triggers of the served pipelines. `cron(…)` fire times come from croner
 * (through core's `nextFireTimes`) in the trigger's time zone; `rate(…)` schedules fire on
 * multiples of their interval since the Unix epoch (UTC), so a restarted server keeps the same
 * ticks and a tick's id stays the same. Ticks missed while the server was down are not caught up.
 *
 * Each tick delivers `{ kind: 'schedule', triggerId: '<pipeline>:<expression>:<ISO tick time>' }`:
 * two servers or a restart around a tick record it once.
 */
import {
  nextFireTimes,
  type Pipeline,
  parseScheduleExpression,
  type ScheduleDelivery,
} from '@pipewright/core';

/** Longest single timer (Node's limit is 2^31-1 ms); longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One scheduled trigger. */
export interface ScheduledTrigger {
  pipeline: string;
  expression: string;
  timezone?: string;
  /** When it fires next. */
  next: Date;
}

/** Options of {@link LocalScheduler}. */
export interface LocalSchedulerOptions {
  /** Delivers a tick (e.g. `TriggerDispatcher.deliver`). */
  deliver(pipeline: string, delivery: ScheduleDelivery): Promise<unknown>;
  /** The clock (default: the system clock). */
  now?: () => Date;
  /** Timers (default: `setTimeout` / `clearTimeout`); tests pass fakes. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Told about failed deliveries and unschedulable triggers (the scheduler keeps going). */
  onError?: (error: unknown, where: { pipeline: string; expression: string }) => void;
}

interface Entry {
  pipeline: string;
  expression: string;
  timezone?: string;
  next: Date;
  timer?: unknown;
}

/**
 * The next fire time of a schedule strictly after `from`.
 *
 * @example
 * ```ts
 * nextTick('rate(1 hour)', new Date('2026-01-02T03:04:05Z')); // 2026-01-02T04:00:00.000Z
 * ```
 */
export function nextTick(expression: string, from: Date, timezone?: string): Date {
  const parsed = parseScheduleExpression(expression);
  if (parsed.ok && parsed.kind === 'rate') {
    const step = parsed.intervalMinutes * 60_000;
    return new Date((Math.floor(from.getTime() / step) + 1) * step);
  }
  const [next] = nextFireTimes(parsed, from, 1, timezone);
  if (next === undefined) throw new Error(`${expression} never fires again`);
  return next;
}

/**
 * The id of one tick of a schedule.
 *
 * @example
 * ```ts
 * scheduleTriggerId('web-app', 'rate(1 hour)', new Date('2026-01-02T04:00:00Z'));
 * // 'web-app:rate(1 hour):2026-01-02T04:00:00.000Z'
 * ```
 */
export function scheduleTriggerId(pipeline: string, expression: string, at: Date): string {
  return `${pipeline}:${expression}:${at.toISOString()}`;
}

/**
 * Schedules ticks for the `Schedule` triggers of the given pipelines.
 *
 * @example
 * ```ts
 * const scheduler = new LocalScheduler({ deliver: (p, d) => triggers.deliver(p, d) });
 * scheduler.schedule(pipelines); // again after every reload
 * scheduler.stop();
 * ```
 */
export class LocalScheduler {
  readonly #o: LocalSchedulerOptions;
  #entries: Entry[] = [];
  #stopped = false;

  constructor(options: LocalSchedulerOptions) {
    this.#o = options;
  }

  /** Replaces what is scheduled with the `Schedule` triggers of `pipelines`. */
  schedule(pipelines: readonly Pipeline[]): void {
    this.#clear();
    this.#stopped = false;
    const now = this.#now();
    for (const pipeline of pipelines) {
      for (const trigger of pipeline.triggers) {
        if (trigger.providerType !== 'Schedule') continue;
        const { expression, timezone } = trigger.schedule;
        try {
          const entry: Entry = {
            pipeline: pipeline.name,
            expression,
            ...(timezone === undefined ? {} : { timezone }),
            next: nextTick(expression, now, timezone),
          };
          this.#entries.push(entry);
          this.#arm(entry);
        } catch (error) {
          this.#o.onError?.(error, { pipeline: pipeline.name, expression });
        }
      }
    }
  }

  /** What is scheduled, with the next fire time of each. */
  scheduled(): ScheduledTrigger[] {
    return this.#entries.map(({ pipeline, expression, timezone, next }) => ({
      pipeline,
      expression,
      ...(timezone === undefined ? {} : { timezone }),
      next,
    }));
  }

  /**
   * Delivers the tick of one schedule at `at` (what the timer does when the time comes).
   *
   * @example
   * ```ts
   * await scheduler.tick('web-app', 'rate(1 hour)', new Date('2026-01-02T04:00:00Z'));
   * ```
   */
  async tick(pipeline: string, expression: string, at: Date, timezone?: string): Promise<unknown> {
    return this.#o.deliver(pipeline, {
      kind: 'schedule',
      triggerId: scheduleTriggerId(pipeline, expression, at),
      at: at.toISOString(),
      expression,
      ...(timezone === undefined ? {} : { timezone }),
    });
  }

  /** Cancels every timer; nothing fires until `schedule` is called again. */
  stop(): void {
    this.#stopped = true;
    this.#clear();
  }

  #now(): Date {
    return this.#o.now?.() ?? new Date();
  }

  #clear(): void {
    for (const e of this.#entries) if (e.timer !== undefined) this.#clearTimer(e.timer);
    this.#entries = [];
  }

  #setTimer(fn: () => void, ms: number): unknown {
    if (this.#o.setTimer) return this.#o.setTimer(fn, ms);
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  }

  #clearTimer(handle: unknown): void {
    if (this.#o.clearTimer) this.#o.clearTimer(handle);
    else clearTimeout(handle as ReturnType<typeof setTimeout>);
  }

  #arm(entry: Entry): void {
    const wait = entry.next.getTime() - this.#now().getTime();
    entry.timer = this.#setTimer(
      () => {
        entry.timer = undefined;
        if (this.#stopped || !this.#entries.includes(entry)) return;
        if (this.#now().getTime() < entry.next.getTime()) {
          this.#arm(entry); // a long wait chained through several timers, or an early wake-up
          return;
        }
        const at = entry.next;
        try {
          // After a sleep or a clock jump, go on from now: missed ticks are not caught up.
          const from = new Date(Math.max(at.getTime(), this.#now().getTime()));
          entry.next = nextTick(entry.expression, from, entry.timezone);
          this.#arm(entry);
        } catch (error) {
          this.#o.onError?.(error, { pipeline: entry.pipeline, expression: entry.expression });
        }
        this.tick(entry.pipeline, entry.expression, at, entry.timezone).catch((error: unknown) =>
          this.#o.onError?.(error, { pipeline: entry.pipeline, expression: entry.expression }),
        );
      },
      Math.min(Math.max(wait, 0), MAX_TIMER_MS),
    );
  }
}
