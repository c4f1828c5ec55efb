import { createHash } from 'node:crypto';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  type CreateChangeSetInput,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UNREACHABLE } from '../testing/mocked-client.ts';
import { awsCloudFormationDeployProvider } from './cloudformation-deploy.ts';
import { type AwsTestRun, makeAwsRun, TEST_BUCKET } from './testing/make-run.ts';

const cfnClient = new CloudFormationClient({ ...UNREACHABLE, region: 'eu-west-1' });
const s3Client = new S3Client({ ...UNREACHABLE, region: 'eu-west-1' });
const cfn = mockClient(cfnClient);
const s3 = mockClient(s3Client);
const options = {
  cloudformation: cfnClient,
  s3: s3Client,
  artifactBucket: TEST_BUCKET,
  wait: { minDelaySeconds: 0.01, maxDelaySeconds: 0.02, maxWaitSeconds: 5 },
};
const provider = awsCloudFormationDeployProvider(options);
const TEMPLATE = 'Resources:\n  Site:\n    Type: AWS::S3::Bucket\nOutputs:\n  Url: { Value: x }\n';
const ROLE = 'arn:aws:iam::123456789012:role/cfn-deploy';

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/**
 * A small CloudFormation: stacks and change sets with the statuses the real service goes
 * through (a stack is *_IN_PROGRESS for one DescribeStacks after an execution or deletion).
 */
