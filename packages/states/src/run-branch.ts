/**
 * The interpreter's main loop: runs the states of a machine or Parallel branch from `StartAt`
 * until a state ends it, and the simple states (Pass, Choice, Wait, Succeed, Fail). Task and
 * Parallel live in their own files. A state that fails without a matching Catch throws a
 * {@link StatesError}; the caller (Parallel or the execution) decides what that means.
 *
 * `Output` and `Assign` are both evaluated from the state-entry snapshot (`$states.input`,
 * `$states.result`, the variables as the state found them); the new variable values are visible
 * from the next state on.
 *
 * @example
 * ```ts
 * const output = await runBranch(ctx, definition, input, thread);
 * ```
 */
import { sleep } from './cancellation.ts';
import type { BranchDefinition, StateDefinition } from './definition.ts';
import { StatesError } from './errors.ts';
import type { HistoryEventType } from './history.ts';
import { emitOnce, type RunContext, stateContext, type Thread } from './run-context.ts';
import { evaluateField } from './state-io.ts';

/** What a state hands on: its output and the next state (none: the branch ends). */
export interface StepResult {
  output: unknown;
  next?: string;
}

/** Runs one state of a branch; implemented by each state type. */
export type StateRunner = (
  ctx: RunContext,
  thread: Thread,
  name: string,
  state: StateDefinition,
  site: string,
  input: unknown,
) => Promise<StepResult>;

const runners = new Map<string, StateRunner>();

/** Registers the runner of a state type (Task and Parallel register themselves). */
export function registerStateRunner(type: StateDefinition['Type'], runner: StateRunner): void {
  runners.set(type, runner);
}

/** Runs a machine or branch to its end and returns its output. */
export async function runBranch(
  ctx: RunContext,
  machine: BranchDefinition,
  input: unknown,
  thread: Thread,
): Promise<unknown> {
  const visits = new Map<string, number>();
  let name = machine.StartAt;
  let value = input;
  for (;;) {
    thread.scope.throwIfCancelled();
    const state = machine.States[name];
    if (!state) throw new StatesError('States.Runtime', `no state '${name}'`);
    const visit = (visits.get(name) ?? 0) + 1;
    visits.set(name, visit);
    const runner = runners.get(state.Type);
    if (!runner) throw new StatesError('States.Runtime', `no runner for ${state.Type}`);
    const result = await runner(ctx, thread, name, state, `${thread.prefix}${name}#${visit}`, value);
    value = result.output;
    if (result.next === undefined) return value;
    name = result.next;
  }
}

/** Emits (once) the `<Type>StateEntered` event of a state visit; returns its timestamp. */
export function enterState(
  ctx: RunContext,
  thread: Thread,
  name: string,
  state: StateDefinition,
  site: string,
  input: unknown,
): string {
  return emitOnce(ctx, thread, {
    type: `${state.Type}StateEntered` as HistoryEventType,
    site,
    stateEnteredEventDetails: { name, input: JSON.stringify(input ?? null) },
  }).timestamp;
}

/** Emits (once) the `<Type>StateExited` event and returns the step result. */
export function exitState(
  ctx: RunContext,
  thread: Thread,
  name: string,
  state: StateDefinition,
  site: string,
  output: unknown,
  next: string | undefined,
): StepResult {
  emitOnce(ctx, thread, {
    type: `${state.Type}StateExited` as HistoryEventType,
    site,
    stateExitedEventDetails: { name, output: JSON.stringify(output ?? null) },
  });
  return next === undefined ? { output } : { output, next };
}

/** Evaluates `Output` (default: `fallback`) and `Assign` from one snapshot, then applies the assignment. */
export async function outputAndAssign(
  ctx: RunContext,
  thread: Thread,
  name: string,
  site: string,
  fields: { Output?: unknown; Assign?: Record<string, unknown> },
  states: Record<string, unknown>,
  variables: Record<string, unknown>,
  fallback: unknown,
): Promise<unknown> {
  const scope = { states, variables };
  const output =
    fields.Output === undefined
      ? fallback
      : await evaluateField(ctx, thread, site, fields.Output, scope, 'Output', name);
  const assigned =
    fields.Assign === undefined
      ? {}
      : await evaluateField(ctx, thread, site, fields.Assign, scope, 'Assign', name);
  thread.variables.assign(assigned as Record<string, unknown>);
  return output;
}

