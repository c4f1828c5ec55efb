/**
 * The Task state, in both query languages, for every resource `parseResource` knows (the
 * optimized Lambda integration, Lambda function ARNs, service and SDK integrations with their
 * `.sync`/`.waitForTaskToken` patterns, activities; see task-attempt.ts for the dispatch).
 *
 * - JSONata: `Arguments` are evaluated with `$states.input`/`$states.context`; `Output` and
 *   `Assign` see `$states.result`. `TimeoutSeconds`/`HeartbeatSeconds` may be expressions.
 * - JSONPath: `InputPath` → `Parameters` → the call → `ResultSelector` → `ResultPath` →
 *   `OutputPath`; `TimeoutSecondsPath`/`HeartbeatSecondsPath` read the input.
 *
 * `TimeoutSeconds` (default: none) ends an attempt with `States.Timeout`; `HeartbeatSeconds`
 * with `States.HeartbeatTimeout` when no heartbeat came in time. Retry and Catch apply.
 *
 * @example
 * ```ts
 * sfn.registerHandler('stage-gate', (payload, { taskToken }) => queue.push({ payload, taskToken }));
 * ```
 */
import type { StateDefinition } from './definition.ts';
import { StatesError } from './errors.ts';
import type { HistoryEvent } from './history.ts';
import { isTemplate } from './jsonata-evaluator.ts';
import { readPath } from './jsonpath-io.ts';
import { jsonPathInput } from './jsonpath-state.ts';
import { jsonValue } from './lazy-json.ts';
import { parseResource } from './resources.ts';
import { exitWithResult, registerRetryingRunner } from './retry-catch.ts';
import { type RunContext, stateContext, type Thread } from './run-context.ts';
import { evaluateField } from './state-io.ts';
import { type AttemptPlan, runAttempt } from './task-attempt.ts';

export { findHandler, functionError } from './task-attempt.ts';

registerRetryingRunner('Task', (ctx, thread, name, state, site, input, { entered, variables, jsonata }) => {
  const resource = parseResource(state.Resource ?? '');
  if (!resource)
    throw new StatesError('States.Runtime', `state '${name}': unknown resource ${state.Resource}`);
  return async (attempt, retryCount) => {
    const attemptSite = `${site}@${attempt}`;
    const recorded = ctx.replay.outcome(attemptSite);
    const token = resource.pattern === 'token' ? ctx.ids.token() : undefined;
    const context = stateContext(ctx, name, entered, retryCount, token);
    let result: unknown;
    if (recorded) {
      thread.lastEventId = recorded.id;
      result = recordedResult(recorded);
    } else {
      const plan = jsonata
        ? await jsonataPlan(ctx, thread, name, state, site, input, context, variables)
        : jsonPathPlan(ctx, name, state, input, context, variables);
      result = await runAttempt(ctx, thread, name, resource, attemptSite, { ...plan, token, retryCount });
    }
    return exitWithResult(ctx, thread, name, state, site, input, result, context, variables, jsonata);
  };
});

function recordedResult(recorded: HistoryEvent): unknown {
  const r = recorded as unknown as Record<
    string,
    { output?: string; error?: string; cause?: string } | undefined
  >;
  const details = Object.entries(r).find(([k]) => /(Succeeded|Failed|TimedOut)EventDetails$/.test(k))?.[1];
  if (!/Succeeded$/.test(recorded.type)) throw new StatesError(details?.error ?? '', details?.cause ?? '');
  return jsonValue(details?.output);
}

type Plan = Omit<AttemptPlan, 'token' | 'retryCount'>;

async function jsonataPlan(
  ctx: RunContext,
  thread: Thread,
  name: string,
  state: StateDefinition,
  site: string,
  input: unknown,
  context: Record<string, unknown>,
  variables: Record<string, unknown>,
): Promise<Plan> {
  const scope = { states: { input, context }, variables };
  const seconds = async (value: number | string | undefined, field: string) => {
    if (value === undefined) return undefined;
    const n = isTemplate(value) ? await evaluateField(ctx, thread, site, value, scope, field, name) : value;
    return positive(n, field, name, 'States.QueryEvaluationError');
  };
  const args =
    state.Arguments === undefined && !/^arn:[^:]+:states:::lambda:invoke/.test(state.Resource ?? '')
      ? input
      : await evaluateField(ctx, thread, site, state.Arguments ?? {}, scope, 'Arguments', name);
  return {
    arguments: args,
    timeoutSeconds: await seconds(state.TimeoutSeconds, 'TimeoutSeconds'),
    heartbeatSeconds: await seconds(state.HeartbeatSeconds, 'HeartbeatSeconds'),
  };
}

function jsonPathPlan(
  ctx: RunContext,
  name: string,
  state: StateDefinition,
  input: unknown,
  context: Record<string, unknown>,
  variables: Record<string, unknown>,
): Plan {
  const seconds = (fixed: number | string | undefined, path: string | undefined, field: string) => {
    if (path === undefined)
      return fixed === undefined ? undefined : positive(fixed, field, name, 'States.Runtime');
    const value = readPath(path, { input, context, variables }, name, `${field}Path`);
    return positive(value, `${field}Path`, name, 'States.Runtime');
  };
  return {
    arguments: jsonPathInput(ctx, state, input, context, variables, name),
    timeoutSeconds: seconds(state.TimeoutSeconds, state.TimeoutSecondsPath, 'TimeoutSeconds'),
    heartbeatSeconds: seconds(state.HeartbeatSeconds, state.HeartbeatSecondsPath, 'HeartbeatSeconds'),
  };
}

function positive(n: unknown, field: string, name: string, error: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw new StatesError(
      error,
      `${field} of state '${name}' must be a positive integer, got ${JSON.stringify(n)}`,
    );
  }
  return n;
}
