import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  InvalidToken,
  RedriveExecutionCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { AwsAdapterError } from './errors.ts';
import { executionArnOf, SfnOrchestrator } from './sfn-orchestrator.ts';
import { mockedClient, UNREACHABLE } from './testing/mocked-client.ts';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:pipewright-prod-web-app';
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:pipewright-prod-web-app:7f0c';
const meta = { $metadata: {} };

const client = new SFNClient({ ...UNREACHABLE, region: 'eu-west-1' });
const sfn = mockedClient(client);

function orchestrator(known: Record<string, string> = { '7f0c': 'web-app' }): SfnOrchestrator {
  return new SfnOrchestrator({
    client,
    stateMachineArn: (pipeline) => (pipeline === 'web-app' ? MACHINE : `${MACHINE}-other`),
    pipelineOf: async (id) => known[id],
  });
}

// The port's behaviour (start once, task success and failure, closed tasks, stop) is
// test/contracts/orchestrator.contract.ts, run against a model of Step Functions' documented API;
// here are the exact requests and the errors of the adapter's own.
describe('SfnOrchestrator.startExecution', () => {
  it('starts the pipeline state machine named by the execution id, with { pipeline, executionId }', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date(0) });
    await orchestrator().startExecution({ pipeline: 'web-app', executionId: '7f0c' });
    expect(sfn.calls()).toHaveLength(1);
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: MACHINE,
      name: '7f0c',
      input: '{"pipeline":"web-app","executionId":"7f0c"}',
    });
  });

  it('fails clearly when the existing execution has another input', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', ...meta }));
    sfn.on(DescribeExecutionCommand).resolves({ input: '{"pipeline":"api","executionId":"7f0c"}' });
    const error = await orchestrator()
      .startExecution({ pipeline: 'web-app', executionId: '7f0c' })
      .catch((e: unknown) => e);
    expect((error as AwsAdapterError).code).toBe('PW6103');
  });

  it.each(['', 'has space', 'a/b', 'x'.repeat(81), 'semi;colon', 'tab\t'])(
    'refuses execution id %j before calling Step Functions',
    async (id) => {
      const error = await orchestrator()
        .startExecution({ pipeline: 'web-app', executionId: id })
        .catch((e: unknown) => e);
      expect((error as AwsAdapterError).code).toBe('PW6101');
      expect(sfn.calls()).toHaveLength(0);
    },
  );

  it('lets other errors through', async () => {
    sfn.on(StartExecutionCommand).rejects(new ValidationException({ message: 'bad', ...meta }));
    await expect(orchestrator().startExecution({ pipeline: 'web-app', executionId: '7f0c' })).rejects.toThrow(
      'bad',
    );
  });
});

describe('SfnOrchestrator task results', () => {
  it.each([
    ['TaskDoesNotExist', new TaskDoesNotExist({ message: 'gone', ...meta })],
    ['TaskTimedOut', new TaskTimedOut({ message: 'late', ...meta })],
    ['InvalidToken', new InvalidToken({ message: 'bad token', ...meta })],
  ])('answers closed on %s, for success, failure and heartbeat', async (_, error) => {
    sfn.on(SendTaskSuccessCommand).rejects(error);
    sfn.on(SendTaskFailureCommand).rejects(error);
    sfn.on(SendTaskHeartbeatCommand).rejects(error);
    const o = orchestrator();
    expect(await o.sendTaskSuccess('tok', {})).toBe('closed');
    expect(await o.sendTaskFailure('tok', 'E', 'c')).toBe('closed');
    expect(await o.sendTaskHeartbeat('tok')).toBe('closed');
  });

  it('lets other SendTask errors through', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new ValidationException({ message: 'output too large', ...meta }));
    await expect(orchestrator().sendTaskSuccess('tok', {})).rejects.toThrow('output too large');
  });

  it("sends SendTaskFailure with error and cause cut to Step Functions' limits", async () => {
    sfn.on(SendTaskFailureCommand).resolves({});
    expect(await orchestrator().sendTaskFailure('tok', 'E'.repeat(300), 'c'.repeat(40_000))).toBe('sent');
    const input = sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input;
    expect(input?.taskToken).toBe('tok');
    expect(input?.error).toHaveLength(256);
    expect(input?.cause).toHaveLength(32_768);
  });
});

describe('SfnOrchestrator.stopExecution', () => {
  it('stops the execution by the ARN built from its state machine ARN', async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date(0) });
    await orchestrator().stopExecution({ executionId: '7f0c', error: 'Pipewright.Stopped', cause: 'by ana' });
    expect(sfn.commandCalls(StopExecutionCommand)[0]?.args[0].input).toEqual({
      executionArn: EXECUTION,
      error: 'Pipewright.Stopped',
      cause: 'by ana',
    });
  });

  it('does nothing for an execution no pipeline knows, or one Step Functions never started', async () => {
    await orchestrator().stopExecution({ executionId: 'unknown' });
    expect(sfn.calls()).toHaveLength(0);
    sfn.on(StopExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'no', ...meta }));
    await orchestrator().stopExecution({ executionId: '7f0c' });
    expect(sfn.commandCalls(StopExecutionCommand)).toHaveLength(1);
  });
});

describe('SfnOrchestrator.redrive', () => {
  it('sends RedriveExecution for the execution ARN, with the client token', async () => {
    sfn.on(RedriveExecutionCommand).resolves({ redriveDate: new Date(0) });
    await orchestrator().redrive('7f0c', { clientToken: 'retry-1' });
    expect(sfn.commandCalls(RedriveExecutionCommand)[0]?.args[0].input).toEqual({
      executionArn: EXECUTION,
      clientToken: 'retry-1',
    });
  });

  it('says to start a new execution when Step Functions cannot redrive', async () => {
    sfn.on(RedriveExecutionCommand).rejects(new ExecutionNotRedrivable({ message: 'succeeded', ...meta }));
    const error = await orchestrator()
      .redrive('7f0c')
      .catch((e: unknown) => e);
    expect((error as AwsAdapterError).code).toBe('PW6104');
    expect((error as Error).message).toMatch(/start a new execution instead/);
    const unknown = await orchestrator()
      .redrive('nope')
      .catch((e: unknown) => e);
    expect((unknown as AwsAdapterError).code).toBe('PW6104');
  });
});

describe('executionArnOf', () => {
  it('builds the execution ARN in any partition and drops a version qualifier', () => {
    expect(executionArnOf(MACHINE, '7f0c')).toBe(EXECUTION);
    expect(executionArnOf('arn:aws-cn:states:cn-north-1:1:stateMachine:m:3', 'x')).toBe(
      'arn:aws-cn:states:cn-north-1:1:execution:m:x',
    );
  });

  it.each(['', 'arn:aws:lambda:eu-west-1:1:function:f', 'arn:aws:states:eu-west-1:1:execution:m:x'])(
    'refuses %j',
    (arn) => {
      expect(() => executionArnOf(arn, 'x')).toThrow(AwsAdapterError);
    },
  );
});
