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
  type HistoryEvent,
  InvalidToken,
  type LocalStepFunctions,
  parseDefinition,
  TaskTimedOut,
} from '@pipewright/states';
import type { JournalRead } from '../event-store/state-machine-journal.ts';

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
  readonly #journal: { read(executionId: string): JournalRead } | undefined;

  /** `journal`: where the state machines' history is kept, so a restart never starts a known execution anew. */
  constructor(sfn: LocalStepFunctions, journal?: { read(executionId: string): JournalRead }) {
    this.sfn = sfn;
    this.#journal = journal;
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
    const known = this.#arns.has(input.executionId) ? undefined : this.#journal?.read(input.executionId);
    if (known?.executionArn !== undefined) {
      // Started before a restart: rebuild it from its journal (it continues only if still open).
      await this.sfn.resumeExecution({ executionArn: known.executionArn, definition, journal: known.events });
      this.#arns.set(input.executionId, known.executionArn);
      return;
    }
    const payload = JSON.stringify({ pipeline: input.pipeline, executionId: input.executionId });
    const startedHere = this.#arns.get(input.executionId);
    if (startedHere !== undefined) {
      // As SfnOrchestrator: the same execution started again — open or ended — is not run again.
      const described = await this.sfn.describeExecution({ executionArn: startedHere });
      if (described.input === payload) return;
    }
    const { executionArn } = await this.sfn.startExecution({
      definition,
      name: input.executionId,
      input: payload,
    });
    this.#arns.set(input.executionId, executionArn);
  }

  /**
   * Rebuilds an execution's state machine from its journal after a restart and continues it
   * (open tasks are dispatched again with new tokens); from then on it is this orchestrator's
   * like one it started — `startExecution` with the same id returns it, stop and wait find it.
   */
  async resumeExecution(input: {
    executionId: string;
    executionArn: string;
    definition: AslDefinition;
    journal: readonly HistoryEvent[];
  }): Promise<DescribeExecutionOutput> {
    const described = await this.sfn.resumeExecution({
      executionArn: input.executionArn,
      definition: parseDefinition(JSON.stringify(input.definition)),
      journal: input.journal,
    });
    this.#arns.set(input.executionId, input.executionArn);
    return described;
  }

  /** True when this orchestrator started or resumed the execution. */
  has(executionId: string): boolean {
    return this.#arns.has(executionId);
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
