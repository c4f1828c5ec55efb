/**
 * Following an action attempt's log while it runs (`GET …/logs/:stage/:action?follow=1`): the
 * body is a stream that sends what the log holds, then the bytes written after it, and ends
 * once the attempt has ended (or its execution has). The log store is polled; a store with
 * `readFrom` is read from the last offset, any other is read whole and sliced.
 *
 * @example
 * ```ts
 * return new Response(followLog(deps, ref), { headers: { 'content-type': 'text/plain; charset=UTF-8' } });
 * ```
 */

import type { ActionLogRef } from '@pipewright/engine';
import { readExecution } from '@pipewright/engine';
import type { WebDeps } from '../deps.ts';

/** How often a followed log is polled for new bytes and the attempt for its end (ms). */
export const FOLLOW_POLL_MS = 200;

/** Execution statuses after which nothing more is written to any of its logs. */
const OPEN_EXECUTION = new Set(['InProgress', 'Stopping']);

/**
 * True once the attempt has ended: its status is no longer `InProgress`, or its execution
 * ended (or lost the attempt).
 *
 * @example
 * ```ts
 * await attemptEnded(deps, ref); // false while the action runs
 * ```
 */
export async function attemptEnded(deps: Pick<WebDeps, 'store'>, ref: ActionLogRef): Promise<boolean> {
  const { view } = await readExecution(deps.store, ref.executionId);
  if (!OPEN_EXECUTION.has(view.status)) return true;
  const attempt = view.stages
    .find((s) => s.stageName === ref.stageName)
    ?.actions.find((a) => a.actionName === ref.actionName)
    ?.attempts.find((a) => a.stageAttempt === ref.stageAttempt && a.attempt === ref.attempt);
  return attempt === undefined || attempt.status !== 'InProgress';
}

/**
 * The followed log as a byte stream, from byte `from` on (default: its start); cancelling it
 * (the client went away) stops the polling.
 *
 * @example
 * ```ts
 * const body = followLog(deps, { executionId, stageName: 'Build', actionName: 'Compile', stageAttempt: 0, attempt: 1 });
 * ```
 */
export function followLog(
  deps: Pick<WebDeps, 'store' | 'logs'>,
  ref: ActionLogRef,
  pollMs: number = FOLLOW_POLL_MS,
  from = 0,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let offset = from;
  let ended = false;
  let cancelled = false;
  let wake: (() => void) | undefined;
  const pause = () =>
    new Promise<void>((done) => {
      const timer = setTimeout(done, pollMs);
      wake = () => {
        clearTimeout(timer);
        done();
      };
    });
  const readNew = async (): Promise<Uint8Array> => {
    if (deps.logs.readFrom !== undefined) {
      const bytes = (await deps.logs.readFrom(ref, offset)) ?? new Uint8Array(0);
      offset += bytes.length;
      return bytes;
    }
    const all = encoder.encode((await deps.logs.read(ref)) ?? '');
    const bytes = all.subarray(Math.min(offset, all.length));
    offset = Math.max(offset, all.length);
    return bytes;
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (cancelled) return;
        const bytes = await readNew();
        if (bytes.length > 0) {
          controller.enqueue(bytes);
          return;
        }
        if (ended) {
          controller.close();
          return;
        }
        // Whatever was written before the attempt ended is read once more before closing.
        ended = await attemptEnded(deps, ref);
        if (!ended) await pause();
      }
    },
    cancel() {
      cancelled = true;
      wake?.();
    },
  });
}
