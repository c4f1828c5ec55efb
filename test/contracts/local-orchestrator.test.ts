import type { AslDefinition } from '@pipewright/core';
import { LocalOrchestrator } from '@pipewright/local';
import { LocalStepFunctions } from '@pipewright/states';
import { poll } from '../support/poll.ts';
import {
  type DispatchedTask,
  type ExecutionOutcome,
  type OrchestratorHarness,
  runOrchestratorContract,
  WAITING_MACHINE,
} from './orchestrator.contract.ts';

/** The local orchestrator over a fresh `states` runtime, its dispatched tasks recorded. */
async function localHarness(): Promise<OrchestratorHarness> {
  const sfn = new LocalStepFunctions();
  const orchestrator = new LocalOrchestrator(sfn);
  for (const pipeline of ['web-app', 'api']) {
    orchestrator.register(pipeline, WAITING_MACHINE as unknown as AslDefinition);
  }
  const tasks = new Map<string, (DispatchedTask & { execution: string })[]>();
  sfn.registerHandler('dispatch', (payload) => {
    const task = payload as DispatchedTask & { execution: string; input: { executionId: string } };
    tasks.set(task.input.executionId, [...(tasks.get(task.input.executionId) ?? []), task]);
    return {};
  });
  const dispatched = async (executionId: string) =>
    poll(
      () => tasks.get(executionId) ?? [],
      (list) => list.length > 0,
      { timeoutMs: 5000, intervalMs: 10 },
    );
  return {
    orchestrator,
    dispatched: async (executionId) =>
      (await dispatched(executionId)).map(({ token, input }) => ({ token, input })),
    async outcome(executionId): Promise<ExecutionOutcome> {
      const [task] = await dispatched(executionId);
      if (!task) throw new Error(`execution ${executionId} dispatched no task`);
      const ended = await sfn.waitForExecution(task.execution);
      return {
        status: ended.status,
        ...(ended.output === undefined ? {} : { output: JSON.parse(ended.output) }),
        ...(ended.error === undefined ? {} : { error: ended.error }),
        ...(ended.cause === undefined ? {} : { cause: ended.cause }),
      };
    },
  };
}

runOrchestratorContract('states runtime (LocalOrchestrator)', localHarness);
