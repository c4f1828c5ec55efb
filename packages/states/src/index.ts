/**
 * `@pipewright/states`: a local Amazon States Language runtime (JSONata query language) shaped
 * like the Step Functions API. Explicit named re-exports only.
 */

export type { LocalStepFunctionsOptions, StartExecutionInput } from './api-types.ts';
export { Cancelled, type CancelReason, CancelScope } from './cancellation.ts';
export { type Clock, realClock, SimulatedClock, settle, type TimerHandle } from './clock.ts';
export {
  type BranchDefinition,
  type CatcherDefinition,
  type ChoiceRuleDefinition,
  type RetrierDefinition,
  STATE_TYPES,
  type StateDefinition,
  type StateMachineDefinition,
  type StateType,
  TASK_RESOURCES,
} from './definition.ts';
export { errorMatches, retryDelayMs } from './error-matching.ts';
export {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  InvalidDefinition,
  InvalidName,
  InvalidOutput,
  InvalidToken,
  StateMachineDoesNotExist,
  StatesError,
  TaskTimedOut,
} from './errors.ts';
export {
  checkExecutionName,
  type DescribeExecutionOutput,
  EXECUTION_STATUSES,
  type ExecutionStatus,
} from './execution-record.ts';
export {
  CLOSING_EVENT_TYPES,
  type ErrorDetails,
  HISTORY_EVENT_TYPES,
  type HistoryEvent,
  type HistoryEventType,
  type TaskEventDetails,
} from './history.ts';
export { LocalStepFunctions } from './local-step-functions.ts';
export { parseDefinition } from './parse-definition.ts';
export type { IdSource, TaskHandler, TaskHandlerContext } from './run-context.ts';
