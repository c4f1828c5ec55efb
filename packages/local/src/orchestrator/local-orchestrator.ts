/**
 * The orchestrator port on the local `@pipewright/states` runtime: each pipeline's compiled
 * definition runs in-process, and the two functions it invokes are the engine's handlers.
 *
 * @example
 * ```ts
 * const orchestrator = new LocalOrchestrator(new LocalStepFunctions());
 * orchestrator.register('web-app', compilePipeline(pipeline, { resources }));
 * orchestrator.bind(engine, resources);
 * await engine.start({ pipeline: 'web-app' });
 * ```
 */
import type { AslDefinition } from '@pipewright/core';
import type { Engine, Orchestrator, TaskSendResult } from '@pipewright/engine';
import {
  type DescribeExecutionOutput,
  InvalidToken,
  type LocalStepFunctions,
  parseDefinition,
  TaskTimedOut,
} from '@pipewright/states';

/** The two function names a compiled definition invokes. */
export interface FunctionNames {
  actionRunner: string;
  stageGate: string;
}

/** {@link Orchestrator} over a {@link LocalStepFunctions}. */
export class LocalOrchestrator implements Orchestrator {
  readonly sfn: LocalStepFunctions;
  readonly #definitions = new Map<string, ReturnType<typeof parseDefinition>>();
  readonly #arns = new Map<string, string>();

  constructor(sfn: LocalStepFunctions) {
    this.sfn = sfn;
  }

  /** Registers (or replaces) a pipeline's compiled definition. */
  register(pipeline: string, definition: AslDefinition): void {
    this.#definitions.set(pipeline, parseDefinition(JSON.stringify(definition)));
  }

  /** Makes the engine's use cases the handlers of the two functions. */
  bind(engine: Engine, names: FunctionNames): void {
    this.sfn.registerHandler(names.stageGate, (payload) => engine.handleStageGate(payload));
    this.sfn.registerHandler(names.actionRunner, (payload) => engine.handleActionRunner(payload));
  }

  async startExecution(input: { pipeline: string; executionId: string }): Promise<void> {
    const definition = this.#definitions.get(input.pipeline);
    if (definition === undefined)
      throw new Error(`no state machine registered for pipeline ${input.pipeline}`);
    const { executionArn } = await this.sfn.startExecution({
      definition,
      name: input.executionId,
      input: JSON.stringify({ pipeline: input.pipeline, executionId: input.executionId }),
    });
    this.#arns.set(input.executionId, executionArn);
  }

  async sendTaskSuccess(taskToken: string, output: Record<string, unknown>): Promise<TaskSendResult> {
    return closedIfGone(() => this.sfn.sendTaskSuccess({ taskToken, output: JSON.stringify(output) }));
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<TaskSendResult> {
    return closedIfGone(() => this.sfn.sendTaskFailure({ taskToken, error, cause }));
  }

  async stopExecution(input: { executionId: string; error?: string; cause?: string }): Promise<void> {
    const arn = this.#arns.get(input.executionId);
    if (arn === undefined) return;
    await this.sfn.stopExecution({
      executionArn: arn,
      ...(input.error === undefined ? {} : { error: input.error }),
      ...(input.cause === undefined ? {} : { cause: input.cause }),
    });
  }

  /** Resolves when the execution's state machine has ended. */
  async waitForExecution(executionId: string): Promise<DescribeExecutionOutput> {
    const arn = this.#arns.get(executionId);
    if (arn === undefined) throw new Error(`execution ${executionId} was not started here`);
    return this.sfn.waitForExecution(arn);
  }
}

async function closedIfGone(send: () => Promise<void>): Promise<TaskSendResult> {
  try {
    await send();
    return 'sent';
  } catch (e) {
    if (e instanceof TaskTimedOut || e instanceof InvalidToken) return 'closed';
    throw e;
  }
}
