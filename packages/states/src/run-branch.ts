/**
 * The interpreter's main loop: runs the states of a machine, Parallel branch or Map iteration
 * from `StartAt` until a state ends it. Each state type lives in its own file and registers its
 * runner here. A state that fails without a matching Catch throws a
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
import type { BranchDefinition, StateDefinition } from './definition.ts';
import { StatesError } from './errors.ts';
import type { HistoryEventType } from './history.ts';
import { lazyJson } from './lazy-json.ts';
import { emitOnce, locateError, type RunContext, stateContext, type Thread } from './run-context.ts';
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
    let result: StepResult;
    try {
      result = await runner(ctx, thread, name, state, `${thread.prefix}${name}#${visit}`, value);
    } catch (e) {
      throw locateError(e, name, thread);
    }
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
  const entered = emitOnce(ctx, thread, {
    type: `${state.Type}StateEntered` as HistoryEventType,
    site,
    stateEnteredEventDetails: { name, input: lazyJson(input) },
  });
  thread.enteredEventId = entered.id;
  return entered.timestamp;
}

/** A visit of a state without Retry (Pass, Succeed, Fail, Choice, Wait), once entered. */
export interface SimpleVisit {
  entered: string;
  context: Record<string, unknown>;
  variables: Record<string, unknown>;
}

/** Enters a state without Retry: its entered time, `$states.context` and variable snapshot. */
export function enterSimple(
  ctx: RunContext,
  thread: Thread,
  name: string,
  state: StateDefinition,
  site: string,
  input: unknown,
): SimpleVisit {
  const entered = enterState(ctx, thread, name, state, site, input);
  return { entered, context: stateContext(ctx, name, entered, 0), variables: thread.variables.snapshot() };
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
    stateExitedEventDetails: { name, output: lazyJson(output) },
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

/** The state that follows a state (none when it ends its branch). */
export const nextOf = (state: StateDefinition): string | undefined =>
  state.End === true ? undefined : state.Next;

/** True when the state's query language (its own, else the machine's) is JSONata. */
export function isJsonata(ctx: RunContext, state: StateDefinition): boolean {
  return (state.QueryLanguage ?? ctx.queryLanguage) === 'JSONata';
}
