/**
 * What a journal already records, by site, so a re-run (resume after a crash, or redrive)
 * neither emits an event twice nor invokes a task whose outcome is known.
 *
 * Redrive rule (applied at each `ExecutionRedriven` in the journal): every state visit that
 * was entered but never exited (and every Map iteration that started but did not succeed) is forgotten — its attempts too — so it runs again from the
 * start with fresh retry counters, while the states that exited (including the successful
 * branches of a failed Parallel) keep their recorded results. A forgotten Parallel's last
 * attempt becomes its attempt 0, so the re-run Parallel finds its successful branches there.
 *
 * @example
 * ```ts
 * const index = ReplayIndex.fromJournal(events);
 * index.outcome('Build.gate#1@0'); // the TaskSucceeded event, if the journal has it
 * ```
 */
import type { HistoryEvent, HistoryEventType } from './history.ts';

const OUTCOMES: readonly HistoryEventType[] = [
  'TaskSucceeded',
  'TaskFailed',
  'TaskTimedOut',
  'LambdaFunctionSucceeded',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'ActivitySucceeded',
  'ActivityFailed',
  'ActivityTimedOut',
];

/** Events of a journal, grouped by site. */
export class ReplayIndex {
  readonly #bySite = new Map<string, HistoryEvent[]>();

  /** An index of nothing: a brand-new execution. */
  static empty(): ReplayIndex {
    return new ReplayIndex();
  }

  /** Builds the index of a journal (events in id order), applying the redrive rule at each ExecutionRedriven. */
  static fromJournal(events: readonly HistoryEvent[]): ReplayIndex {
    const index = new ReplayIndex();
    for (const event of events) {
      if (event.type === 'ExecutionRedriven') index.#forgetUnfinished();
      else if (event.site !== undefined) index.#add(event.site, event);
    }
    return index;
  }

  /** The recorded event of `type` at `site` (the last one when several). */
  find(site: string, type: HistoryEventType): HistoryEvent | undefined {
    const events = this.#bySite.get(site);
    if (!events) return undefined;
    for (let i = events.length - 1; i >= 0; i--) if (events[i]?.type === type) return events[i];
    return undefined;
  }

  /** The recorded outcome (TaskSucceeded, TaskFailed or TaskTimedOut) of a task attempt. */
  outcome(attemptSite: string): HistoryEvent | undefined {
    return this.#bySite.get(attemptSite)?.find((e) => OUTCOMES.includes(e.type));
  }

  /** The last recorded event of a site, whatever its type. */
  last(site: string): HistoryEvent | undefined {
    return this.#bySite.get(site)?.at(-1);
  }

  /** True when anything was recorded at `site`. */
  has(site: string): boolean {
    return this.#bySite.has(site);
  }

  #add(site: string, event: HistoryEvent): void {
    const list = this.#bySite.get(site);
    if (list) list.push(event);
    else this.#bySite.set(site, [event]);
  }

  #forgetUnfinished(): void {
    const unfinished: { site: string; parallel: boolean }[] = [];
    for (const [site, events] of this.#bySite) {
      const entered = events.find((e) => e.type.endsWith('StateEntered') || e.type === 'MapIterationStarted');
      const exited = (e: HistoryEvent) =>
        e.type.endsWith('StateExited') || e.type === 'MapIterationSucceeded';
      if (entered && !events.some(exited)) {
        unfinished.push({
          site,
          parallel: entered.type === 'ParallelStateEntered' || entered.type === 'MapStateEntered',
        });
      }
    }
    unfinished.sort((a, b) => b.site.length - a.site.length);
    for (const { site } of unfinished) {
      this.#bySite.delete(site);
      for (const key of [...this.#bySite.keys()])
        if (/^@\d+$/.test(key.slice(site.length)) && key.startsWith(site)) this.#bySite.delete(key);
    }
    for (const { site, parallel } of unfinished) {
      if (!parallel) continue;
      const attemptOf = (key: string) => /^@(\d+)\//.exec(key.slice(site.length))?.[1];
      const keys = [...this.#bySite.keys()].filter(
        (k) => k.startsWith(`${site}@`) && attemptOf(k) !== undefined,
      );
      const last = Math.max(-1, ...keys.map((k) => Number(attemptOf(k))));
      for (const key of keys) {
        const events = this.#bySite.get(key) ?? [];
        this.#bySite.delete(key);
        if (Number(attemptOf(key)) === last)
          this.#bySite.set(`${site}@0${key.slice(site.length + 1 + String(last).length)}`, events);
      }
    }
  }
}
