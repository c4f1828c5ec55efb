/**
 * Retry and Catch of Task, Parallel and Map states. Retriers are scanned in order and the first
 * whose `ErrorEquals` matches decides: while its own attempt count is below `MaxAttempts`
 * (default 3; 0 = never) the state runs again after the back-off delay. Otherwise the first
 * matching catcher takes over: `$states.errorOutput` is `{Error, Cause}`, the catcher's `Output`
 * (default: the error output) becomes the state output — in JSONPath, its `ResultPath` (default
 * `$`) places the error output into the state input — its `Assign` is applied and the state's
 * own `Assign` is skipped. With no catcher the error propagates.
 *
 * @example
 * ```ts
 * return withRetryAndCatch(ctx, thread, name, state, site, input, entered, (attempt, retryCount) => runOnce(…));
 * ```
 */
import { sleep } from './cancellation.ts';
import type { StateDefinition } from './definition.ts';
import { errorMatches, retryDelayMs } from './error-matching.ts';
import { StatesError } from './errors.ts';
import { jsonPathOutput } from './jsonpath-state.ts';
import {
  enterState,
  exitState,
  isJsonata,
  nextOf,
  outputAndAssign,
  registerStateRunner,
  type StateRunner,
  type StepResult,
} from './run-branch.ts';
import { locateError, type RunContext, stateContext, type Thread } from './run-context.ts';

/** One attempt of the state: resolves with its step result or rejects with a StatesError. */
export type Attempt = (attemptIndex: number, retryCount: number) => Promise<StepResult>;

/** What a Task, Parallel or Map visit knows before its first attempt. */
export interface Visit {
  entered: string;
  variables: Record<string, unknown>;
  jsonata: boolean;
}

/** Builds a visit's attempt from the runner's arguments; may throw (outside Retry and Catch). */
export type AttemptStarter = (...args: [...Parameters<StateRunner>, visit: Visit]) => Attempt;

/**
 * Registers a state type with Retry and Catch (Task, Parallel, Map): each visit emits the entered
 * event, snapshots the variables, then runs `start`'s attempt under the state's Retry and Catch.
 */
export function registerRetryingRunner(type: StateDefinition['Type'], start: AttemptStarter): void {
  registerStateRunner(type, async (ctx, thread, name, state, site, input) => {
    const entered = enterState(ctx, thread, name, state, site, input);
    const variables = thread.variables.snapshot();
    const visit = { entered, variables, jsonata: isJsonata(ctx, state) };
    const attempt = start(ctx, thread, name, state, site, input, visit);
    return withRetryAndCatch(ctx, thread, name, state, site, input, entered, variables, attempt);
  });
}

/**
 * Exits a state with its `result`: JSONata `Output`/`Assign` (with `$states.result`), or
 * JSONPath `ResultSelector` → `ResultPath` → `OutputPath`; the state's `Next` follows.
 */
export function exitWithResult(
  ctx: RunContext,
  thread: Thread,
  name: string,
  state: StateDefinition,
  site: string,
  input: unknown,
  result: unknown,
  context: Record<string, unknown>,
  variables: Record<string, unknown>,
  jsonata: boolean,
): StepResult | Promise<StepResult> {
  if (!jsonata) {
    const output = jsonPathOutput(ctx, thread, state, input, result, context, variables, name);
    return exitState(ctx, thread, name, state, site, output, nextOf(state));
  }
  return outputAndAssign(ctx, thread, name, site, state, { input, result, context }, variables, result).then(
    (output) => exitState(ctx, thread, name, state, site, output, nextOf(state)),
  );
}

/** Runs `attempt` under the state's Retry and Catch. */
export async function withRetryAndCatch(
  ctx: RunContext,
  thread: Thread,
  name: string,
  state: StateDefinition,
  site: string,
  input: unknown,
  enteredTime: string,
  variables: Record<string, unknown>,
  attempt: Attempt,
): Promise<StepResult> {
  const retriers = state.Retry ?? [];
  const counts = retriers.map(() => 0);
  for (let attemptIndex = 0, retryCount = 0; ; attemptIndex++) {
    let error: StatesError;
    try {
      return await attempt(attemptIndex, retryCount);
    } catch (e) {
      if (!(e instanceof StatesError)) throw e;
      error = locateError(e, name, thread) as StatesError;
    }
    const r = retriers.findIndex((retrier) => errorMatches(error.error, retrier.ErrorEquals));
    const retrier = retriers[r];
    if (retrier && (counts[r] ?? 0) < (retrier.MaxAttempts ?? 3)) {
      const delay = retryDelayMs(retrier, counts[r] ?? 0, ctx.random);
      counts[r] = (counts[r] ?? 0) + 1;
      retryCount++;
      const nextSite = `${site}@${attemptIndex + 1}`;
      if (!ctx.replay.has(nextSite)) {
        const failedAt = ctx.replay.outcome(`${site}@${attemptIndex}`)?.timestamp;
        const elapsed = failedAt ? ctx.clock.now() - Date.parse(failedAt) : 0;
        await sleep(ctx.clock, delay - elapsed, thread.scope);
      }
      continue;
    }
    const catcher = (state.Catch ?? []).find((c) => errorMatches(error.error, c.ErrorEquals));
    if (!catcher) throw error;
    const errorOutput = { Error: error.error, Cause: error.errorCause };
    const context = stateContext(ctx, name, enteredTime, retryCount);
    const output = isJsonata(ctx, state)
      ? await outputAndAssign(
          ctx,
          thread,
          name,
          site,
          catcher,
          { input, errorOutput, context },
          variables,
          errorOutput,
        )
      : jsonPathOutput(
          ctx,
          thread,
          { ResultPath: catcher.ResultPath, Assign: catcher.Assign },
          input,
          errorOutput,
          context,
          variables,
          name,
        );
    return exitState(ctx, thread, name, state, site, output, catcher.Next);
  }
}
