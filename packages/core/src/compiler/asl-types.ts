/**
 * The subset of Amazon States Language (JSONata query language) that the Pipewright compiler
 * emits. The same shapes are what `@pipewright/states` interprets.
 *
 * @example
 * ```ts
 * const definition: AslDefinition = {
 *   QueryLanguage: 'JSONata',
 *   StartAt: 'Done',
 *   States: { Done: { Type: 'Succeed' } },
 * };
 * ```
 */
export interface AslDefinition {
  Comment?: string;
  QueryLanguage: 'JSONata';
  StartAt: string;
  States: Record<string, AslState>;
}

/** A JSON value as it may appear in `Arguments`, `Assign` or `Output`. */
export type AslJson = string | number | boolean | null | AslJson[] | { [key: string]: AslJson };

/** One retrier of a Task's `Retry`. */
export interface AslRetrier {
  ErrorEquals: string[];
  IntervalSeconds: number;
  MaxAttempts: number;
  BackoffRate: number;
  JitterStrategy: 'FULL' | 'NONE';
}

/** One catcher of a Task's or Parallel's `Catch`. */
export interface AslCatcher {
  ErrorEquals: string[];
  Next: string;
  Output?: string;
}

/** A Pass state; the compiler uses one, `Start`, to assign `$pipeline`, `$executionId` and `$attempt`. */
export interface AslPassState {
  Type: 'Pass';
  Comment?: string;
  Assign?: Record<string, AslJson>;
  Output?: AslJson;
  Next: string;
}

/** A Task state: a Lambda invoke (`.waitForTaskToken` or request/response) with identifiers only. */
export interface AslTaskState {
  Type: 'Task';
  Comment?: string;
  Resource: string;
  Arguments: Record<string, AslJson>;
  Output?: AslJson;
  TimeoutSeconds?: number;
  Retry?: AslRetrier[];
  Catch?: AslCatcher[];
  Next?: string;
  End?: true;
}

/** A Choice rule (JSONata: `Condition`, optional `Assign`). */
export interface AslChoiceRule {
  Condition: string;
  Assign?: Record<string, AslJson>;
  Next: string;
}

/** A Choice state: the gate's ENTER/SKIP (`S.enter`) and the failure decision (`S.decide`). */
export interface AslChoiceState {
  Type: 'Choice';
  Comment?: string;
  Choices: AslChoiceRule[];
  Default: string;
}

/** A Parallel branch: a nested state machine. */
export interface AslBranch {
  StartAt: string;
  States: Record<string, AslState>;
}

/** A Parallel state: one branch per action of a runOrder group (`S.run<N>`). */
export interface AslParallelState {
  Type: 'Parallel';
  Comment?: string;
  Branches: AslBranch[];
  Output?: AslJson;
  Catch?: AslCatcher[];
  Next: string;
}

/** The `Succeeded` end state. */
/**
 * A Wait state (the long-wait poll loop's pause; `Seconds` may be a JSONata expression).
 *
 * @example
 * ```ts
 * const w: AslWaitState = { Type: 'Wait', Seconds: '{% $states.input.waitSeconds %}', Next: 'Deploy.Stack.poll' };
 * ```
 */
export interface AslWaitState {
  Type: 'Wait';
  Comment?: string;
  Seconds: number | string;
  Next: string;
}

export interface AslSucceedState {
  Type: 'Succeed';
  Comment?: string;
}

/** The `Failed` end state, reached when a failed stage is not retried. */
export interface AslFailState {
  Type: 'Fail';
  Comment?: string;
  Error: string;
  Cause: string;
}

/** Any state the compiler emits. */
export type AslState =
  | AslPassState
  | AslTaskState
  | AslChoiceState
  | AslParallelState
  | AslWaitState
  | AslSucceedState
  | AslFailState;