function fakeCloudFormation() {
  interface FakeStack {
    status: string;
    reason?: string;
    template?: string;
    parameters: string;
    outputs: Record<string, string>;
    next?: { status: string; reason?: string };
    /** How many more DescribeStacks show the current status before `next` (default 1). */
    showings?: number;
  }
  interface FakeChangeSet {
    type: string;
    template: string;
    parameters: string;
    status: string;
    reason?: string;
    execution: string;
  }
  const stacks = new Map<string, FakeStack>();
  const changeSets = new Map<string, FakeChangeSet>();
  const key = (stack: string | undefined, name: string | undefined) => `${stack}/${name}`;
  const missing = (name: string | undefined) =>
    named('ValidationError', `Stack with id ${name} does not exist`);
  cfn.on(DescribeStacksCommand).callsFake(async ({ StackName }) => {
    const stack = stacks.get(StackName);
    if (!stack || stack.status === 'DELETE_COMPLETE') throw missing(StackName);
    const shown = { ...stack };
    if (stack.next) {
      stack.showings = (stack.showings ?? 1) - 1;
      if (stack.showings <= 0) {
        Object.assign(stack, stack.next);
        stack.next = undefined;
        stack.showings = undefined;
      }
    }
    return {
      Stacks: [
        {
          StackName,
          StackId: `arn:aws:cloudformation:eu-west-1:123456789012:stack/${StackName}/1`,
          StackStatus: shown.status,
          ...(shown.reason ? { StackStatusReason: shown.reason } : {}),
          CreationTime: new Date(0),
          Outputs: Object.entries(shown.outputs).map(([OutputKey, OutputValue]) => ({
            OutputKey,
            OutputValue,
          })),
        },
      ],
    };
  });
  cfn.on(CreateChangeSetCommand).callsFake(async (input: CreateChangeSetInput) => {
    const id = key(input.StackName, input.ChangeSetName);
    if (changeSets.has(id))
      throw named('AlreadyExistsException', `ChangeSet ${input.ChangeSetName} already exists`);
    const stack = stacks.get(input.StackName ?? '');
    const live = stack && stack.status !== 'DELETE_COMPLETE' && stack.status !== 'REVIEW_IN_PROGRESS';
    if (input.ChangeSetType === 'CREATE' && live)
      throw named('ValidationError', `Stack [${input.StackName}] already exists`);
    if (input.ChangeSetType === 'UPDATE' && !live) throw missing(input.StackName);
    if (!live)
      stacks.set(input.StackName ?? '', { status: 'REVIEW_IN_PROGRESS', parameters: '', outputs: {} });
    const template = input.TemplateBody ?? input.TemplateURL ?? '';
    const parameters = JSON.stringify(input.Parameters ?? []);
    const same = live && stack.template === template && stack.parameters === parameters;
    changeSets.set(id, {
      type: input.ChangeSetType ?? 'UPDATE',
      template,
      parameters,
      status: same ? 'FAILED' : 'CREATE_COMPLETE',
      ...(same
        ? {
            reason:
              "The submitted information didn't contain changes. Submit different information to create a change set.",
          }
        : {}),
      execution: same ? 'UNAVAILABLE' : 'AVAILABLE',
    });
    return { Id: `arn:changeSet/${input.ChangeSetName}` };
  });
  cfn.on(DescribeChangeSetCommand).callsFake(async ({ StackName, ChangeSetName }) => {
    const changeSet = changeSets.get(key(StackName, ChangeSetName));
    if (!changeSet) throw named('ChangeSetNotFoundException', `ChangeSet [${ChangeSetName}] does not exist`);
    return {
      ChangeSetName,
      StackName,
      Status: changeSet.status,
      ...(changeSet.reason ? { StatusReason: changeSet.reason } : {}),
      ExecutionStatus: changeSet.execution,
      Changes: changeSet.status === 'CREATE_COMPLETE' ? [{ Type: 'Resource' }, { Type: 'Resource' }] : [],
    };
  });
  cfn.on(DeleteChangeSetCommand).callsFake(async ({ StackName, ChangeSetName }) => {
    if (!changeSets.delete(key(StackName, ChangeSetName))) {
      throw named('ChangeSetNotFoundException', `ChangeSet [${ChangeSetName}] does not exist`);
    }
    return {};
  });
  cfn.on(ExecuteChangeSetCommand).callsFake(async ({ StackName, ChangeSetName }) => {
    const changeSet = changeSets.get(key(StackName, ChangeSetName));
    const stack = stacks.get(StackName ?? '');
    if (!changeSet || !stack || changeSet.execution !== 'AVAILABLE') {
      throw named('InvalidChangeSetStatusException', 'ChangeSet cannot be executed in its current status');
    }
    const create = changeSet.type === 'CREATE';
    const broken = changeSet.template.includes('BROKEN');
    stack.status = create ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS';
    stack.next = broken
      ? {
          status: create ? 'ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE',
          reason: 'The following resource(s) failed to create: [Site].',
        }
      : { status: create ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE' };
    if (!broken) {
      stack.template = changeSet.template;
      stack.parameters = changeSet.parameters;
      const parameters = JSON.parse(changeSet.parameters) as {
        ParameterKey: string;
        ParameterValue: string;
      }[];
      stack.outputs = {
        Url: `https://${StackName}.example.com`,
        Env: parameters.find((p) => p.ParameterKey === 'Env')?.ParameterValue ?? '',
      };
    }
    for (const id of [...changeSets.keys()]) if (id.startsWith(`${StackName}/`)) changeSets.delete(id);
    return {};
  });
  cfn.on(DeleteStackCommand).callsFake(async ({ StackName }) => {
    const stack = stacks.get(StackName ?? '');
    if (stack) {
      stack.status = 'DELETE_IN_PROGRESS';
      stack.next = { status: 'DELETE_COMPLETE' };
    }
    return {};
  });
  cfn.on(DescribeStackEventsCommand).resolves({
    StackEvents: [
      {
        LogicalResourceId: 'web',
        ResourceStatus: 'ROLLBACK_COMPLETE',
        StackId: 's',
        StackName: 'web',
        EventId: '4',
        Timestamp: new Date(4),
      },
      {
        LogicalResourceId: 'Site',
        ResourceStatus: 'CREATE_FAILED',
        ResourceStatusReason: 'Bucket name already taken',
        StackId: 's',
        StackName: 'web',
        EventId: '3',
        Timestamp: new Date(3),
      },
      {
        LogicalResourceId: 'web',
        ResourceStatus: 'CREATE_IN_PROGRESS',
        ResourceStatusReason: 'User Initiated',
        StackId: 's',
        StackName: 'web',
        EventId: '2',
        Timestamp: new Date(2),
      },
      {
        LogicalResourceId: 'Old',
        ResourceStatus: 'CREATE_FAILED',
        ResourceStatusReason: 'an older failure',
        StackId: 's',
        StackName: 'web',
        EventId: '1',
        Timestamp: new Date(1),
      },
    ],
  });
  return { stacks, changeSets };
}

let t: AwsTestRun | undefined;
let fake: ReturnType<typeof fakeCloudFormation>;
beforeEach(() => {
  fake = fakeCloudFormation();
});
afterEach(async () => {
  cfn.reset();
  s3.reset();
  await t?.cleanup();
  t = undefined;
});
afterAll(() => {
  cfn.restore();
  s3.restore();
  cfnClient.destroy();
  s3Client.destroy();
});

async function deployRun(
  configuration: Record<string, string>,
  files: Record<string, string> = { 'template.yaml': TEMPLATE },
  attempt = 1,
) {
  await t?.cleanup();
  t = await makeAwsRun({
    action: {
      name: 'Deploy',
      actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'CloudFormation', version: '1' },
      configuration,
    },
    inputs: { Build: files },
  });
  t.run.stage = 'Prod';
  t.run.attempt = attempt;
  t.run.actionExecutionId = `7f0c:Prod:Deploy:0:${attempt}`;
  return t.run;
}

