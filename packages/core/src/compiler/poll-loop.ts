/**
 * The long-wait loop of an action whose provider polls (docs/execution.md, "Long waits"):
 *
 * ```
 * <action> ──► <action>.polling? ──(progress)──► <action>.wait ──► <action>.poll ─┐
 *                  ▲     └──(done)──► next              (Wait)        (Task)      │
 *                  └──────────────────────────────────────────────────────────────┘
 * ```
 *
 * The action's Task answers either as before (the action ended) or with
 * `{ progress, waitSeconds }`; the Choice sends the latter through a Wait state and a poll
 * Task that carries the progress back to the action runner. Step Functions (or the local
 * `states` runtime with its clock) does the waiting, so no function call ever waits for a
 * deployment. The loop keeps the action Task's input and gives it back as its output once
 * the action ended, exactly as the plain Task does.
 *
 * @example
 * ```ts
 * const states = pollLoopStates(task, names, { Next: 'Deploy.leave' }, catchers);
 * Object.keys(states); // ['Deploy.Stack', 'Deploy.Stack.polling', 'Deploy.Stack.wait', 'Deploy.Stack.poll']
 * ```
 */
import type { Action } from '../model/pipeline.ts';
import { findProvider } from '../providers/index.ts';
import type { AslCatcher, AslState, AslTaskState } from './asl-types.ts';
import type { CompiledState } from './compile-pipeline.ts';

/**
 * `TimeoutSeconds` of each call of a polling action (the first and every poll): one call does
 * a few requests, so a runner that died is noticed in 20 minutes, not after the action's days.
 * The action's own timeout (CodePipeline's) is counted by the runner from its start.
 */
export const POLL_STEP_TIMEOUT_SECONDS = 20 * 60;

/**
 * Whether an action waits by polling (its provider's `waitsByPolling`).
 *
 * @example
 * ```ts
 * polls({ ...action, actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'CloudFormation', version: '1' } }); // true
 * ```
 */
export function polls(action: Action): boolean {
  return findProvider(action.actionTypeId)?.waitsByPolling === true;
}

/** The extra states of one polling action, named by the compiler's allocator. */
export interface PollLoopNames {
  /** The action's own Task (the first call). */
  task: string;
  /** Choice: poll again or go on. */
  check: string;
  /** Wait: the delay the runner asked for. */
  wait: string;
  /** Task: the poll. */
  poll: string;
  /** Succeed ending a Parallel branch (only in branches). */
  done: string;
}

// Fixed expressions: no user text inside `{% … %}`.
const POLL_EXPR = {
  firstOutput:
    '{% $exists($states.result.progress) ? {"input": $states.input, "progress": $states.result.progress, "waitSeconds": $states.result.waitSeconds} : $states.input %}',
  pollOutput:
    '{% $exists($states.result.progress) ? {"input": $states.input.input, "progress": $states.result.progress, "waitSeconds": $states.result.waitSeconds} : $states.input.input %}',
  polling: '{% $exists($states.input.progress) %}',
  waitSeconds: '{% $states.input.waitSeconds %}',
  progress: '{% $states.input.progress %}',
} as const;

/**
 * The states of a polling action: its Task, the Choice, the Wait and the poll Task; in a
 * Parallel branch (`then` is `{ End: true }`) also a Succeed state ending the branch.
 *
 * @example
 * ```ts
 * pollLoopStates(task, names, { End: true }); // branch: the loop ends at names.done
 * ```
 */
export function pollLoopStates(
  task: AslTaskState,
  names: PollLoopNames,
  then: { Next: string } | { End: true },
  catchers?: AslCatcher[],
): Record<string, AslState> {
  const after = 'Next' in then ? then.Next : names.done;
  const payload = (task.Arguments.Payload ?? {}) as Record<string, string | number>;
  const base: AslTaskState = { ...task, ...(catchers === undefined ? {} : { Catch: catchers }) };
  delete base.End;
  const states: Record<string, AslState> = {
    [names.task]: { ...base, Output: POLL_EXPR.firstOutput, Next: names.check },
    [names.check]: {
      Type: 'Choice',
      Comment: 'Long wait: poll again after a Wait while the action is in progress.',
      Choices: [{ Condition: POLL_EXPR.polling, Next: names.wait }],
      Default: after,
    },
    [names.wait]: {
      Type: 'Wait',
      Comment: 'Long wait: the delay the action runner asked for.',
      Seconds: POLL_EXPR.waitSeconds,
      Next: names.poll,
    },
    [names.poll]: {
      ...base,
      Comment: `${task.Comment ?? 'Action'} Poll of its long wait.`,
      Arguments: { ...task.Arguments, Payload: { ...payload, progress: POLL_EXPR.progress } },
      Output: POLL_EXPR.pollOutput,
      Next: names.check,
    },
  };
  if (!('Next' in then)) states[names.done] = { Type: 'Succeed', Comment: 'The action ended.' };
  return states;
}

/**
 * What the loop's states stand for (the compiled-state map): the Task is the action's.
 *
 * @example
 * ```ts
 * pollLoopMeta(names, 'Deploy', 'Stack', false).map((s) => s.kind); // ['action', 'pollCheck', 'pollWait', 'poll']
 * ```
 */
export function pollLoopMeta(
  names: PollLoopNames,
  stage: string,
  action: string,
  inBranch: boolean,
): CompiledState[] {
  const of = (stateName: string, kind: CompiledState['kind']): CompiledState => ({
    stateName,
    kind,
    stage,
    action,
  });
  const meta = [
    of(names.task, 'action'),
    of(names.check, 'pollCheck'),
    of(names.wait, 'pollWait'),
    of(names.poll, 'poll'),
  ];
  return inBranch ? [...meta, of(names.done, 'pollDone')] : meta;
}
