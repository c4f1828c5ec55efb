import {
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { ActionRun } from '@pipewright/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { awsStepFunctionsInvokeProvider, executionName } from './step-functions-invoke.ts';
import { type AwsTestRun, cancelRequest, makeAwsRun } from './testing/make-run.ts';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:db-migrate';
const client = new SFNClient(UNREACHABLE);
const sfn = mockedClient(client);
const provider = awsStepFunctionsInvokeProvider({ sfn: client });
let t: AwsTestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

async function invokeRun(
  configuration: Record<string, string>,
  files?: Record<string, string>,
): Promise<ActionRun> {
  t = await makeAwsRun({
    action: {
      name: 'Migrate',
      actionTypeId: { category: 'Invoke', owner: 'AWS', provider: 'StepFunctions', version: '1' },
      configuration: { StateMachineArn: MACHINE, ...configuration },
      outputArtifacts: [{ name: 'MigrateOutput' }],
    },
    ...(files === undefined ? {} : { inputs: { Build: files } }),
  });
  return t.run;
}

const NAME = executionName('release', '7f0c:Build:Migrate:0:1');
const EXECUTION = `arn:aws:states:eu-west-1:123456789012:execution:db-migrate:${NAME}`;

describe('awsStepFunctionsInvokeProvider', () => {
  it('starts one execution named after the attempt, polls it, and gives its output and ARNs', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date(0) });
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({
        executionArn: EXECUTION,
        stateMachineArn: MACHINE,
        name: NAME,
        status: 'RUNNING',
        startDate: new Date(0),
      })
      .resolves({
        executionArn: EXECUTION,
        stateMachineArn: MACHINE,
        name: NAME,
        status: 'SUCCEEDED',
        output: '{"migrated":12}',
        startDate: new Date(0),
      });
    const run = await invokeRun({ ExecutionNamePrefix: 'release', Input: '{"commit":"4f2a"}' });
    // Act
    const first = await provider.run(run);
    const running =
      first.status === 'InProgress' ? await provider.run({ ...run, progress: first.state }) : first;
    const done =
      running.status === 'InProgress' ? await provider.run({ ...run, progress: running.state }) : running;
    // Assess
    expect(NAME).toMatch(/^release-[0-9a-f]{20}$/);
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { stateMachineArn: MACHINE, name: NAME, input: '{"commit":"4f2a"}' },
    ]);
    expect(first).toEqual({
      status: 'InProgress',
      state: { executionArn: EXECUTION },
      pollAfterSeconds: 10,
      summary: `execution ${NAME} of ${MACHINE} started`,
      externalExecutionId: EXECUTION,
    });
    expect(running).toMatchObject({ status: 'InProgress', state: { executionArn: EXECUTION } });
    expect(done).toMatchObject({
      status: 'Succeeded',
      outputVariables: { StateMachineArn: MACHINE, ExecutionArn: EXECUTION },
      outputArtifacts: [{ name: 'MigrateOutput' }],
    });
    expect(t?.stored.get('MigrateOutput')).toEqual({ 'output.json': '{"migrated":12}' });
  });

  it('reads the input from the input artifact with InputType FilePath, and refuses input that is not JSON', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date(0) });
    const fromFile = await invokeRun(
      { InputType: 'FilePath', Input: 'migrate/input.json' },
      { 'migrate/input.json': '{"a":1}' },
    );
    expect(await provider.run(fromFile)).toMatchObject({ status: 'InProgress' });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input).toBe('{"a":1}');
    expect(await provider.run(await invokeRun({ Input: 'not json' }))).toMatchObject({
      status: 'Failed',
      error: { type: 'ConfigurationError', message: expect.stringContaining('not JSON') },
    });
    expect(
      await provider.run(await invokeRun({ InputType: 'FilePath', Input: '../x.json' }, { 'a.json': '{}' })),
    ).toMatchObject({
      status: 'Failed',
      error: {
        type: 'ConfigurationError',
        message: expect.stringContaining('points outside artifact Build'),
      },
    });
  });

  it('polls the same execution when its start is made again (ExecutionAlreadyExists): nothing runs twice', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(Object.assign(new Error('Execution Already Exists'), { name: 'ExecutionAlreadyExists' }));
    const outcome = await provider.run({
      ...(await invokeRun({ ExecutionNamePrefix: 'release' })),
      progress: { restart: true },
    });
    expect(outcome).toMatchObject({ status: 'InProgress', state: { executionArn: EXECUTION } });
  });

  it('fails with the error and cause of a failed, timed out or aborted execution', async () => {
    const run = await invokeRun({ ExecutionNamePrefix: 'release' });
    for (const status of ['FAILED', 'TIMED_OUT', 'ABORTED'] as const) {
      sfn.on(DescribeExecutionCommand).resolves({
        executionArn: EXECUTION,
        stateMachineArn: MACHINE,
        status,
        error: 'States.TaskFailed',
        cause: 'migration 12 failed',
        startDate: new Date(0),
      });
      expect(await provider.run({ ...run, progress: { executionArn: EXECUTION } })).toEqual({
        status: 'Failed',
        error: {
          type: 'JobFailed',
          message: `execution ${EXECUTION} ${status}: States.TaskFailed (migration 12 failed)`,
        },
        externalExecutionId: EXECUTION,
      });
    }
  });

  it('polls again when throttled, and fails at once when access is denied', async () => {
    const run = await invokeRun({ ExecutionNamePrefix: 'release' });
    sfn
      .on(DescribeExecutionCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    expect(await provider.run({ ...run, progress: { executionArn: EXECUTION } })).toEqual({
      status: 'InProgress',
      state: { executionArn: EXECUTION, transient: 1 },
      pollAfterSeconds: 30,
    });
    sfn.on(StartExecutionCommand).rejects(
      Object.assign(new Error('not authorized to perform: states:StartExecution'), {
        name: 'AccessDeniedException',
      }),
    );
    expect(await provider.run(run)).toMatchObject({ status: 'Failed', error: { type: 'PermissionError' } });
  });

  it('stops the execution when the pipeline execution is stopped', async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date(0) });
    const run = await invokeRun({ ExecutionNamePrefix: 'release' });
    await provider.cancel?.(cancelRequest(run, { reason: 'stopped by alice' }));
    expect(sfn.commandCalls(StopExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { executionArn: EXECUTION, error: 'Pipewright.Stopped', cause: 'stopped by alice' },
    ]);
  });
});
