/**
 * The Amazon States Language subset this runtime interprets (query language JSONata), as
 * loose JSON types. {@link parseDefinition} checks a definition against them and refuses
 * anything else up front.
 *
 * @example
 * ```ts
 * const definition: StateMachineDefinition = {
 *   QueryLanguage: 'JSONata',
 *   StartAt: 'Done',
 *   States: { Done: { Type: 'Succeed' } },
 * };
 * ```
 */

/** A top-level state machine (or, without `QueryLanguage`/`TimeoutSeconds`, a Parallel branch). */
export interface StateMachineDefinition {
  QueryLanguage?: 'JSONata';
  Comment?: string;
  Version?: string;
  StartAt: string;
  States: Record<string, StateDefinition>;
  /** Execution-level timeout (seconds). */
  TimeoutSeconds?: number;
}

/** A Parallel branch: a nested state machine. */
export interface BranchDefinition {
  StartAt: string;
  States: Record<string, StateDefinition>;
  Comment?: string;
}

/** One retrier of `Retry`. */
export interface RetrierDefinition {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
  Comment?: string;
}

/** One catcher of `Catch`. */
export interface CatcherDefinition {
  ErrorEquals: string[];
  Next: string;
  Output?: unknown;
  Assign?: Record<string, unknown>;
  Comment?: string;
}

/** One Choice rule. */
export interface ChoiceRuleDefinition {
  Condition: string;
  Next: string;
  Output?: unknown;
  Assign?: Record<string, unknown>;
  Comment?: string;
}

/** The state types this runtime interprets. */
export const STATE_TYPES = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel'] as const;
/** One of {@link STATE_TYPES}. */
export type StateType = (typeof STATE_TYPES)[number];

/** Any state; which fields are allowed depends on `Type` (see `ALLOWED_FIELDS`). */
export interface StateDefinition {
  Type: StateType;
  Comment?: string;
  QueryLanguage?: 'JSONata';
  Next?: string;
  End?: boolean;
  Output?: unknown;
  Assign?: Record<string, unknown>;
  Arguments?: unknown;
  Resource?: string;
  TimeoutSeconds?: number | string;
  HeartbeatSeconds?: number | string;
  Retry?: RetrierDefinition[];
  Catch?: CatcherDefinition[];
  Branches?: BranchDefinition[];
  Choices?: ChoiceRuleDefinition[];
  Default?: string;
  Seconds?: number | string;
  Timestamp?: string;
  Error?: string;
  Cause?: string;
}

/** The Task resources this runtime dispatches to local handlers. */
export const TASK_RESOURCES = [
  'arn:aws:states:::lambda:invoke',
  'arn:aws:states:::lambda:invoke.waitForTaskToken',
] as const;

/** The fields each state type may carry in JSONata mode. */
export const ALLOWED_FIELDS: Readonly<Record<StateType, readonly string[]>> = {
  Pass: ['Output', 'Assign', 'Next', 'End'],
  Task: [
    'Resource',
    'Arguments',
    'Output',
    'Assign',
    'Next',
    'End',
    'TimeoutSeconds',
    'HeartbeatSeconds',
    'Retry',
    'Catch',
  ],
  Parallel: ['Branches', 'Arguments', 'Output', 'Assign', 'Next', 'End', 'Retry', 'Catch'],
  Choice: ['Choices', 'Default', 'Output', 'Assign'],
  Wait: ['Seconds', 'Timestamp', 'Output', 'Assign', 'Next', 'End'],
  Succeed: ['Output'],
  Fail: ['Error', 'Cause'],
};

/** Fields of the JSONPath query language, refused with a hint to use the JSONata field. */
export const JSONPATH_FIELDS: Readonly<Record<string, string>> = {
  InputPath: 'Arguments',
  OutputPath: 'Output',
  Parameters: 'Arguments',
  ResultPath: 'Output or Assign',
  ResultSelector: 'Output',
  Result: 'Output',
  SecondsPath: 'Seconds with a JSONata expression',
  TimestampPath: 'Timestamp with a JSONata expression',
  ErrorPath: 'Error with a JSONata expression',
  CausePath: 'Cause with a JSONata expression',
  TimeoutSecondsPath: 'TimeoutSeconds with a JSONata expression',
  HeartbeatSecondsPath: 'HeartbeatSeconds with a JSONata expression',
  ItemsPath: 'Items',
  Variable: 'Condition',
};
