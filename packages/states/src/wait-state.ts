/**
 * The Wait state: `Seconds` or `Timestamp` (JSONata: numbers, strings or expressions;
 * JSONPath: literals, or `SecondsPath`/`TimestampPath` on the input after `InputPath`). A
 * resumed execution keeps the original deadline.
 *
 * @example
 * ```ts
 * // { "Type": "Wait", "SecondsPath": "$.delay", "Next": "Go" }
 * ```
 */
import { sleep } from './cancellation.ts';
import { StatesError } from './errors.ts';
import { readPath } from './jsonpath-io.ts';
import { jsonPathInput, jsonPathPassOn } from './jsonpath-state.ts';
import {
  enterState,
  exitState,
  isJsonata,
  nextOf,
  outputAndAssign,
  registerStateRunner,
} from './run-branch.ts';
import { stateContext } from './run-context.ts';
import { evaluateField } from './state-io.ts';

registerStateRunner('Wait', async (ctx, thread, name, state, site, input) => {
  const entered = enterState(ctx, thread, name, state, site, input);
  const context = stateContext(ctx, name, entered, 0);
  const variables = thread.variables.snapshot();
  const jsonata = isJsonata(ctx, state);
  const scope = { states: { input, context }, variables };
  const effective = jsonata ? input : jsonPathInput(ctx, state, input, context, variables, name, undefined);
  const fromPath = (path: string, field: string): unknown =>
    readPath(path, { input: effective, context, variables }, name, field);
  const errorName = jsonata ? 'States.QueryEvaluationError' : 'States.Runtime';
  let dueMs: number;
  if (state.Seconds !== undefined || state.SecondsPath !== undefined) {
    const seconds =
      state.SecondsPath !== undefined
        ? fromPath(state.SecondsPath, 'SecondsPath')
        : jsonata
          ? await evaluateField(ctx, thread, site, state.Seconds, scope, 'Seconds', name)
          : state.Seconds;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw new StatesError(
        errorName,
        `Seconds of state '${name}' must be a non-negative integer, got ${JSON.stringify(seconds)}`,
      );
    }
    dueMs = Date.parse(entered) + seconds * 1000;
  } else {
    const timestamp =
      state.TimestampPath !== undefined
        ? fromPath(state.TimestampPath, 'TimestampPath')
        : jsonata
          ? await evaluateField(ctx, thread, site, state.Timestamp, scope, 'Timestamp', name)
          : state.Timestamp;
    dueMs = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
    if (Number.isNaN(dueMs)) {
      throw new StatesError(
        errorName,
        `Timestamp of state '${name}' must be an ISO-8601 timestamp, got ${JSON.stringify(timestamp)}`,
      );
    }
  }
  if (!ctx.replay.find(site, 'WaitStateExited'))
    await sleep(ctx.clock, dueMs - ctx.clock.now(), thread.scope);
  const output = jsonata
    ? await outputAndAssign(ctx, thread, name, site, state, { input, context }, variables, input)
    : jsonPathPassOn(
        ctx,
        thread,
        { OutputPath: state.OutputPath, Assign: state.Assign },
        effective,
        context,
        variables,
        name,
      );
  return exitState(ctx, thread, name, state, site, output, nextOf(state));
});
