/**
 * Execution history events, with Step Functions' event type names and detail fields
 * (`GetExecutionHistory`). Timestamps are ISO-8601 strings so a journal is plain JSON.
 *
 * One Pipewright extension: `site`, the stable location of the state visit (`Build.gate#1`,
 * `Build.run1#1@0/1/Build.Test#1`) or task attempt (`…#1@2`) the event belongs to. Resume and
 * redrive use it to line a journal up with a re-run.
 *
 * @example
 * ```ts
 * const types = (await sfn.getExecutionHistory({ executionArn })).events.map((e) => e.type);
 * ```
 */

/** Every event type this runtime emits. */
export const HISTORY_EVENT_TYPES = [
  'ExecutionStarted',
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionAborted',
  'ExecutionTimedOut',
  'ExecutionRedriven',
  'TaskStateEntered',
  'TaskStateExited',
  'TaskScheduled',
  'TaskStarted',
  'TaskSubmitted',
  'TaskSucceeded',
  'TaskFailed',
  'TaskTimedOut',
  'PassStateEntered',
  'PassStateExited',
  'ChoiceStateEntered',
  'ChoiceStateExited',
  'WaitStateEntered',
  'WaitStateExited',
  'SucceedStateEntered',
  'SucceedStateExited',
  'FailStateEntered',
  'ParallelStateEntered',
  'ParallelStateStarted',
  'ParallelStateSucceeded',
  'ParallelStateFailed',
  'ParallelStateExited',
  'MapStateEntered',
  'MapStateStarted',
  'MapStateSucceeded',
  'MapStateFailed',
  'MapStateAborted',
  'MapStateExited',
  'MapIterationStarted',
  'MapIterationSucceeded',
  'MapIterationFailed',
  'MapIterationAborted',
  'MapRunStarted',
  'MapRunSucceeded',
  'MapRunFailed',
  'MapRunAborted',
  'LambdaFunctionScheduled',
  'LambdaFunctionStarted',
  'LambdaFunctionSucceeded',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'ActivityScheduled',
  'ActivityStarted',
  'ActivitySucceeded',
  'ActivityFailed',
  'ActivityTimedOut',
  'EvaluationFailed',
] as const;

/** One of {@link HISTORY_EVENT_TYPES}. */
export type HistoryEventType = (typeof HISTORY_EVENT_TYPES)[number];

/** Error details (`…FailedEventDetails`, `…TimedOutEventDetails`, `…AbortedEventDetails`). */
export interface ErrorDetails {
  error: string;
  cause: string;
}

/** Details of the task events. */
export interface TaskEventDetails {
  /** `lambda`, a service (`sqs`, `ecs`) or `aws-sdk:<service>`. */
  resourceType: string;
  /** The action with its pattern, e.g. `invoke.waitForTaskToken`, `startBuild.sync`, `getObject`. */
  resource: string;
  region?: string;
  parameters?: string;
  timeoutInSeconds?: number;
  heartbeatInSeconds?: number;
  output?: string;
  error?: string;
  cause?: string;
}

/** One history event. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: string;
  type: HistoryEventType;
  /** Pipewright extension: the state visit or task attempt this event belongs to. */
  site?: string;
  executionStartedEventDetails?: { input: string; roleArn?: string };
  executionSucceededEventDetails?: { output: string };
  executionFailedEventDetails?: ErrorDetails;
  executionAbortedEventDetails?: ErrorDetails;
  executionTimedOutEventDetails?: ErrorDetails;
  executionRedrivenEventDetails?: { redriveCount: number };
  stateEnteredEventDetails?: { name: string; input: string };
  stateExitedEventDetails?: { name: string; output: string };
  taskScheduledEventDetails?: TaskEventDetails;
  taskStartedEventDetails?: TaskEventDetails;
  taskSubmittedEventDetails?: TaskEventDetails;
  taskSucceededEventDetails?: TaskEventDetails;
  taskFailedEventDetails?: TaskEventDetails;
  taskTimedOutEventDetails?: TaskEventDetails;
  evaluationFailedEventDetails?: ErrorDetails & { state: string };
  lambdaFunctionScheduledEventDetails?: { resource: string; input: string; timeoutInSeconds?: number };
  lambdaFunctionSucceededEventDetails?: { output: string };
  lambdaFunctionFailedEventDetails?: ErrorDetails;
  lambdaFunctionTimedOutEventDetails?: ErrorDetails;
  activityScheduledEventDetails?: {
    resource: string;
    input: string;
    timeoutInSeconds?: number;
    heartbeatInSeconds?: number;
  };
  activitySucceededEventDetails?: { output: string };
  activityFailedEventDetails?: ErrorDetails;
  activityTimedOutEventDetails?: ErrorDetails;
  /** `MapStateStarted`: the number of items. */
  mapStateStartedEventDetails?: { length: number };
  /** `MapIteration*`: the Map state's name and the item's index. */
  mapIterationStartedEventDetails?: { name: string; index: number };
  mapIterationSucceededEventDetails?: { name: string; index: number };
  mapIterationFailedEventDetails?: { name: string; index: number };
  mapIterationAbortedEventDetails?: { name: string; index: number };
  /** `MapRunStarted`: the Map Run's ARN. */
  mapRunStartedEventDetails?: { mapRunArn: string };
  mapRunFailedEventDetails?: ErrorDetails;
}

/** An event before the runtime numbers and stamps it. */
export type NewHistoryEvent = Omit<HistoryEvent, 'id' | 'previousEventId' | 'timestamp'>;

/** The execution-closing event types. */
export const CLOSING_EVENT_TYPES: readonly HistoryEventType[] = [
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionAborted',
  'ExecutionTimedOut',
];
