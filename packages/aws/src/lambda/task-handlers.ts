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
import { AwsAdapterError } from '../errors.ts';

/** What the task functions need. @example `{ engine, runErrors: () => runtime.takeRunErrors() }` */
export interface TaskParts {
  engine: Engine;
  /** Actions whose outcome could not be recorded or answered in this invocation. */
  runErrors?: () => Error[];
}

/** Fails the invocation when an action's outcome was lost, so its task fails now, not at its timeout. */
function throwRunErrors(parts: TaskParts): void {
  const [first, ...more] = parts.runErrors?.() ?? [];
  if (first === undefined) return;
  throw new AwsAdapterError(
    'PW6505',
    `an action's outcome could not be recorded or its task answered (${first.message}${more.length > 0 ? `; and ${more.length} more` : ''}); the task fails so the stage can be retried`,
    { cause: first, retryable: true },
  );
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
    const parts = await open();
    await parts.engine.handleActionRunner(event);
    await parts.engine.idle();
    throwRunErrors(parts);
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
