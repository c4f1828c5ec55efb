/**
 * The two functions the compiled state machine invokes. Each takes the task's identifiers
 * (DESIGN.md §1.1), lets the engine decide and act, and waits for the work it started in this
 * invocation (an action's provider, a woken gate) before it returns: Lambda freezes a function
 * as soon as its handler returns.
 *
 * @example
 * ```ts
 * const runner = actionRunnerHandler(async () => ({ engine }));
 * await runner({ kind: 'action', pipeline: 'web-app', executionId, stage: 'Build', action: 'Compile', attempt: 0, taskToken });
 * ```
 */
import type { Engine } from '@pipewright/engine';

/** What the task functions need. */
export interface TaskParts {
  engine: Engine;
}

/**
 * The action-runner function: starts (or answers again for) one action task.
 *
 * @example
 * ```ts
 * export const handler = actionRunnerHandler(openParts);
 * ```
 */
export function actionRunnerHandler(
  open: () => Promise<TaskParts>,
): (event: unknown) => Promise<Record<string, never>> {
  return async (event) => {
    const { engine } = await open();
    await engine.handleActionRunner(event);
    await engine.idle();
    return {};
  };
}

/**
 * The stage-gate function: gate, leave, stage failure and finish tasks. Answers the finish
 * task's result (request/response); the others are answered through their task tokens.
 *
 * @example
 * ```ts
 * export const handler = stageGateHandler(openParts);
 * ```
 */
export function stageGateHandler(
  open: () => Promise<TaskParts>,
): (event: unknown) => Promise<Record<string, unknown>> {
  return async (event) => {
    const { engine } = await open();
    const output = await engine.handleStageGate(event);
    await engine.idle();
    return output ?? {};
  };
}
