/**
 * Driving a local runtime whose states runtime runs on a simulated clock through long waits
 * (docs/execution.md, "Long waits"): the clock moves to the next timer only when it is a Wait
 * state's (at most `MAX_POLL_DELAY_SECONDS` away); a timer further away is a pending Task's
 * timeout (20 minutes or more), which must not fire while its call is still working.
 */
import { MAX_POLL_DELAY_SECONDS } from '@pipewright/core';
import type { LocalRuntime } from '@pipewright/local';
import { type SimulatedClock, settle } from '@pipewright/states';

/**
 * Moves the clock through Wait states until `done()` holds.
 *
 * @example
 * ```ts
 * await waitOut(runtime, clock, () => calls.length >= 4);
 * ```
 */
export async function waitOut(
  runtime: LocalRuntime,
  clock: SimulatedClock,
  done: () => boolean,
): Promise<void> {
  for (let turn = 0; !done(); turn++) {
    if (turn > 20_000) throw new Error('the execution did not get there');
    await runtime.engine.idle();
    await settle(3);
    const due = clock.nextDue();
    if (!done() && due !== undefined && due - clock.now() <= MAX_POLL_DELAY_SECONDS * 1000)
      await clock.advanceToNext();
    else await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * Runs the execution to its end on simulated time and returns its view.
 *
 * @example
 * ```ts
 * const view = await runOnSimulatedTime(runtime, clock, executionId);
 * ```
 */
export async function runOnSimulatedTime(runtime: LocalRuntime, clock: SimulatedClock, executionId: string) {
  let finished = false;
  const view = runtime.waitForExecution(executionId).finally(() => {
    finished = true;
  });
  await waitOut(runtime, clock, () => finished);
  return view;
}
