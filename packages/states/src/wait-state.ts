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
  enterSimple,
  exitState,
  isJsonata,
  nextOf,
  outputAndAssign,
  registerStateRunner,
} from './run-branch.ts';
import { evaluateField } from './state-io.ts';

registerStateRunner('Wait', async (ctx, thread, name, state, site, input) => {
  const { entered, context, variables } = enterSimple(ctx, thread, name, state, site, input);
  const jsonata = isJsonata(ctx, state);
  const scope = { states: { input, context }, variables };
  const effective = jsonata ? input : jsonPathInput(ctx, state, input, context, variables, name, undefined);
  /** A field's value: from its `…Path` on the effective input, else evaluated (JSONata) or literal. */
  const read = async (path: string | undefined, value: unknown, field: string): Promise<unknown> => {
    if (path !== undefined)
      return readPath(path, { input: effective, context, variables }, name, `${field}Path`);
    return jsonata ? await evaluateField(ctx, thread, site, value, scope, field, name) : value;
  };
  const errorName = jsonata ? 'States.QueryEvaluationError' : 'States.Runtime';
  let dueMs: number;
  if (state.Seconds !== undefined || state.SecondsPath !== undefined) {
    const seconds = await read(state.SecondsPath, state.Seconds, 'Seconds');
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw new StatesError(
        errorName,
        `Seconds of state '${name}' must be a non-negative integer, got ${JSON.stringify(seconds)}`,
      );
    }
    dueMs = Date.parse(entered) + seconds * 1000;
  } else {
    const timestamp = await read(state.TimestampPath, state.Timestamp, 'Timestamp');
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
