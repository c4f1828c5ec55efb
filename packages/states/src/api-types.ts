/**
 * The input shapes of {@link LocalStepFunctions}: its options and `startExecution`'s input.
 *
 * @example
 * ```ts
 * const options: LocalStepFunctionsOptions = { clock: new SimulatedClock(0), random: () => 0.5 };
 * ```
 */
import type { Clock } from './clock.ts';
import type { StateMachineDefinition } from './definition.ts';
import type { HistoryEvent } from './history.ts';
import type { IdSource } from './run-context.ts';

/** Options of `LocalStepFunctions`. */
export interface LocalStepFunctionsOptions {
  /** Time source (default: the real clock). */
  clock?: Clock;
  /** Random source in [0, 1) for FULL jitter and `$random()` (default: Math.random). */
  random?: () => number;
  /** Id source for task tokens and UUIDs (default: crypto.randomUUID). */
  ids?: IdSource;
  /** Called with every history event as it is appended: the journal hook. */
  onHistoryEvent?: (executionArn: string, event: HistoryEvent) => void;
}

/** Input of `startExecution`: a created state machine's ARN, or a definition to run directly. */
export interface StartExecutionInput {
  stateMachineArn?: string;
  definition?: StateMachineDefinition | string;
  /** Name of the implicit state machine when `definition` is given (default `local`). */
  stateMachineName?: string;
  name?: string;
  /** JSON text (default `{}`). */
  input?: string;
}
