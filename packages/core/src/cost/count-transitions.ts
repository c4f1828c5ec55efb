import type { AslDefinition, AslState } from '../compiler/asl-types.ts';
import { CompileError } from '../errors.ts';

/** What one successful execution of a definition does in Step Functions. */
export interface SuccessPathCounts {
  /** Billed state transitions: every state entered, Parallel branch states included. */
  stateTransitions: number;
  /** Task states run (each one Lambda invocation by Step Functions). */
  tasks: number;
}

/**
 * Walks the success path of a compiled definition and counts what Step Functions bills.
 * The success path follows `Next`, a Choice's `Default` (the gate's ENTER), and every branch
 * of a Parallel; it stops at `Succeed`. Every state entered counts as one transition: Pass,
 * Task, Choice, Parallel (once, plus the states of each branch) and Succeed. Retries, failure
 * paths and the polls of long waits (an action answering at once leaves its loop's Choice by
 * `Default`) are not on it.
 *
 * @example
 * ```ts
 * countSuccessPath(compilePipeline(seed, options)); // { stateTransitions: 11, tasks: 7 }
 * ```
 */
export function countSuccessPath(definition: Pick<AslDefinition, 'StartAt' | 'States'>): SuccessPathCounts {
  const counts: SuccessPathCounts = { stateTransitions: 0, tasks: 0 };
  walk(definition.StartAt, definition.States, counts);
  return counts;
}

function walk(startAt: string, states: Record<string, AslState>, counts: SuccessPathCounts): void {
  const seen = new Set<string>();
  let name: string | undefined = startAt;
  while (name !== undefined) {
    const state: AslState | undefined = states[name];
    if (!state) throw new CompileError(`state "${name}" is the target of a transition but does not exist`);
    if (seen.has(name))
      throw new CompileError(`the success path loops at state "${name}"; it cannot be counted`);
    seen.add(name);
    counts.stateTransitions += 1;
    switch (state.Type) {
      case 'Task':
        counts.tasks += 1;
        name = state.Next;
        break;
      case 'Pass':
      case 'Wait':
        name = state.Next;
        break;
      case 'Choice':
        name = state.Default;
        break;
      case 'Parallel':
        for (const branch of state.Branches) walk(branch.StartAt, branch.States, counts);
        name = state.Next;
        break;
      case 'Succeed':
      case 'Fail':
        name = undefined;
        break;
    }
  }
}
