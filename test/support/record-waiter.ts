/** Awaiting event records as a runtime appends them. */
import type { EventRecord } from '@pipewright/core';

/** Collects the records handed to `onEvents`; `until` awaits one. */
export interface RecordWaiter {
  /** Pass as the runtime's `onEvents`. */
  onEvents(records: readonly EventRecord[]): void;
  /** Resolves with the first record (seen already, or appended later) that matches. */
  until(match: (r: EventRecord) => boolean): Promise<EventRecord>;
}

/**
 * A {@link RecordWaiter} for a runtime's `onEvents`.
 *
 * @example
 * ```ts
 * const waiter = recordWaiter();
 * const runtime = await openRuntimeIn(cleanups, dir, { providers, onEvents: waiter.onEvents });
 * await waiter.until((r) => r.type === 'StageFailed');
 * ```
 */
export function recordWaiter(): RecordWaiter {
  const seen: EventRecord[] = [];
  const waiters: { match: (r: EventRecord) => boolean; resolve: (r: EventRecord) => void }[] = [];
  return {
    onEvents: (records) => {
      seen.push(...records);
      for (const w of [...waiters]) {
        const found = records.find(w.match);
        if (found !== undefined) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(found);
        }
      }
    },
    until: (match) => {
      const found = seen.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}
