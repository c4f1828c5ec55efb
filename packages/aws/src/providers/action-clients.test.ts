import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { CodeBuildClient, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { ECRClient } from '@aws-sdk/client-ecr';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { awsError, mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { ActionClients, sessionName } from './action-clients.ts';
import { type AwsProvidersOptions, awsProviders } from './aws-providers.ts';
import { makeAwsRun, TEST_BUCKET } from './testing/make-run.ts';

const stsClient = new STSClient(UNREACHABLE);
const sts = mockedClient(stsClient);
const ROLE = 'arn:aws:iam::210987654321:role/deployer';
const ASSUMED = { AccessKeyId: 'ASIAOTHER', SecretAccessKey: 's', SessionToken: 't' };
let clock = new Date('2026-12-04T10:00:00Z');
const clientConfig = { endpoint: 'http://127.0.0.1:9', credentials: UNREACHABLE.credentials };

function clients() {
  return new ActionClients({
    sts: stsClient,
    region: 'eu-west-1',
    clientConfig,
    now: () => clock,
    retry: { delayMs: () => 0 },
  });
}
const expiring = (minutes: number) => ({
  ...ASSUMED,
  Expiration: new Date(clock.getTime() + minutes * 60_000),
});

async function accessKeyOf(client: { config: { credentials: () => Promise<{ accessKeyId: string }> } }) {
  return (await client.config.credentials()).accessKeyId;
}

afterEach(() => {
  clock = new Date('2026-12-04T10:00:00Z');
});

describe('ActionClients', () => {
  it('uses the function’s own credentials and region for an action without roleArn or region', async () => {
    const { run, cleanup } = await makeAwsRun({});
    const client = await clients().client(S3Client, run);
    expect(await client.config.region()).toBe('eu-west-1');
    expect(await accessKeyOf(client as never)).toBe('test');
    expect(sts.calls()).toHaveLength(0);
    await cleanup();
  });

  it('assumes the action’s role once, in its region, until shortly before the credentials expire', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: expiring(60) });
    const { run, cleanup } = await makeAwsRun({
      action: { name: 'Deploy prod', roleArn: ROLE, region: 'us-east-1' },
    });
    const c = clients();
    const ecr = await c.client(ECRClient, run);
    expect(await ecr.config.region()).toBe('us-east-1');
    expect(await accessKeyOf(ecr as never)).toBe('ASIAOTHER');
    expect(await c.client(ECRClient, run)).toBe(ecr);
    await c.client(LambdaClient, run);
    expect(sts.calls().map((call) => call.args[0].input)).toEqual([
      { RoleArn: ROLE, RoleSessionName: 'pw-7f0c-Deploy-prod', DurationSeconds: 3600 },
    ]);
    clock = new Date(clock.getTime() + 56 * 60_000);
    await c.client(ECRClient, run);
    expect(sts.calls()).toHaveLength(2);
    // Pipewright's own buckets in the action's region keep the function's credentials.
    expect(await accessKeyOf((await c.client(S3Client, run, { role: false })) as never)).toBe('test');
    await cleanup();
  });

  it('fails with a PermissionError naming the trust policy when the role cannot be assumed', async () => {
    sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 403));
    const { run, cleanup } = await makeAwsRun({ action: { roleArn: ROLE } });
    await expect(clients().client(ECRClient, run)).rejects.toMatchObject({
      type: 'PermissionError',
      message: expect.stringContaining(`assuming role ${ROLE}`),
    });
    await cleanup();
  });

  it('names the session after the execution and the action, within STS’s rules', () => {
    expect(sessionName({ executionId: '7f0c2b1e-aaaa', action: { name: 'Deploy to prod!' } })).toBe(
      'pw-7f0c2b1e-Deploy-to-prod-',
    );
    expect(sessionName({ executionId: 'x', action: { name: 'a'.repeat(100) } })).toHaveLength(64);
  });
});

/** The named provider of awsProviders, its clients unreachable and its roles assumed through `clients()`. */
function providerOf(provider: string, cloudformation: AwsProvidersOptions['cloudformation']) {
  const options = {
    codebuild: new CodeBuildClient(UNREACHABLE),
    lambda: new LambdaClient(UNREACHABLE),
    cloudformation,
    s3: new S3Client(UNREACHABLE),
    ecr: new ECRClient(UNREACHABLE),
    runnerProject: 'pw-runner',
    artifactBucket: TEST_BUCKET,
    clients: clients(),
    site: () => ({ bucket: TEST_BUCKET }),
  };
  return awsProviders(options).find((p) => p.provider === provider);
}

describe('awsProviders with ActionClients', () => {
  const codebuild = mockClient(CodeBuildClient);
  const cloudformation = mockClient(CloudFormationClient);
  afterAll(() => {
    codebuild.restore();
    cloudformation.restore();
  });

  it('starts the build of an action naming a role with that role’s credentials, and only that one', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: expiring(60) });
    codebuild.on(StartBuildCommand).resolves({ build: { id: 'app:1' } });
    const provider = providerOf('CodeBuild', undefined as never);
    const action = {
      name: 'Compile',
      actionTypeId: {
        category: 'Build' as const,
        owner: 'AWS' as const,
        provider: 'CodeBuild',
        version: '1',
      },
      configuration: { ProjectName: 'app' },
    };
    const own = await makeAwsRun({ action, inputs: { Src: { a: 'a' } } });
    const other = await makeAwsRun({ action: { ...action, roleArn: ROLE }, inputs: { Src: { a: 'a' } } });
    expect(await provider?.run(own.run)).toMatchObject({ status: 'Waiting' });
    expect(await provider?.run(other.run)).toMatchObject({ status: 'Waiting' });
    const keys = await Promise.all(codebuild.calls().map((call) => accessKeyOf(call.thisValue as never)));
    expect(keys).toEqual(['test', 'ASIAOTHER']);
    expect(sts.calls()).toHaveLength(1);
    await own.cleanup();
    await other.cleanup();
  });

  it('deploys the CloudFormation stack of an action naming a role, in its region, with that role’s credentials', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: expiring(60) });
    cloudformation
      .on(DescribeStacksCommand)
      .rejects(
        Object.assign(awsError('ValidationError', 400), { message: 'Stack with id app does not exist' }),
      );
    cloudformation.on(CreateChangeSetCommand).resolves({ Id: 'cs-1' });
    const provider = providerOf('CloudFormation', new CloudFormationClient(UNREACHABLE));
    const action = {
      name: 'Stack',
      actionTypeId: {
        category: 'Deploy' as const,
        owner: 'AWS' as const,
        provider: 'CloudFormation',
        version: '1',
      },
      configuration: { ActionMode: 'CREATE_UPDATE', StackName: 'app', TemplatePath: 'Src::template.yaml' },
      roleArn: ROLE,
      region: 'us-east-1',
    };
    const other = await makeAwsRun({ action, inputs: { Src: { 'template.yaml': 'Resources: {}\n' } } });
    await provider?.run(other.run);
    const sent = cloudformation.calls();
    expect(sent.length).toBeGreaterThan(0);
    for (const call of sent) {
      const client = call.thisValue as CloudFormationClient;
      expect(await accessKeyOf(client as never)).toBe('ASIAOTHER');
      expect(await client.config.region()).toBe('us-east-1');
    }
    expect(sts.calls()).toHaveLength(1);
    await other.cleanup();
  });
});
