/**
 * The in-memory record of one execution, the shapes `describeExecution` returns, and Step
 * Functions' naming rules and ARNs.
 *
 * @example
 * ```ts
 * checkExecutionName('7f0c-…'); // throws InvalidName for 'has space'
 * executionArn('web-app', '7f0c'); // 'arn:aws:states:local:000000000000:execution:web-app:7f0c'
 * ```
 */
import type { CancelScope } from './cancellation.ts';
import type { StateMachineDefinition } from './definition.ts';
import { InvalidName, InvalidOutput } from './errors.ts';
import type { HistoryEvent } from './history.ts';
import type { ExecutionFacts } from './run-context.ts';

/** Execution statuses, as Step Functions names them. */
export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
/** One of {@link EXECUTION_STATUSES}. */
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** `describeExecution`'s answer (dates are ISO-8601 strings). */
export interface DescribeExecutionOutput {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
  redriveDate?: string;
  redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE';
}

/** Everything the runtime keeps about one execution. */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  definition: StateMachineDefinition;
  input: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
  redriveDate?: string;
  history: HistoryEvent[];
  /** Cancellation scope of the current run (absent when closed). */
  root?: CancelScope;
  /** Cancels the execution-level timeout timer. */
  clearTimeout?: () => void;
  waiters: ((description: DescribeExecutionOutput) => void)[];
}

/** The ARN prefix of this runtime's resources. */
export const ARN_PREFIX = 'arn:aws:states:local:000000000000';

/** The ARN of a state machine. */
export function stateMachineArn(name: string): string {
  return `${ARN_PREFIX}:stateMachine:${name}`;
}

/** The ARN of an execution. */
export function executionArn(stateMachineName: string, name: string): string {
  return `${ARN_PREFIX}:execution:${stateMachineName}:${name}`;
}

/** Splits an execution ARN into state machine name and execution name. */
export function parseExecutionArn(arn: string): { stateMachineName: string; name: string } | undefined {
  const m = /^arn:aws[\w-]*:states:[^:]*:[^:]*:execution:([^:]+):([^:]+)$/.exec(arn);
  return m ? { stateMachineName: m[1] as string, name: m[2] as string } : undefined;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what the rule forbids.
const FORBIDDEN = /[\s\u0000-\u001f\u007f-\u009f?*<>{}[\]"#%\\^|~`$&,;:/]/u;

/** Throws {@link InvalidName} unless `name` follows Step Functions' rules (1–80 chars, no forbidden characters). */
export function checkExecutionName(name: string): void {
  const length = [...name].length;
  if (length < 1 || length > 80)
    throw new InvalidName(`execution name must be 1 to 80 characters, got ${length}`);
  const bad = FORBIDDEN.exec(name);
  if (bad) {
    throw new InvalidName(
      `execution name '${name}' contains ${JSON.stringify(bad[0])}; names may not contain whitespace, control characters or ?*<>{}[]"#%\\^|~\`$&,;:/`,
    );
  }
}

/** The public description of a record. */
export function describe(record: ExecutionRecord): DescribeExecutionOutput {
  const out: DescribeExecutionOutput = {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: record.startDate,
    input: record.input,
    redriveCount: record.redriveCount,
    redriveStatus: ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(record.status)
      ? 'REDRIVABLE'
      : 'NOT_REDRIVABLE',
  };
  if (record.stopDate !== undefined) out.stopDate = record.stopDate;
  if (record.output !== undefined) out.output = record.output;
  if (record.error !== undefined) out.error = record.error;
  if (record.cause !== undefined) out.cause = record.cause;
  if (record.redriveDate !== undefined) out.redriveDate = record.redriveDate;
  return out;
}

/** The facts `$states.context` exposes for a run of a record. */
export function executionFacts(record: ExecutionRecord, input: unknown): ExecutionFacts {
  return {
    executionArn: record.executionArn,
    name: record.name,
    input,
    startTime: record.startDate,
    redriveCount: record.redriveCount,
    ...(record.redriveDate ? { redriveTime: record.redriveDate } : {}),
    stateMachineArn: record.stateMachineArn,
    stateMachineName: record.stateMachineName,
  };
}

/** Parses JSON text given to the API; throws {@link InvalidOutput} naming what it was. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InvalidOutput(`${what}: ${(e as Error).message}`);
  }
}
