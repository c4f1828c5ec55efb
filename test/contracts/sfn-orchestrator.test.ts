/**
 * The Orchestrator contract on `SfnOrchestrator`, against Step Functions as AWS documents its
 * API (no emulator of Step Functions runs here: aws-sdk-client-mock answers the client from a
 * small model of the service). The model follows the documented semantics the adapter relies
 * on: StartExecution with the name and input of an open execution returns it again, any other
 * reuse of a name is `ExecutionAlreadyExists`; a `.waitForTaskToken` task closes when answered,
 * stopped or ended, after which SendTask* answers `TaskTimedOut`, and a token never issued
 * `InvalidToken`; StopExecution aborts (`ABORTED`, with error and cause) and an unknown ARN is
 * `ExecutionDoesNotExist`.
 */
import { randomUUID } from 'node:crypto';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { executionArnOf, SfnOrchestrator } from '@pipewright/aws';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterAll } from 'vitest';
import { UNREACHABLE } from '../../packages/aws/src/testing/mocked-client.ts';
import {
  type DispatchedTask,
  type ExecutionOutcome,
  type OrchestratorHarness,
  runOrchestratorContract,
} from './orchestrator.contract.ts';

const machineArn = (pipeline: string) =>
  `arn:aws:states:eu-west-1:123456789012:stateMachine:pipewright-test-${pipeline}`;
const meta = { $metadata: { httpStatusCode: 400 } };

interface ModelExecution extends ExecutionOutcome {
  name: string;
  input: string;
  tasks: DispatchedTask[];
}

const stubs: AwsClientStub<SFNClient>[] = [];
afterAll(() => {
  for (const stub of stubs) stub.restore();
});

/**
 * Answers the mocked client as Step Functions would, running WAITING_MACHINE for `web-app` and
 * `api`; returns the executions it holds, by ARN.
 */
function modelStepFunctions(sfn: AwsClientStub<SFNClient>): Map<string, ModelExecution> {
  const machines = new Set(['web-app', 'api'].map(machineArn));
  const executions = new Map<string, ModelExecution>();
  const tokens = new Map<string, { executionArn: string; open: boolean }>();
  const execution = (executionArn: string) => {
    const found = executions.get(executionArn);
    if (!found)
      throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${executionArn}'`, ...meta });
    return found;
  };
  const openTask = (taskToken: string) => {
    const task = tokens.get(taskToken);
    if (!task) throw new InvalidToken({ message: 'Invalid token', ...meta });
    if (!task.open) throw new TaskTimedOut({ message: 'Task Timed Out', ...meta });
    task.open = false;
    return execution(task.executionArn);
  };
  sfn.on(StartExecutionCommand).callsFake(({ stateMachineArn, name, input = '{}' }) => {
    if (!machines.has(stateMachineArn))
      throw new StateMachineDoesNotExist({ message: stateMachineArn, ...meta });
    const executionArn = executionArnOf(stateMachineArn, name);
    const existing = executions.get(executionArn);
    if (existing?.status === 'RUNNING' && existing.input === input)
      return { executionArn, startDate: new Date() };
    if (existing)
      throw new ExecutionAlreadyExists({ message: `Execution Already Exists: '${executionArn}'`, ...meta });
    // The machine's one state dispatches its task token with the execution's input.
    const token = `${randomUUID()}${randomUUID()}`;
    tokens.set(token, { executionArn, open: true });
    executions.set(executionArn, {
      name,
      input,
      status: 'RUNNING',
      tasks: [{ token, input: JSON.parse(input) }],
    });
    return { executionArn, startDate: new Date() };
  });
  sfn.on(DescribeExecutionCommand).callsFake(({ executionArn }) => {
    const { status, input, output, error, cause } = execution(executionArn);
    return {
      executionArn,
      status,
      input,
      output: output === undefined ? undefined : JSON.stringify(output),
      error,
      cause,
    };
  });
  sfn.on(SendTaskSuccessCommand).callsFake(({ taskToken, output }) => {
    Object.assign(openTask(taskToken), { status: 'SUCCEEDED', output: JSON.parse(output) });
    return {};
  });
  sfn.on(SendTaskFailureCommand).callsFake(({ taskToken, error, cause }) => {
    Object.assign(openTask(taskToken), { status: 'FAILED', error, cause });
    return {};
  });
  sfn.on(StopExecutionCommand).callsFake(({ executionArn, error, cause }) => {
    const stopped = execution(executionArn);
    if (stopped.status === 'RUNNING') Object.assign(stopped, { status: 'ABORTED', error, cause });
    for (const task of tokens.values()) if (task.executionArn === executionArn) task.open = false;
    return { stopDate: new Date() };
  });
  return executions;
}

/** SfnOrchestrator over a mocked client answered by the model. */
async function stepFunctionsHarness(): Promise<OrchestratorHarness> {
  const client = new SFNClient({ ...UNREACHABLE, region: 'eu-west-1' });
  const sfn = mockClient(client);
  stubs.push(sfn);
  const executions = modelStepFunctions(sfn);
  const byId = (executionId: string) => [...executions.values()].find((e) => e.name === executionId);
  const orchestrator = new SfnOrchestrator({
    client,
    stateMachineArn: machineArn,
    pipelineOf: async (executionId) => {
      const found = byId(executionId);
      return found && (JSON.parse(found.input) as { pipeline: string }).pipeline;
    },
  });
  return {
    orchestrator,
    dispatched: async (executionId) => byId(executionId)?.tasks ?? [],
    async outcome(executionId) {
      const found = byId(executionId);
      if (!found) throw new Error(`execution ${executionId} was never started`);
      const { status, output, error, cause } = found;
      return {
        status,
        ...(output === undefined ? {} : { output }),
        ...(error === undefined ? {} : { error }),
        ...(cause === undefined ? {} : { cause }),
      };
    },
  };
}

runOrchestratorContract('Step Functions (SfnOrchestrator, documented API mocked)', stepFunctionsHarness);
