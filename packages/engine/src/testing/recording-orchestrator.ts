/**
 * An orchestrator that records what the engine asks of it, for unit tests: executions started
 * and stopped, and every task answer by token. A test closes a token (a timed-out or stopped
 * task: the answer returns `closed`, as Step Functions' `TaskTimedOut`) or makes the port fail.
 *
 * @example
 * ```ts
 * const orchestrator = new RecordingOrchestrator();
 * orchestrator.close('token-1');
 * await orchestrator.sendTaskSuccess('token-1', {}); // 'closed'
 * orchestrator.answers; // [{ token: 'token-1', kind: 'success', output: {}, result: 'closed' }]
 * ```
 */
import type { Orchestrator, TaskSendResult } from '../ports/orchestrator.ts';

/** One task answer the engine sent. */
export type RecordedAnswer =
  | { token: string; kind: 'success'; output: Record<string, unknown>; result: TaskSendResult }
  | { token: string; kind: 'failure'; error: string; cause: string; result: TaskSendResult };

/** The recording orchestrator. */
export class RecordingOrchestrator implements Orchestrator {
  readonly started: { pipeline: string; executionId: string }[] = [];
  readonly stopped: { executionId: string; error?: string; cause?: string }[] = [];
  readonly answers: RecordedAnswer[] = [];
  readonly #closed = new Set<string>();
  /** Set to make every call fail with it (an unreachable service). */
  failWith: Error | undefined;

  /** Marks a task as closed: answering it returns `closed`. */
  close(token: string): void {
    this.#closed.add(token);
  }

  async startExecution(input: { pipeline: string; executionId: string }): Promise<void> {
    this.#check();
    if (!this.started.some((s) => s.executionId === input.executionId)) this.started.push(input);
  }

  async sendTaskSuccess(token: string, output: Record<string, unknown>): Promise<TaskSendResult> {
    this.#check();
    const result = this.#answer(token);
    this.answers.push({ token, kind: 'success', output, result });
    return result;
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<TaskSendResult> {
    this.#check();
    const result = this.#answer(token);
    this.answers.push({ token, kind: 'failure', error, cause, result });
    return result;
  }

  async stopExecution(input: { executionId: string; error?: string; cause?: string }): Promise<void> {
    this.#check();
    this.stopped.push(input);
  }

  #answer(token: string): TaskSendResult {
    if (this.#closed.has(token)) return 'closed';
    this.#closed.add(token); // a task is answered once
    return 'sent';
  }

  #check(): void {
    if (this.failWith !== undefined) throw this.failWith;
  }
}
