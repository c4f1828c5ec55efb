/**
 * The orchestrator port on AWS Step Functions (`@aws-sdk/client-sfn`).
 *
 * @example
 * ```ts
 * const orchestrator = new SfnOrchestrator({
 *   client: new SFNClient({}),
 *   stateMachineArn: (pipeline) => arns[pipeline],
 *   pipelineOf: async (id) => (await store.findExecution(id))?.pipeline,
 * });
 * await orchestrator.startExecution({ pipeline: 'web-app', executionId: '7f0c' });
 * ```
 */
import {
  DescribeExecutionCommand,
  RedriveExecutionCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { Orchestrator, TaskSendResult } from '@pipewright/engine';
import { AwsAdapterError } from './errors.ts';

/** Options of {@link SfnOrchestrator}. */
export interface SfnOrchestratorOptions {
  client: SFNClient;
  /** The ARN of a pipeline's state machine (`arn:aws:states:<region>:<account>:stateMachine:<name>`). */
  stateMachineArn(pipeline: string): string;
  /**
   * The pipeline an execution belongs to (e.g. `DynamoEventStore.findExecution`), for stop and
   * redrive, which name only the execution; `undefined` for an unknown execution.
   */
  pipelineOf(executionId: string): Promise<string | undefined>;
}

/** SendTask* errors meaning the task is no longer waiting (or never was). */
const CLOSED_TASK_ERRORS = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);
/** Step Functions' limits on SendTaskFailure / StopExecution `error` and `cause`. */
const MAX_ERROR_CHARS = 256;
const MAX_CAUSE_CHARS = 32_768;
// Execution names: 1–80 characters; no whitespace, control characters or ?*<>{}[]"#%\^|~`$&,;:/
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
const INVALID_NAME_CHAR = /[\s\u0000-\u001f\u007f-\u009f?*<>{}[\]"#%\\^|~`$&,;:/]/u;

/**
 * {@link Orchestrator} over Step Functions. `startExecution` names the execution by its id, so
 * a second start of the same id is a no-op (`ExecutionAlreadyExists` for the same input);
 * SendTaskSuccess/Failure/Heartbeat answer `'closed'` when the task is gone (`TaskDoesNotExist`,
 * `TaskTimedOut`, `InvalidToken`); stop and redrive address the execution by the ARN built from
 * its pipeline's state machine ARN.
 *
 * @example
 * ```ts
 * const result = await orchestrator.sendTaskSuccess(token, { decision: 'ENTER' }); // 'sent' | 'closed'
 * ```
 */
export class SfnOrchestrator implements Orchestrator {
  readonly #client: SFNClient;
  readonly #machineArn: (pipeline: string) => string;
  readonly #pipelineOf: (executionId: string) => Promise<string | undefined>;

  constructor(options: SfnOrchestratorOptions) {
    this.#client = options.client;
    this.#machineArn = (pipeline) => options.stateMachineArn(pipeline);
    this.#pipelineOf = (executionId) => options.pipelineOf(executionId);
  }

  async startExecution(input: { pipeline: string; executionId: string }): Promise<void> {
    assertExecutionName(input.executionId);
    const stateMachineArn = this.#machineArn(input.pipeline);
    const payload = { pipeline: input.pipeline, executionId: input.executionId };
    try {
      await this.#client.send(
        new StartExecutionCommand({
          stateMachineArn,
          name: input.executionId,
          input: JSON.stringify(payload),
        }),
      );
    } catch (error) {
      if (!isNamed(error, 'ExecutionAlreadyExists')) throw error;
      // Step Functions answers this for a closed execution of that name, or another input.
      const executionArn = executionArnOf(stateMachineArn, input.executionId);
      const described = await this.#client.send(new DescribeExecutionCommand({ executionArn }));
      if (!sameInput(described.input, payload)) {
        throw new AwsAdapterError(
          'PW6103',
          `execution ${input.executionId} of ${input.pipeline} already exists with another input (${described.input ?? 'none'}): execution ids are unique; start it with a new id`,
          { cause: error },
        );
      }
    }
  }

  async sendTaskSuccess(taskToken: string, output: Record<string, unknown>): Promise<TaskSendResult> {
    return closedIfGone(() =>
      this.#client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
    );
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<TaskSendResult> {
    return closedIfGone(() =>
      this.#client.send(
        new SendTaskFailureCommand({
          taskToken,
          error: truncate(error, MAX_ERROR_CHARS),
          cause: truncate(cause, MAX_CAUSE_CHARS),
        }),
      ),
    );
  }

  /** Tells a waiting task it is still being worked on (resets its `HeartbeatSeconds`). */
  async sendTaskHeartbeat(taskToken: string): Promise<TaskSendResult> {
    return closedIfGone(() => this.#client.send(new SendTaskHeartbeatCommand({ taskToken })));
  }

  async stopExecution(input: { executionId: string; error?: string; cause?: string }): Promise<void> {
    const executionArn = await this.#executionArn(input.executionId);
    if (executionArn === undefined) return;
    try {
      await this.#client.send(
        new StopExecutionCommand({
          executionArn,
          ...(input.error === undefined ? {} : { error: truncate(input.error, MAX_ERROR_CHARS) }),
          ...(input.cause === undefined ? {} : { cause: truncate(input.cause, MAX_CAUSE_CHARS) }),
        }),
      );
    } catch (error) {
      // Never started (or expired): nothing runs, so nothing to stop.
      if (!isNamed(error, 'ExecutionDoesNotExist')) throw error;
    }
  }

  /**
   * Redrives a failed, timed-out or aborted execution from its unsuccessful states
   * (RedriveExecution). `clientToken` makes a repeated request start one redrive.
   *
   * @example
   * ```ts
   * await orchestrator.redrive('7f0c', { clientToken: retryEventId });
   * ```
   */
  async redrive(executionId: string, options: { clientToken?: string } = {}): Promise<void> {
    const executionArn = await this.#executionArn(executionId);
    if (executionArn === undefined) {
      throw new AwsAdapterError(
        'PW6104',
        `cannot redrive execution ${executionId}: no pipeline knows it; check the execution id`,
      );
    }
    try {
      await this.#client.send(
        new RedriveExecutionCommand({
          executionArn,
          ...(options.clientToken === undefined ? {} : { clientToken: options.clientToken }),
        }),
      );
    } catch (error) {
      if (isNamed(error, 'ExecutionNotRedrivable') || isNamed(error, 'ExecutionDoesNotExist')) {
        throw new AwsAdapterError(
          'PW6104',
          `Step Functions cannot redrive execution ${executionId} (${(error as Error).message}): only a failed, timed-out or aborted execution of the current definition, closed less than 14 days ago, can be redriven; start a new execution instead`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  async #executionArn(executionId: string): Promise<string | undefined> {
    const pipeline = await this.#pipelineOf(executionId);
    return pipeline === undefined ? undefined : executionArnOf(this.#machineArn(pipeline), executionId);
  }
}

/**
 * The ARN of an execution of a state machine: `arn:<partition>:states:<region>:<account>:execution:<machine>:<name>`
 * (a version or alias qualifier of the machine ARN is dropped).
 *
 * @example
 * ```ts
 * executionArnOf('arn:aws:states:eu-west-1:123456789012:stateMachine:web-app', '7f0c');
 * // 'arn:aws:states:eu-west-1:123456789012:execution:web-app:7f0c'
 * ```
 */
export function executionArnOf(stateMachineArn: string, executionName: string): string {
  const parts = stateMachineArn.split(':');
  const [arn, partition, service, region, account, resource, machine] = parts;
  if (
    arn !== 'arn' ||
    !partition ||
    service !== 'states' ||
    !region ||
    !account ||
    resource !== 'stateMachine' ||
    !machine ||
    parts.length > 8
  ) {
    throw new AwsAdapterError(
      'PW6102',
      `invalid state machine ARN "${stateMachineArn}": expected arn:aws:states:<region>:<account>:stateMachine:<name>; check the ARN the pipeline is wired to`,
    );
  }
  return [arn, partition, service, region, account, 'execution', machine, executionName].join(':');
}

/**
 * Throws unless `name` is a valid Step Functions execution name.
 *
 * @example
 * ```ts
 * assertExecutionName('7f0c2a9e'); // ok
 * ```
 */
export function assertExecutionName(name: string): void {
  if (name.length < 1 || name.length > 80 || INVALID_NAME_CHAR.test(name)) {
    throw new AwsAdapterError(
      'PW6101',
      `execution id "${name}" cannot name a Step Functions execution: use 1–80 characters without whitespace, control characters or ?*<>{}[]"#%\\^|~\`$&,;:/`,
    );
  }
}

async function closedIfGone(send: () => Promise<unknown>): Promise<TaskSendResult> {
  try {
    await send();
    return 'sent';
  } catch (error) {
    if (error instanceof Error && CLOSED_TASK_ERRORS.has(error.name)) return 'closed';
    throw error;
  }
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

function sameInput(
  described: string | undefined,
  payload: { pipeline: string; executionId: string },
): boolean {
  try {
    const parsed = JSON.parse(described ?? 'null') as Record<string, unknown> | null;
    return parsed?.pipeline === payload.pipeline && parsed?.executionId === payload.executionId;
  } catch {
    return false;
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
