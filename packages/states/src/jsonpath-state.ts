/**
 * The JSONPath side of a state's processing inside a run: the effective input
 * (`InputPath`, then `Parameters`/`ItemSelector`) and the output (`ResultSelector`, `Assign`,
 * `ResultPath`, `OutputPath`). `Assign` reads `$` as the state's result (after
 * `ResultSelector`), `$$` as the context object, and the variables as the state found them; its
 * values are visible from the next state on.
 *
 * @example
 * ```ts
 * const effective = jsonPathInput(ctx, state, input, context, variables, name);
 * const output = jsonPathOutput(ctx, thread, state, input, result, context, variables, name);
 * ```
 */
import type { StateDefinition } from './definition.ts';
import type { IntrinsicEnvironment } from './intrinsics.ts';
import { applyPath, applyResultPath, applyTemplate, type PathScope } from './jsonpath-io.ts';
import type { RunContext, Thread } from './run-context.ts';

/** The effects intrinsic functions may use. */
export function intrinsicEnv(ctx: RunContext): IntrinsicEnvironment {
  return { random: ctx.random, uuid: () => ctx.ids.uuid() };
}

/** `InputPath`, then (when given) the payload template `Parameters`. */
export function jsonPathInput(
  ctx: RunContext,
  state: StateDefinition,
  raw: unknown,
  context: unknown,
  variables: Readonly<Record<string, unknown>>,
  name: string,
  template: unknown = state.Parameters,
): unknown {
  const scope: PathScope = { input: raw, context, variables };
  const effective = applyPath(state.InputPath, raw, scope, name);
  if (template === undefined) return effective;
  return applyTemplate(template, { ...scope, input: effective }, intrinsicEnv(ctx), 'Parameters', name);
}

/** `ResultSelector`, `Assign`, `ResultPath`, `OutputPath`; applies the assignment and returns the output. */
export function jsonPathOutput(
  ctx: RunContext,
  thread: Thread,
  state: Pick<StateDefinition, 'ResultSelector' | 'ResultPath' | 'OutputPath' | 'Assign'>,
  raw: unknown,
  result: unknown,
  context: unknown,
  variables: Readonly<Record<string, unknown>>,
  name: string,
): unknown {
  const env = intrinsicEnv(ctx);
  const selected =
    state.ResultSelector === undefined
      ? result
      : applyTemplate(
          state.ResultSelector,
          { input: result, context, variables },
          env,
          'ResultSelector',
          name,
        );
  const assigned =
    state.Assign === undefined
      ? undefined
      : applyTemplate(state.Assign, { input: selected, context, variables }, env, 'Assign', name);
  const merged = applyResultPath(state.ResultPath, raw, selected, name);
  const output = applyPath(state.OutputPath, merged, { input: merged, context, variables }, name);
  if (assigned) thread.variables.assign(assigned as Record<string, unknown>);
  return output;
}

/** The output of a state whose result is its effective input (Succeed, Choice, Wait): `OutputPath`, then `Assign`. */
export function jsonPathPassOn(
  ctx: RunContext,
  thread: Thread,
  state: Pick<StateDefinition, 'OutputPath' | 'Assign'>,
  effective: unknown,
  context: unknown,
  variables: Readonly<Record<string, unknown>>,
  name: string,
): unknown {
  return jsonPathOutput(ctx, thread, state, effective, effective, context, variables, name);
}
