/**
 * What a journal says about an execution's state: open or closed (and how), its output or
 * error, and its redrives. Used to rebuild an execution record on resume.
 *
 * @example
 * ```ts
 * stateFromJournal(events); // { status: 'RUNNING', redriveCount: 0 }
 * ```
 */
import type { ExecutionRecord } from './execution-record.ts';
import type { HistoryEvent } from './history.ts';

/** The record fields a journal determines. */
export type JournalState = Pick<ExecutionRecord, 'status' | 'redriveCount'> &
  Partial<Pick<ExecutionRecord, 'stopDate' | 'output' | 'error' | 'cause' | 'redriveDate'>>;

const CLOSED = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionAborted: 'ABORTED',
  ExecutionTimedOut: 'TIMED_OUT',
} as const;

/** Folds a journal (events in id order) into the execution's state. */
export function stateFromJournal(events: readonly HistoryEvent[]): JournalState {
  const state: JournalState = { status: 'RUNNING', redriveCount: 0 };
  for (const e of events) {
    if (e.type === 'ExecutionRedriven') {
      state.redriveCount = e.executionRedrivenEventDetails?.redriveCount ?? state.redriveCount + 1;
      state.redriveDate = e.timestamp;
    }
  }
  const last = events.at(-1);
  if (!last || !(last.type in CLOSED)) return state;
  state.status = CLOSED[last.type as keyof typeof CLOSED];
  state.stopDate = last.timestamp;
  if (last.executionSucceededEventDetails) state.output = last.executionSucceededEventDetails.output;
  const details =
    last.executionFailedEventDetails ??
    last.executionAbortedEventDetails ??
    last.executionTimedOutEventDetails;
  if (details) {
    state.error = details.error;
    state.cause = details.cause;
  }
  return state;
}
