import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import type { ActionRun } from '@pipewright/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { awsCodeDeployToEcsProvider } from './codedeploy-to-ecs.ts';
import { ECS_REVISION_TAG } from './ecs-deploy.ts';
import { type AwsTestRun, cancelRequest, makeAwsRun } from './testing/make-run.ts';

const FIXTURES = new URL('../../../../test/fixtures/providers/ecs/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web-bg:7';
const SIDECAR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/sidecar:1.4';

const cdClient = new CodeDeployClient(UNREACHABLE);
const ecsClient = new ECSClient(UNREACHABLE);
const codedeploy = mockedClient(cdClient);
const ecs = mockedClient(ecsClient);
const provider = awsCodeDeployToEcsProvider({ codedeploy: cdClient, ecs: ecsClient });
let t: AwsTestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

async function blueGreenRun(
  source: Record<string, string> = {
    'taskdef.json': fixture('taskdef.json'),
    'appspec.yaml': fixture('appspec.yaml'),
  },
): Promise<ActionRun> {
  t = await makeAwsRun({
    action: {
      name: 'BlueGreen',
      actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'CodeDeployToECS', version: '1' },
      configuration: {
        ApplicationName: 'app-ecs',
        DeploymentGroupName: 'prod-bg',
        TaskDefinitionTemplateArtifact: 'SourceOutput',
        AppSpecTemplateArtifact: 'SourceOutput',
        Image1ArtifactName: 'WebImage',
        Image1ContainerName: 'IMAGE1_NAME',
        Image2ArtifactName: 'SidecarImage',
        Image2ContainerName: 'IMAGE2_NAME',
      },
    },
    inputs: {
      SourceOutput: source,
      WebImage: { 'imageDetail.json': fixture('imageDetail.json') },
      SidecarImage: { 'imageDetail.json': JSON.stringify({ ImageURI: SIDECAR }) },
    },
  });
  return t.run;
}

function golden(name: string, actual: string): void {
  const url = new URL(name, FIXTURES);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(url, actual);
  expect(existsSync(url), `run with UPDATE_GOLDEN=1 and review ${name}`).toBe(true);
  const expected = readFileSync(url, 'utf8');
  // JSON goldens are compared as data (Biome formats them); the AppSpec byte for byte.
  if (name.endsWith('.json')) expect(JSON.parse(actual)).toEqual(JSON.parse(expected));
  else expect(actual).toBe(expected);
}

describe('awsCodeDeployToEcsProvider', () => {
  it('registers the filled task definition, then deploys the filled AppSpec with CodeDeploy', async () => {
    // Prepare
    ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: ARN } });
    codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-BG1' });
    codedeploy
      .on(GetDeploymentCommand)
      .resolves({ deploymentInfo: { deploymentId: 'd-BG1', status: 'Succeeded' } });
    const run = await blueGreenRun();
    // Act
    const first = await provider.run(run);
    const done = await provider.run({ ...run, progress: { deploymentId: 'd-BG1' } });
    // Assess
    const registered = ecs.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input;
    golden('taskdef.rendered.json', `${JSON.stringify(registered, null, 2)}\n`);
    const revision = codedeploy.commandCalls(CreateDeploymentCommand)[0]?.args[0].input;
    expect(revision).toMatchObject({
      applicationName: 'app-ecs',
      deploymentGroupName: 'prod-bg',
      revision: { revisionType: 'AppSpecContent' },
      description: 'Pipewright web-app 7f0c:Build:BlueGreen:0:1',
    });
    golden('appspec.rendered.yaml', revision?.revision?.appSpecContent?.content ?? '');
    expect(first).toMatchObject({
      status: 'InProgress',
      state: { deploymentId: 'd-BG1' },
      externalExecutionId: 'd-BG1',
    });
    expect(done).toMatchObject({ status: 'Succeeded', summary: 'deployment d-BG1 succeeded' });
  });

  it('reuses the revision it registered when its start is made again', async () => {
    ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: { taskDefinitionArn: ARN, family: 'web-bg' },
      tags: [{ key: ECS_REVISION_TAG, value: '7f0c:Build:BlueGreen:0:1' }],
    });
    codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
    codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-BG1' });
    const outcome = await provider.run({ ...(await blueGreenRun()), progress: { restart: true } });
    expect(outcome).toMatchObject({ status: 'InProgress' });
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(
      codedeploy.commandCalls(CreateDeploymentCommand)[0]?.args[0].input.revision?.appSpecContent?.content,
    ).toContain(`TaskDefinition: ${ARN}`);
  });

  it('refuses templates without their placeholders, before registering anything', async () => {
    const cases: [Record<string, string>, string][] = [
      [
        {
          'taskdef.json':
            '{"family":"web-bg","containerDefinitions":[{"name":"web","image":"<IMAGE1_NAME>"}]}',
          'appspec.yaml': fixture('appspec.yaml'),
        },
        'SourceOutput::taskdef.json has no <IMAGE2_NAME>',
      ],
      [
        { 'taskdef.json': fixture('taskdef.json'), 'appspec.yaml': 'version: 0.0\n' },
        'SourceOutput::appspec.yaml has no <TASK_DEFINITION>',
      ],
      [{ 'appspec.yaml': fixture('appspec.yaml') }, 'artifact SourceOutput has no file taskdef.json'],
    ];
    for (const [files, message] of cases) {
      expect(await provider.run(await blueGreenRun(files))).toMatchObject({
        status: 'Failed',
        error: { type: 'ConfigurationError', message: expect.stringContaining(message) },
      });
    }
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it('fails at once when access is denied, and stops the deployment on a stop', async () => {
    ecs.on(RegisterTaskDefinitionCommand).rejects(
      Object.assign(new Error('not authorized to perform: iam:PassRole'), {
        name: 'AccessDeniedException',
      }),
    );
    expect(await provider.run(await blueGreenRun())).toMatchObject({
      status: 'Failed',
      error: { type: 'PermissionError' },
    });
    codedeploy.on(StopDeploymentCommand).resolves({});
    const run = await blueGreenRun();
    await provider.cancel?.(cancelRequest(run, { externalExecutionId: 'd-BG1' }));
    expect(codedeploy.commandCalls(StopDeploymentCommand)[0]?.args[0].input).toEqual({
      deploymentId: 'd-BG1',
      autoRollbackEnabled: true,
    });
  });
});
