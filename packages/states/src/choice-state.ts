/**
 * The Choice state. JSONata rules match on `Condition`; JSONPath rules on `Variable` with a
 * comparison operator (or `And`/`Or`/`Not`), against the input after `InputPath`. The first
 * matching rule's `Next` wins (its `Output`/`Assign` too), else `Default`, else
 * `States.NoChoiceMatched`.
 *
 * @example
 * ```ts
 * // { "Type": "Choice", "Choices": [{ "Variable": "$.n", "NumericGreaterThan": 3, "Next": "Big" }], "Default": "Small" }
 * ```
 */
import { evaluateRule } from './choice-rules.ts';
import type { StateDefinition } from './definition.ts';
import { StatesError } from './errors.ts';
import { applyTemplate, select } from './jsonpath-io.ts';
import { intrinsicEnv, jsonPathInput, jsonPathPassOn } from './jsonpath-state.ts';
import { enterSimple, exitState, isJsonata, outputAndAssign, registerStateRunner } from './run-branch.ts';
import type { RunContext, Thread } from './run-context.ts';
import { evaluateField } from './state-io.ts';

registerStateRunner('Choice', async (ctx, thread, name, state, site, input) => {
  const { context, variables } = enterSimple(ctx, thread, name, state, site, input);
  if (!isJsonata(ctx, state)) {
    const { output, next } = jsonPathChoice(ctx, thread, name, state, input, context, variables);
    return exitState(ctx, thread, name, state, site, output, next);
  }
  const states = { input, context };
  for (const [i, rule] of (state.Choices ?? []).entries()) {
    const matched = await evaluateField(
      ctx,
      thread,
      site,
      rule.Condition,
      { states, variables },
      `Choices[${i}].Condition`,
      name,
    );
    if (typeof matched !== 'boolean') {
      throw new StatesError(
        'States.QueryEvaluationError',
        `The Condition of Choices[${i}] in state '${name}' returned ${JSON.stringify(matched)}, not a boolean`,
      );
    }
    if (!matched) continue;
    const fields = {
      Output: rule.Output ?? state.Output,
      Assign: state.Assign || rule.Assign ? { ...state.Assign, ...rule.Assign } : undefined,
    };
    const output = await outputAndAssign(ctx, thread, name, site, fields, states, variables, input);
    return exitState(ctx, thread, name, state, site, output, rule.Next);
  }
  if (state.Default === undefined) throw noMatch(name);
  const output = await outputAndAssign(ctx, thread, name, site, state, states, variables, input);
  return exitState(ctx, thread, name, state, site, output, state.Default);
});

function noMatch(name: string): StatesError {
  return new StatesError(
    'States.NoChoiceMatched',
    `No Choice rule matched in state '${name}' and it has no Default`,
  );
}

function jsonPathChoice(
  ctx: RunContext,
  thread: Thread,
  name: string,
  state: StateDefinition,
  input: unknown,
  context: unknown,
  variables: Record<string, unknown>,
): { output: unknown; next: string } {
  const effective = jsonPathInput(ctx, state, input, context, variables, name, undefined);
  const scope = { input: effective, context, variables };
  const rule = (state.Choices ?? []).find((r) => evaluateRule(r, (path) => select(path, scope)));
  const next = rule ? rule.Next : state.Default;
  if (next === undefined) throw noMatch(name);
  const assign = state.Assign || rule?.Assign ? { ...state.Assign, ...rule?.Assign } : undefined;
  const assigned =
    assign === undefined ? undefined : applyTemplate(assign, scope, intrinsicEnv(ctx), 'Assign', name);
  const output = jsonPathPassOn(
    ctx,
    thread,
    { OutputPath: state.OutputPath },
    effective,
    context,
    variables,
    name,
  );
  if (assigned) thread.variables.assign(assigned as Record<string, unknown>);
  return { output, next };
}
