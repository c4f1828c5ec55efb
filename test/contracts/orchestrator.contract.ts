/**
 * The contract every `Orchestrator` adapter passes (the local `states` runtime, Step Functions
 * in AWS). Run it with `runOrchestratorContract(name, makeAdapter)`; a skipped case must say why.
 *
 * Each adapter runs the same one-state machine: a `.waitForTaskToken` Task that dispatches its
 * token with the execution's input and whose result is the execution's output. The harness
 * lets the suite see what the state machine service saw: the tasks it dispatched and how each
 * execution ended.
 */
import type { Orchestrator } from '@pipewright/engine';
import { describe, expect } from 'vitest';
import { type ContractCases, type ContractSkips, registerCases } from './contract-case.ts';

/** The one-state machine every harness runs for a pipeline (JSONata). */
export const WAITING_MACHINE = {
  QueryLanguage: 'JSONata',
  StartAt: 'Wait',
  States: {
    Wait: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Arguments: {
        FunctionName: 'dispatch',
        Payload: {
          token: '{% $states.context.Task.Token %}',
          execution: '{% $states.context.Execution.Id %}',
          input: '{% $states.input %}',
        },
      },
      Output: '{% $states.result %}',
      End: true,
    },
  },
} as const;

/** A task the state machine dispatched. */
export interface DispatchedTask {
  token: string;
  /** The execution's input as the task received it. */
  input: unknown;
}

/** How an execution stands, as DescribeExecution tells it. */
export interface ExecutionOutcome {
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  output?: unknown;
  error?: string;
  cause?: string;
}

/** An orchestrator and a view of the state machine service behind it. */
export interface OrchestratorHarness {
  orchestrator: Orchestrator;
  /** The tasks dispatched so far for an execution, oldest first (waits for the first one). */
  dispatched(executionId: string): Promise<DispatchedTask[]>;
  /** How the execution ended (waits while it still runs after a task was answered or it was stopped). */
  outcome(executionId: string): Promise<ExecutionOutcome>;
}

let n = 0;
const nextId = () => `e${Date.now().toString(36)}-${++n}`;

/** A harness with one execution of `web-app` started, and the token of the task it waits on. */
async function started(makeAdapter: () => Promise<OrchestratorHarness>) {
  const harness = await makeAdapter();
  const executionId = nextId();
  await harness.orchestrator.startExecution({ pipeline: 'web-app', executionId });
  const [task] = await harness.dispatched(executionId);
  if (!task) throw new Error(`execution ${executionId} dispatched no task`);
  return { ...harness, executionId, token: task.token };
}

/** The cases every OrchestratorHarness adapter must pass, by name (the names `skip` refers to). */
export const ORCHESTRATOR_CASES: ContractCases<OrchestratorHarness> = {
  "starts the pipeline's state machine named by the execution id, with input { pipeline, executionId }":
    async (makeAdapter) => {
      const { dispatched, executionId } = await started(makeAdapter);
      expect((await dispatched(executionId)).map((t) => t.input)).toEqual([
        { pipeline: 'web-app', executionId },
      ]);
    },
  'starts an execution once however often it is started, while open or after it ended': async (
    makeAdapter,
  ) => {
    const { orchestrator, dispatched, outcome, executionId, token } = await started(makeAdapter);
    await orchestrator.startExecution({ pipeline: 'web-app', executionId });
    expect(await dispatched(executionId)).toHaveLength(1);
    await orchestrator.sendTaskSuccess(token, { done: true });
    expect((await outcome(executionId)).status).toBe('SUCCEEDED');
    await orchestrator.startExecution({ pipeline: 'web-app', executionId });
    expect(await dispatched(executionId)).toHaveLength(1);
  },
  'completes a waiting task with its output, and the execution goes on with it': async (makeAdapter) => {
    const { orchestrator, outcome, executionId, token } = await started(makeAdapter);
    expect(await orchestrator.sendTaskSuccess(token, { decision: 'ENTER', n: 2 })).toBe('sent');
    expect(await outcome(executionId)).toEqual({
      status: 'SUCCEEDED',
      output: { decision: 'ENTER', n: 2 },
    });
  },
  'fails a waiting task with an error and a cause, and the execution fails with them': async (
    makeAdapter,
  ) => {
    const { orchestrator, outcome, executionId, token } = await started(makeAdapter);
    expect(await orchestrator.sendTaskFailure(token, 'Pipewright.ActionFailed', 'exit code 2')).toBe('sent');
    expect(await outcome(executionId)).toMatchObject({
      status: 'FAILED',
      error: 'Pipewright.ActionFailed',
      cause: 'exit code 2',
    });
  },
  'answers closed for a task already answered, and for a token it never issued': async (makeAdapter) => {
    const { orchestrator, outcome, executionId, token } = await started(makeAdapter);
    await orchestrator.sendTaskSuccess(token, { first: true });
    expect(await orchestrator.sendTaskSuccess(token, { second: true })).toBe('closed');
    expect(await orchestrator.sendTaskFailure(token, 'Late', 'too late')).toBe('closed');
    expect(await orchestrator.sendTaskSuccess('never-issued-token', {})).toBe('closed');
    expect(await outcome(executionId)).toEqual({ status: 'SUCCEEDED', output: { first: true } });
  },
  'stops an execution: it is aborted and its waiting task closes': async (makeAdapter) => {
    const { orchestrator, outcome, executionId, token } = await started(makeAdapter);
    await orchestrator.stopExecution({ executionId, error: 'Pipewright.Stopped', cause: 'stopped by ana' });
    expect(await outcome(executionId)).toMatchObject({ status: 'ABORTED' });
    expect(await orchestrator.sendTaskSuccess(token, {})).toBe('closed');
  },
  'does nothing when asked to stop an execution it never started': async (makeAdapter) => {
    const harness = await makeAdapter();
    await expect(harness.orchestrator.stopExecution({ executionId: nextId() })).resolves.toBeUndefined();
  },
  "keeps pipelines apart: each execution runs its own pipeline's state machine": async (makeAdapter) => {
    const { orchestrator, dispatched } = await makeAdapter();
    const [a, b] = [nextId(), nextId()];
    await orchestrator.startExecution({ pipeline: 'web-app', executionId: a });
    await orchestrator.startExecution({ pipeline: 'api', executionId: b });
    expect((await dispatched(a))[0]?.input).toEqual({ pipeline: 'web-app', executionId: a });
    expect((await dispatched(b))[0]?.input).toEqual({ pipeline: 'api', executionId: b });
  },
};

/**
 * Registers the Orchestrator contract for one adapter. `makeAdapter` gives a fresh harness whose
 * pipelines `web-app` and `api` run {@link WAITING_MACHINE}.
 *
 * @example
 * ```ts
 * runOrchestratorContract('states runtime', async () => localHarness());
 * ```
 */
export function runOrchestratorContract(
  name: string,
  makeAdapter: () => Promise<OrchestratorHarness>,
  skip?: ContractSkips,
): void {
  describe(`Orchestrator contract: ${name}`, () => {
    registerCases(ORCHESTRATOR_CASES, makeAdapter, skip);
  });
}
