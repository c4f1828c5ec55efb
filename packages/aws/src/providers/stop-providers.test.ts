import {
  CancelUpdateStackCommand,
  CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { CodeDeployClient, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { AbortEnvironmentUpdateCommand, ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { ActionRun } from '@pipewright/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { awsStopProviders } from './stop-providers.ts';
import { type AwsTestRun, cancelRequest, makeAwsRun } from './testing/make-run.ts';

const cfnClient = new CloudFormationClient(UNREACHABLE);
const cdClient = new CodeDeployClient(UNREACHABLE);
const ebClient = new ElasticBeanstalkClient(UNREACHABLE);
const sfnClient = new SFNClient(UNREACHABLE);
const cfn = mockedClient(cfnClient);
const codedeploy = mockedClient(cdClient);
const beanstalk = mockedClient(ebClient);
const sfn = mockedClient(sfnClient);
let made = 0;
const providers = awsStopProviders({
  cloudformation: async () => {
    made++;
    return cfnClient;
  },
  codedeploy: cdClient,
  beanstalk: ebClient,
  sfn: sfnClient,
});
let t: AwsTestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

async function runOf(
  category: 'Deploy' | 'Invoke',
  provider: string,
  configuration: Record<string, string>,
): Promise<ActionRun> {
  t = await makeAwsRun({
    action: { name: 'A', actionTypeId: { category, owner: 'AWS', provider, version: '1' }, configuration },
  });
  return t.run;
}

const find = (provider: string) => providers.find((p) => p.provider === provider);

describe('awsStopProviders', () => {
  it('stops what each kind of action started, and runs nothing', async () => {
    // Prepare
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'web', StackStatus: 'UPDATE_IN_PROGRESS', CreationTime: new Date(0) }],
    });
    cfn.on(CancelUpdateStackCommand).resolves({});
    codedeploy.on(StopDeploymentCommand).resolves({});
    beanstalk.on(AbortEnvironmentUpdateCommand).resolves({});
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date(0) });
    const stack = await runOf('Deploy', 'CloudFormation', { ActionMode: 'CREATE_UPDATE', StackName: 'web' });
    const fleet = await runOf('Deploy', 'CodeDeploy', { ApplicationName: 'a', DeploymentGroupName: 'g' });
    const env = await runOf('Deploy', 'ElasticBeanstalk', { ApplicationName: 'a', EnvironmentName: 'e' });
    const machine = await runOf('Invoke', 'StepFunctions', {
      StateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:m',
    });
    // Act
    await find('CloudFormation')?.cancel?.(cancelRequest(stack));
    await find('CodeDeploy')?.cancel?.(cancelRequest(fleet, { externalExecutionId: 'd-1' }));
    await find('CodeDeployToECS')?.cancel?.(cancelRequest(fleet, { externalExecutionId: 'd-2' }));
    await find('ElasticBeanstalk')?.cancel?.(cancelRequest(env));
    await find('StepFunctions')?.cancel?.(
      cancelRequest(machine, { externalExecutionId: 'arn:aws:states:eu-west-1:123456789012:execution:m:x' }),
    );
    const ran = await find('CodeDeploy')?.run(fleet);
    // Assess
    expect(cfn.commandCalls(CancelUpdateStackCommand)[0]?.args[0].input).toMatchObject({ StackName: 'web' });
    expect(codedeploy.commandCalls(StopDeploymentCommand).map((c) => c.args[0].input.deploymentId)).toEqual([
      'd-1',
      'd-2',
    ]);
    expect(beanstalk.commandCalls(AbortEnvironmentUpdateCommand)[0]?.args[0].input).toEqual({
      EnvironmentName: 'e',
    });
    expect(sfn.commandCalls(StopExecutionCommand)[0]?.args[0].input.executionArn).toBe(
      'arn:aws:states:eu-west-1:123456789012:execution:m:x',
    );
    expect(ran).toMatchObject({
      status: 'Failed',
      error: { type: 'SystemUnavailable', message: expect.stringContaining('runs in the action runner') },
    });
    expect(made).toBe(1);
  });
});