const nextOf = (state: StateDefinition) => (state.End === true ? undefined : state.Next);

/** Pass and Succeed: enter, apply Output/Assign, exit to `next(state)` (Succeed ends the branch). */
const passThrough =
  (next: (state: StateDefinition) => string | undefined): StateRunner =>
  async (ctx, thread, name, state, site, input) => {
    const entered = enterState(ctx, thread, name, state, site, input);
    const states = { input, context: stateContext(ctx, name, entered, 0) };
    const output = await outputAndAssign(
      ctx,
      thread,
      name,
      site,
      state,
      states,
      thread.variables.snapshot(),
      input,
    );
    return exitState(ctx, thread, name, state, site, output, next(state));
  };

registerStateRunner('Pass', passThrough(nextOf));
registerStateRunner(
  'Succeed',
  passThrough(() => undefined),
);

registerStateRunner('Fail', async (ctx, thread, name, state, site, input) => {
  const entered = enterState(ctx, thread, name, state, site, input);
  const scope = {
    states: { input, context: stateContext(ctx, name, entered, 0) },
    variables: thread.variables.snapshot(),
  };
  const error =
    state.Error === undefined
      ? ''
      : await evaluateField(ctx, thread, site, state.Error, scope, 'Error', name);
  const cause =
    state.Cause === undefined
      ? ''
      : await evaluateField(ctx, thread, site, state.Cause, scope, 'Cause', name);
  throw new StatesError(asText(error), asText(cause));
});

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

registerStateRunner('Choice', async (ctx, thread, name, state, site, input) => {
  const entered = enterState(ctx, thread, name, state, site, input);
  const states = { input, context: stateContext(ctx, name, entered, 0) };
  const variables = thread.variables.snapshot();
  for (const [i, rule] of (state.Choices ?? []).entries()) {
    const field = `Choices[${i}].Condition`;
    const matched = await evaluateField(
      ctx,
      thread,
      site,
      rule.Condition,
      { states, variables },
      field,
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
  if (state.Default === undefined) {
    throw new StatesError(
      'States.NoChoiceMatched',
      `No Choice rule matched in state '${name}' and it has no Default`,
    );
  }
  const output = await outputAndAssign(ctx, thread, name, site, state, states, variables, input);
  return exitState(ctx, thread, name, state, site, output, state.Default);
});

registerStateRunner('Wait', async (ctx, thread, name, state, site, input) => {
  const entered = enterState(ctx, thread, name, state, site, input);
  const states = { input, context: stateContext(ctx, name, entered, 0) };
  const variables = thread.variables.snapshot();
  const scope = { states, variables };
  let dueMs: number;
  if (state.Seconds !== undefined) {
    const seconds = await evaluateField(ctx, thread, site, state.Seconds, scope, 'Seconds', name);
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw new StatesError(
        'States.QueryEvaluationError',
        `Seconds of state '${name}' must be a non-negative integer, got ${JSON.stringify(seconds)}`,
      );
    }
    dueMs = Date.parse(entered) + seconds * 1000;
  } else {
    const timestamp = await evaluateField(ctx, thread, site, state.Timestamp, scope, 'Timestamp', name);
    dueMs = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
    if (Number.isNaN(dueMs)) {
      throw new StatesError(
        'States.QueryEvaluationError',
        `Timestamp of state '${name}' must be an ISO-8601 timestamp, got ${JSON.stringify(timestamp)}`,
      );
    }
  }
  if (!ctx.replay.find(site, 'WaitStateExited'))
    await sleep(ctx.clock, dueMs - ctx.clock.now(), thread.scope);
  const output = await outputAndAssign(ctx, thread, name, site, state, states, variables, input);
  return exitState(ctx, thread, name, state, site, output, nextOf(state));
});
