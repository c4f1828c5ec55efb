/**
 * The orchestrator port: what the engine asks of the state machine service. AWS: Step
 * Functions through `@aws-sdk/client-sfn`; locally: the `@pipewright/states` runtime.
 *
 * @example
 * ```ts
 * await orchestrator.startExecution({ pipeline: 'web-app', executionId: '7f0c' });
 * await orchestrator.sendTaskSuccess(token, { decision: 'ENTER' });
 * ```
 */

/** Whether a task result reached its task: `closed` when the task had already ended (timed out, stopped, answered). */
export type TaskSendResult = 'sent' | 'closed';

/** The orchestrator port. Both adapters run `test/contracts/orchestrator.contract.ts`. */
export interface Orchestrator {
  /** Starts the pipeline's state machine with input `{ pipeline, executionId }`, named by the execution id. Starting the same execution twice starts it once. */
  startExecution(input: { pipeline: string; executionId: string }): Promise<void>;
  /** Completes a waiting task with its output. */
  sendTaskSuccess(taskToken: string, output: Record<string, unknown>): Promise<TaskSendResult>;
  /** Fails a waiting task; the state's Catch decides what follows. */
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<TaskSendResult>;
  /** Stops the execution's state machine (its waiting tasks close). */
  stopExecution(input: { executionId: string; error?: string; cause?: string }): Promise<void>;
}
