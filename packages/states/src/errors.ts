/**
 * Errors of `@pipewright/states`, code `PW2xxx`. Two families:
 *
 * - **API errors** thrown by {@link LocalStepFunctions} methods, named like the Step Functions
 *   SDK's exceptions (`InvalidToken`, `TaskTimedOut`, `ExecutionAlreadyExists`, …) so a port
 *   adapter can map them one to one.
 * - {@link StatesError}: an error *inside* an execution (`States.Timeout`, `Lambda.Unknown`, a
 *   `Fail` state's error). It never escapes the API: Retry/Catch match it, or the execution fails
 *   with it.
 *
 * @example
 * ```ts
 * try { await sfn.sendTaskSuccess({ taskToken, output: '{}' }) } catch (e) {
 *   if (e instanceof TaskTimedOut) console.log('the task is already closed');
 * }
 * ```
 */
import { PipewrightError } from '@pipewright/core';

/** An error raised inside an execution, with Step Functions' `Error` and `Cause`. */
export class StatesError extends Error {
  override readonly name = 'StatesError';
  /** The Step Functions error name, e.g. `States.Timeout` or `Lambda.Unknown`. */
  readonly error: string;
  /** The cause text (may be empty). */
  readonly errorCause: string;
  constructor(error: string, cause: string) {
    super(`${error}: ${cause}`);
    this.error = error;
    this.errorCause = cause;
  }
}

/** A definition uses something this runtime does not support, or is malformed. Terminal. */
export class InvalidDefinition extends PipewrightError {
  override readonly name = 'InvalidDefinition';
  /** One line per problem, each naming the state and the field. */
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(
      'PW2001',
      `the state machine definition is not supported (${problems.length} problem${problems.length === 1 ? '' : 's'}); fix these and try again:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      false,
    );
    this.problems = problems;
  }
}

/** An execution name breaks Step Functions' naming rules. Terminal. */
export class InvalidName extends PipewrightError {
  override readonly name = 'InvalidName';
  constructor(message: string) {
    super('PW2002', message, false);
  }
}

/** An execution with this name exists with another input, or is closed. Terminal. */
export class ExecutionAlreadyExists extends PipewrightError {
  override readonly name = 'ExecutionAlreadyExists';
  constructor(name: string) {
    super(
      'PW2003',
      `an execution named '${name}' already exists with a different input or is closed; choose another name`,
      false,
    );
  }
}

/** No execution has this ARN. Terminal. */
export class ExecutionDoesNotExist extends PipewrightError {
  override readonly name = 'ExecutionDoesNotExist';
  constructor(executionArn: string) {
    super('PW2004', `no execution '${executionArn}'; check the ARN returned by startExecution`, false);
  }
}

/** The task token was never issued by this runtime. Terminal. */
export class InvalidToken extends PipewrightError {
  override readonly name = 'InvalidToken';
  constructor() {
    super('PW2005', 'the task token is not valid; pass the token from $states.context.Task.Token', false);
  }
}

/** The task token belongs to a task that is closed (completed, timed out, stopped). Terminal. */
export class TaskTimedOut extends PipewrightError {
  override readonly name = 'TaskTimedOut';
  constructor() {
    super(
      'PW2006',
      'the task of this token is closed (it completed, timed out, or its execution ended); nothing to do',
      false,
    );
  }
}

/** RedriveExecution on an execution that is not FAILED, TIMED_OUT or ABORTED. Terminal. */
export class ExecutionNotRedrivable extends PipewrightError {
  override readonly name = 'ExecutionNotRedrivable';
  constructor(executionArn: string, status: string) {
    super(
      'PW2007',
      `execution '${executionArn}' is ${status}; only FAILED, TIMED_OUT or ABORTED executions can be redriven`,
      false,
    );
  }
}

/** `SendTaskSuccess` output is not valid JSON. Terminal. */
export class InvalidOutput extends PipewrightError {
  override readonly name = 'InvalidOutput';
  constructor(message: string) {
    super('PW2008', `the task output is not valid JSON (${message}); send JSON text`, false);
  }
}

/** No state machine has this ARN. Terminal. */
export class StateMachineDoesNotExist extends PipewrightError {
  override readonly name = 'StateMachineDoesNotExist';
  constructor(arn: string) {
    super('PW2009', `no state machine '${arn}'; create it with createStateMachine first`, false);
  }
}
