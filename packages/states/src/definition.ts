/**
 * The Amazon States Language this runtime interprets (JSONata and JSONPath states), as
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
  QueryLanguage?: 'JSONata' | 'JSONPath';
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
  ResultPath?: string | null;
  Output?: unknown;
  Assign?: Record<string, unknown>;
  Comment?: string;
}

/** One Choice rule: `Condition` (JSONata) or `Variable` with a comparison operator, `And`, `Or`, `Not` (JSONPath). */
export interface ChoiceRuleDefinition {
  Condition?: string | boolean;
  Variable?: string;
  And?: Record<string, unknown>[];
  Or?: Record<string, unknown>[];
  Not?: Record<string, unknown>;
  [operator: string]: unknown;
  Next: string;
  Output?: unknown;
  Assign?: Record<string, unknown>;
  Comment?: string;
}

/** The state types this runtime interprets. */
export const STATE_TYPES = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const;
/** One of {@link STATE_TYPES}. */
export type StateType = (typeof STATE_TYPES)[number];

/** A Map's `ItemProcessor` (or the deprecated `Iterator`): a nested state machine. */
export interface ItemProcessorDefinition extends BranchDefinition {
  ProcessorConfig?: { Mode?: 'INLINE' | 'DISTRIBUTED'; ExecutionType?: 'STANDARD' | 'EXPRESS' };
}

/** Any state; which fields are allowed depends on `Type` and the query language (see `FIELDS`). */
export interface StateDefinition {
  Type: StateType;
  Comment?: string;
  QueryLanguage?: 'JSONata' | 'JSONPath';
  Next?: string;
  End?: boolean;
  Output?: unknown;
  Assign?: Record<string, unknown>;
  Arguments?: unknown;
  Resource?: string;
  Credentials?: unknown;
  TimeoutSeconds?: number | string;
  HeartbeatSeconds?: number | string;
  TimeoutSecondsPath?: string;
  HeartbeatSecondsPath?: string;
  Retry?: RetrierDefinition[];
  Catch?: CatcherDefinition[];
  Branches?: BranchDefinition[];
  Choices?: ChoiceRuleDefinition[];
  Default?: string;
  Seconds?: number | string;
  Timestamp?: string;
  SecondsPath?: string;
  TimestampPath?: string;
  Error?: string;
  Cause?: string;
  ErrorPath?: string;
  CausePath?: string;
  InputPath?: string | null;
  OutputPath?: string | null;
  Parameters?: unknown;
  ResultSelector?: unknown;
  ResultPath?: string | null;
  Result?: unknown;
  Items?: unknown;
  ItemsPath?: string;
  ItemSelector?: unknown;
  ItemProcessor?: ItemProcessorDefinition;
  Iterator?: ItemProcessorDefinition;
  MaxConcurrency?: number | string;
  MaxConcurrencyPath?: string;
  ToleratedFailurePercentage?: number | string;
  ToleratedFailurePercentagePath?: string;
  ToleratedFailureCount?: number | string;
  ToleratedFailureCountPath?: string;
  ItemBatcher?: Record<string, unknown>;
  ItemReader?: Record<string, unknown>;
  ResultWriter?: Record<string, unknown>;
  Label?: string;
}

/** The Task resources dispatched to the Lambda handlers (other resources: see `parseResource`). */
export const TASK_RESOURCES = [
  'arn:aws:states:::lambda:invoke',
  'arn:aws:states:::lambda:invoke.waitForTaskToken',
] as const;

const FLOW = ['Next', 'End'];
const ERRORS = ['Retry', 'Catch'];
const MAP_COMMON = [
  'ItemProcessor',
  'ItemSelector',
  'MaxConcurrency',
  'ToleratedFailurePercentage',
  'ToleratedFailureCount',
  'ItemReader',
  'ItemBatcher',
  'ResultWriter',
  'Label',
  'Assign',
  ...FLOW,
  ...ERRORS,
];
const PATH_IO = ['InputPath', 'OutputPath'];
const PATH_RESULT = ['Parameters', 'ResultSelector', 'ResultPath'];

/** The fields each state type may carry, per query language (besides Type, Comment, QueryLanguage). */
export const FIELDS: Readonly<
  Record<'JSONata' | 'JSONPath', Readonly<Record<StateType, readonly string[]>>>
> = {
  JSONata: {
    Pass: ['Output', 'Assign', ...FLOW],
    Task: [
      'Resource',
      'Arguments',
      'Output',
      'Assign',
      'TimeoutSeconds',
      'HeartbeatSeconds',
      'Credentials',
      ...FLOW,
      ...ERRORS,
    ],
    Parallel: ['Branches', 'Arguments', 'Output', 'Assign', ...FLOW, ...ERRORS],
    Map: ['Items', 'Output', ...MAP_COMMON],
    Choice: ['Choices', 'Default', 'Output', 'Assign'],
    Wait: ['Seconds', 'Timestamp', 'Output', 'Assign', ...FLOW],
    Succeed: ['Output'],
    Fail: ['Error', 'Cause'],
  },
  JSONPath: {
    Pass: [...PATH_IO, 'Parameters', 'ResultPath', 'Result', 'Assign', ...FLOW],
    Task: [
      'Resource',
      ...PATH_IO,
      ...PATH_RESULT,
      'Assign',
      'TimeoutSeconds',
      'TimeoutSecondsPath',
      'HeartbeatSeconds',
      'HeartbeatSecondsPath',
      'Credentials',
      ...FLOW,
      ...ERRORS,
    ],
    Parallel: ['Branches', ...PATH_IO, ...PATH_RESULT, 'Assign', ...FLOW, ...ERRORS],
    Map: [
      'Iterator',
      'ItemsPath',
      'MaxConcurrencyPath',
      'ToleratedFailurePercentagePath',
      'ToleratedFailureCountPath',
      ...PATH_IO,
      ...PATH_RESULT,
      ...MAP_COMMON,
    ],
    Choice: [...PATH_IO, 'Choices', 'Default', 'Assign'],
    Wait: [...PATH_IO, 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath', 'Assign', ...FLOW],
    Succeed: PATH_IO,
    Fail: ['Error', 'ErrorPath', 'Cause', 'CausePath'],
  },
};

/** @deprecated Use `FIELDS.JSONata`. The fields each state type may carry in JSONata mode. */
export const ALLOWED_FIELDS = FIELDS.JSONata;

/** Fields of the JSONPath query language, with the JSONata field a JSONata state uses instead. */
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
  MaxConcurrencyPath: 'MaxConcurrency with a JSONata expression',
  ToleratedFailurePercentagePath: 'ToleratedFailurePercentage with a JSONata expression',
  ToleratedFailureCountPath: 'ToleratedFailureCount with a JSONata expression',
  Iterator: 'ItemProcessor',
  Variable: 'Condition',
};

/** Fields of the JSONata query language, with the JSONPath field a JSONPath state uses instead. */
export const JSONATA_FIELDS: Readonly<Record<string, string>> = {
  Arguments: 'Parameters',
  Output: 'OutputPath, ResultSelector or ResultPath',
  Items: 'ItemsPath',
  Condition: 'Variable with a comparison operator',
};
