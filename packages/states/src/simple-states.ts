/**
 * The Pass, Succeed and Fail states, in both query languages.
 *
 * - JSONata: `Output` (default: the input) and `Assign`, from the state-entry snapshot; Fail's
 *   `Error`/`Cause` may be expressions.
 * - JSONPath: Pass runs `InputPath` → `Parameters` → `Result` → `ResultPath` → `OutputPath`;
 *   Succeed `InputPath` → `OutputPath`; Fail takes `Error`/`Cause` or `ErrorPath`/`CausePath`
 *   (a path or an intrinsic function on the state input).
 *
 * @example
 * ```ts
 * // { "Type": "Pass", "Result": { "x": 1 }, "ResultPath": "$.fixed", "Next": "Go" }
 * ```
 */
import { StatesError } from './errors.ts';
import { looksLikeIntrinsic } from './intrinsic-parser.ts';
import { evaluateIntrinsic } from './intrinsics.ts';
import { readPath, select } from './jsonpath-io.ts';
import { intrinsicEnv, jsonPathInput, jsonPathOutput, jsonPathPassOn } from './jsonpath-state.ts';
import {
  enterSimple,
  exitState,
  isJsonata,
  nextOf,
  outputAndAssign,
  registerStateRunner,
  type StateRunner,
} from './run-branch.ts';
import { evaluateField } from './state-io.ts';

const passThrough =
  (succeed: boolean): StateRunner =>
  async (ctx, thread, name, state, site, input) => {
    const { context, variables } = enterSimple(ctx, thread, name, state, site, input);
    const next = succeed ? undefined : nextOf(state);
    if (isJsonata(ctx, state)) {
      const output = await outputAndAssign(
        ctx,
        thread,
        name,
        site,
        state,
        { input, context },
        variables,
        input,
      );
      return exitState(ctx, thread, name, state, site, output, next);
    }
    if (succeed) {
      const effective = jsonPathInput(ctx, state, input, context, variables, name);
      const output = jsonPathPassOn(
        ctx,
        thread,
        { OutputPath: state.OutputPath },
        effective,
        context,
        variables,
        name,
      );
      return exitState(ctx, thread, name, state, site, output, next);
    }
    const effective = jsonPathInput(ctx, state, input, context, variables, name);
    const result = state.Result !== undefined ? state.Result : effective;
    const output = jsonPathOutput(ctx, thread, state, input, result, context, variables, name);
    return exitState(ctx, thread, name, state, site, output, next);
  };

registerStateRunner('Pass', passThrough(false));
registerStateRunner('Succeed', passThrough(true));

registerStateRunner('Fail', async (ctx, thread, name, state, site, input) => {
  const { context, variables } = enterSimple(ctx, thread, name, state, site, input);
  if (isJsonata(ctx, state)) {
    const scope = { states: { input, context }, variables };
    const error =
      state.Error === undefined
        ? ''
        : await evaluateField(ctx, thread, site, state.Error, scope, 'Error', name);
    const cause =
      state.Cause === undefined
        ? ''
        : await evaluateField(ctx, thread, site, state.Cause, scope, 'Cause', name);
    throw new StatesError(asText(error), asText(cause));
  }
  const dynamic = (path: string | undefined, fixed: string | undefined, field: string): string => {
    if (path === undefined) return fixed ?? '';
    const scope = { input, context, variables };
    if (looksLikeIntrinsic(path))
      return asText(evaluateIntrinsic(path, (p) => select(p, scope), intrinsicEnv(ctx)));
    return asText(readPath(path, scope, name, field));
  };
  throw new StatesError(
    dynamic(state.ErrorPath, state.Error, 'ErrorPath'),
    dynamic(state.CausePath, state.Cause, 'CausePath'),
  );
});

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