const hash = (attempt = 1) =>
  createHash('sha256').update(`7f0c:Prod:Deploy:0:${attempt}`).digest('hex').slice(0, 32);
const names = () =>
  cfn
    .calls()
    .map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''));

describe('awsCloudFormationDeployProvider', () => {
  it('CREATE_UPDATE creates a new stack through a change set and exports its outputs', async () => {
    const run = await deployRun(
      {
        ActionMode: 'CREATE_UPDATE',
        StackName: 'web',
        TemplatePath: 'Build::template.yaml',
        TemplateConfiguration: 'Build::config.json',
        ParameterOverrides: '{"Env":"prod","Replicas":3}',
        Capabilities: 'CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND',
        RoleArn: ROLE,
        OutputFileName: 'outputs.json',
      },
      {
        'template.yaml': TEMPLATE,
        'config.json': '{"Parameters":{"Env":"dev","Size":"small"},"Tags":{"team":"web"}}',
      },
    );
    run.action.outputArtifacts = [{ name: 'StackOutputs' }];
    const outcome = await provider.run(run);
    expect(outcome).toEqual({
      status: 'Succeeded',
      outputArtifacts: [
        {
          name: 'StackOutputs',
          uri: 's3://pw-artifacts/stored/StackOutputs.zip',
          sha256: 'f'.repeat(64),
          size: expect.any(Number),
          files: 1,
        },
      ],
      outputVariables: { Url: 'https://web.example.com', Env: 'prod' },
      summary: 'stack web is CREATE_COMPLETE',
      externalExecutionId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/web/1',
    });
    expect(JSON.parse(t?.stored.get('StackOutputs')?.['outputs.json'] ?? '')).toEqual({
      Url: 'https://web.example.com',
      Env: 'prod',
    });
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input).toEqual({
      StackName: 'web',
      ChangeSetName: `pipewright-${hash().slice(0, 24)}`,
      ChangeSetType: 'CREATE',
      ClientToken: `pw-create-${hash()}`,
      TemplateBody: TEMPLATE,
      Parameters: [
        { ParameterKey: 'Env', ParameterValue: 'prod' },
        { ParameterKey: 'Size', ParameterValue: 'small' },
        { ParameterKey: 'Replicas', ParameterValue: '3' },
      ],
      Tags: [{ Key: 'team', Value: 'web' }],
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'],
      RoleARN: ROLE,
      Description: 'Pipewright web-app 7f0c Prod/Deploy',
    });
    expect(cfn.commandCalls(ExecuteChangeSetCommand).map((c) => c.args[0].input)).toEqual([
      {
        StackName: 'web',
        ChangeSetName: `pipewright-${hash().slice(0, 24)}`,
        ClientRequestToken: `pw-execute-${hash()}`,
      },
    ]);
  });

  it('executes nothing again when the same attempt is delivered twice', async () => {
    const run = await deployRun({
      ActionMode: 'CREATE_UPDATE',
      StackName: 'web',
      TemplatePath: 'Build::template.yaml',
    });
    expect(await provider.run(run)).toMatchObject({
      status: 'Succeeded',
      summary: 'stack web is CREATE_COMPLETE',
    });
    expect(await provider.run(run)).toMatchObject({
      status: 'Succeeded',
      summary: 'stack web is up to date: no changes',
      outputVariables: { Url: 'https://web.example.com' },
    });
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
    expect(fake.changeSets.size).toBe(0);
  });

  it('waits for an operation in progress (a duplicate delivery still executing) and then finds nothing to do', async () => {
    const run = await deployRun({
      ActionMode: 'CREATE_UPDATE',
      StackName: 'web',
      TemplatePath: 'Build::template.yaml',
    });
    await provider.run(run);
    const stack = fake.stacks.get('web');
    if (stack)
      Object.assign(stack, {
        status: 'UPDATE_IN_PROGRESS',
        next: { status: 'UPDATE_COMPLETE' },
        showings: 4,
      });
    expect(await provider.run(run)).toMatchObject({
      status: 'Succeeded',
      summary: 'stack web is up to date: no changes',
    });
    expect(t?.lines.map((l) => l.text).join('')).toContain(
      'stack web is UPDATE_IN_PROGRESS; waiting for it to finish',
    );
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
  });

  it('CHANGE_SET_REPLACE prepares an UPDATE change set and CHANGE_SET_EXECUTE runs it', async () => {
    const create = await deployRun({
      ActionMode: 'CREATE_UPDATE',
      StackName: 'web',
      TemplatePath: 'Build::template.yaml',
    });
    await provider.run(create);
    const replace = await deployRun({
      ActionMode: 'CHANGE_SET_REPLACE',
      StackName: 'web',
      ChangeSetName: 'web-release',
      TemplatePath: 'Build::template.yaml',
      ParameterOverrides: '{"Env":"staging"}',
    });
    expect(await provider.run(replace)).toMatchObject({
      status: 'Succeeded',
      summary: 'change set web-release of stack web is ready with 2 change(s)',
    });
    expect(cfn.commandCalls(CreateChangeSetCommand)[1]?.args[0].input).toMatchObject({
      ChangeSetName: 'web-release',
      ChangeSetType: 'UPDATE',
      Parameters: [{ ParameterKey: 'Env', ParameterValue: 'staging' }],
    });
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
    const execute = await deployRun(
      { ActionMode: 'CHANGE_SET_EXECUTE', StackName: 'web', ChangeSetName: 'web-release' },
      {},
      2,
    );
    expect(await provider.run(execute)).toMatchObject({
      status: 'Succeeded',
      summary: 'stack web is UPDATE_COMPLETE',
      outputVariables: { Url: 'https://web.example.com', Env: 'staging' },
    });
    expect(cfn.commandCalls(ExecuteChangeSetCommand)[1]?.args[0].input).toEqual({
      StackName: 'web',
      ChangeSetName: 'web-release',
      ClientRequestToken: `pw-execute-${hash(2)}`,
    });
  });

  it('succeeds without executing when the change set has no changes', async () => {
    await provider.run(
      await deployRun({
        ActionMode: 'CREATE_UPDATE',
        StackName: 'web',
        TemplatePath: 'Build::template.yaml',
      }),
    );
    const config = { StackName: 'web', ChangeSetName: 'noop', TemplatePath: 'Build::template.yaml' };
    expect(
      await provider.run(await deployRun({ ActionMode: 'CHANGE_SET_REPLACE', ...config })),
    ).toMatchObject({
      status: 'Succeeded',
      summary: 'change set noop of stack web has no changes',
    });
    expect(
      await provider.run(await deployRun({ ActionMode: 'CHANGE_SET_EXECUTE', ...config })),
    ).toMatchObject({
      status: 'Succeeded',
      summary: 'change set noop of stack web has no changes; nothing executed',
    });
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
  });

  it('fails CHANGE_SET_EXECUTE clearly when the change set does not exist', async () => {
    const run = await deployRun({
      ActionMode: 'CHANGE_SET_EXECUTE',
      StackName: 'web',
      ChangeSetName: 'missing',
    });
    expect(await provider.run(run)).toEqual({
      status: 'Failed',
      error: {
        type: 'ConfigurationError',
        message:
          'stack web has no change set missing; create it with a CHANGE_SET_REPLACE action before this one',
      },
    });
  });

  it('fails a stack that rolls back with the failing resources of the latest operation', async () => {
    const run = await deployRun(
      { ActionMode: 'CREATE_UPDATE', StackName: 'web', TemplatePath: 'Build::template.yaml' },
      { 'template.yaml': `${TEMPLATE}# BROKEN\n` },
    );
    expect(await provider.run(run)).toEqual({
      status: 'Failed',
      error: {
        type: 'JobFailed',
        message:
          'stack web is ROLLBACK_COMPLETE (The following resource(s) failed to create: [Site].)\nSite CREATE_FAILED: Bucket name already taken',
      },
    });
  });

  it('CREATE_UPDATE deletes a ROLLBACK_COMPLETE stack before creating it again', async () => {
    fake.stacks.set('web', { status: 'ROLLBACK_COMPLETE', parameters: '', outputs: {} });
    const run = await deployRun({
      ActionMode: 'CREATE_UPDATE',
      StackName: 'web',
      TemplatePath: 'Build::template.yaml',
      RoleArn: ROLE,
    });
    expect(await provider.run(run)).toMatchObject({
      status: 'Succeeded',
      summary: 'stack web is CREATE_COMPLETE',
    });
    expect(cfn.commandCalls(DeleteStackCommand)[0]?.args[0].input).toEqual({
      StackName: 'web',
      ClientRequestToken: `pw-delete-${hash()}`,
      RoleARN: ROLE,
    });
    expect(names().indexOf('DeleteStack')).toBeLessThan(names().indexOf('CreateChangeSet'));
  });

  it('DELETE_ONLY deletes the stack, and succeeds when there is none', async () => {
    await provider.run(
      await deployRun({
        ActionMode: 'CREATE_UPDATE',
        StackName: 'web',
        TemplatePath: 'Build::template.yaml',
      }),
    );
    const run = await deployRun({ ActionMode: 'DELETE_ONLY', StackName: 'web' }, {}, 2);
    expect(await provider.run(run)).toEqual({
      status: 'Succeeded',
      outputArtifacts: [],
      outputVariables: {},
      summary: 'stack web deleted',
    });
    expect(await provider.run(run)).toMatchObject({
      status: 'Succeeded',
      summary: 'stack web does not exist; nothing to delete',
    });
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(1);
  });

  it('uploads a template over 51,200 bytes to the artifact bucket and passes its URL', async () => {
    s3.on(PutObjectCommand).resolves({});
    const big = `${TEMPLATE}${'# padding\n'.repeat(6000)}`;
    const run = await deployRun(
      {
        ActionMode: 'CHANGE_SET_REPLACE',
        StackName: 'web',
        ChangeSetName: 'big',
        TemplatePath: 'Build::cfn/big.yaml',
      },
      { 'cfn/big.yaml': big },
    );
    expect(await provider.run(run)).toMatchObject({ status: 'Succeeded' });
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: TEST_BUCKET,
      Key: 'artifacts/7f0c/7f0c:Prod:Deploy:0:1/templates/big.yaml',
      Body: big,
    });
    const input = cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input;
    expect(input?.TemplateURL).toBe(
      `https://${TEST_BUCKET}.s3.eu-west-1.amazonaws.com/artifacts/7f0c/7f0c%3AProd%3ADeploy%3A0%3A1/templates/big.yaml`,
    );
    expect(input).not.toHaveProperty('TemplateBody');
  });

  it('refuses bad template references and parameters before calling CloudFormation', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ TemplatePath: 'template.yaml' }, 'must be "ArtifactName::path/in/artifact"'],
      [{ TemplatePath: 'Other::template.yaml' }, 'not an input of the action (inputs: Build)'],
      [{ TemplatePath: 'Build::../../etc/passwd' }, 'points outside artifact Build'],
      [{ TemplatePath: 'Build::nope.yaml' }, 'artifact Build has no file nope.yaml'],
      [
        { TemplatePath: 'Build::template.yaml', ParameterOverrides: '{"A":{"Fn::GetParam":["x"]}}' },
        'Fn::GetParam',
      ],
      [{}, 'configuration.TemplatePath: is required when ActionMode is CREATE_UPDATE'],
    ];
    for (const [extra, message] of cases) {
      const run = await deployRun({ ActionMode: 'CREATE_UPDATE', StackName: 'web', ...extra });
      expect(await provider.run(run)).toMatchObject({
        status: 'Failed',
        error: { type: 'ConfigurationError', message: expect.stringContaining(message) },
      });
    }
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });
});
