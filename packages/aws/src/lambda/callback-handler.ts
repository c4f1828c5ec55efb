/**
 * The callback function: completes actions whose work ran elsewhere. Its EventBridge rule on
 * the default bus sends it "CodeBuild Build State Change" events; builds that Pipewright did not
 * start, and builds not yet final, are ignored. A redelivered event completes nothing twice
 * (the engine's `completeAction` is idempotent).
 *
 * @example
 * ```ts
 * const callback = callbackHandler(async () => ({ engine, completion: (e) => codeBuildCompletion(e, deps) }));
 * await callback(codeBuildEvent); // { completed: '7f0c/Build/Compile' }
 * ```
 */
import type { ActionRef } from '@pipewright/core';
import type { ActionOutcome, Engine } from '@pipewright/engine';

/** An attempt a callback event completes. */
export interface CompletedAttempt {
  pipeline: string;
  executionId: string;
  ref: ActionRef;
  outcome: ActionOutcome;
}

/** What the callback function needs. */
export interface CallbackParts {
  engine: Engine;
  /** Maps an event to the attempt it completes, or `undefined` when it completes none. */
  completion(event: unknown): Promise<CompletedAttempt | undefined>;
}

/** What the callback did, for its log. @example `{ completed: '7f0c/Build/Compile' }` */
export type CallbackResult = { completed: string } | { ignored: true };

/**
 * The callback function's handler.
 *
 * @example
 * ```ts
 * export const handler = callbackHandler(openParts);
 * ```
 */
export function callbackHandler(
  open: () => Promise<CallbackParts>,
): (event: unknown) => Promise<CallbackResult> {
  return async (event) => {
    const { engine, completion } = await open();
    const done = await completion(event);
    if (done === undefined || done.outcome.status === 'Waiting') return { ignored: true };
    await engine.completeAction({
      pipeline: done.pipeline,
      executionId: done.executionId,
      ref: done.ref,
      outcome: done.outcome,
    });
    await engine.idle();
    return { completed: `${done.executionId}/${done.ref.stageName}/${done.ref.actionName}` };
  };
}
