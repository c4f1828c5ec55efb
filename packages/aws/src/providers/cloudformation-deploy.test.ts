import {
  CreateChangeSetCommand,
  DeleteStackCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { cloudFormationHarness, ROLE, TEMPLATE } from './testing/cloudformation-harness.ts';
import { TEST_BUCKET } from './testing/make-run.ts';

const h = cloudFormationHarness();
const { cfn, s3, deployRun, runToEnd, hash, names } = h;

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
    const outcome = await runToEnd(run);
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
    expect(JSON.parse(h.t?.stored.get('StackOutputs')?.['outputs.json'] ?? '')).toEqual({
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
    expect(await runToEnd(run)).toMatchObject({
      status: 'Succeeded',
      summary: 'stack web is CREATE_COMPLETE',
    });
    expect(await runToEnd(run)).toMatchObject({
      status: 'Succeeded',
      summary: 'stack web is up to date: no changes',
      outputVariables: { Url: 'https://web.example.com' },
    });
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
    expect(h.fake.changeSets.size).toBe(0);
  });

  it('waits for an operation in progress (a duplicate delivery still executing) and then finds nothing to do', async () => {
    const run = await deployRun({
      ActionMode: 'CREATE_UPDATE',
      StackName: 'web',
      TemplatePath: 'Build::template.yaml',
    });
    await runToEnd(run);
    const stack = h.fake.stacks.get('web');
    if (stack)
      Object.assign(stack, {
        status: 'UPDATE_IN_PROGRESS',
        next: { status: 'UPDATE_COMPLETE' },
        showings: 4,
      });
    expect(await runToEnd(run)).toMatchObject({
      status: 'Succeeded',
      summary: 'stack web is up to date: no changes',
    });
    expect(h.logText()).toContain('stack web is UPDATE_IN_PROGRESS; waiting for it to finish');
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
  });

  it('CHANGE_SET_REPLACE prepares an UPDATE change set and CHANGE_SET_EXECUTE runs it', async () => {
    const create = await deployRun({
      ActionMode: 'CREATE_UPDATE',
      StackName: 'web',
      TemplatePath: 'Build::template.yaml',
    });
    await runToEnd(create);
    const replace = await deployRun({
      ActionMode: 'CHANGE_SET_REPLACE',
      StackName: 'web',
      ChangeSetName: 'web-release',
      TemplatePath: 'Build::template.yaml',
      ParameterOverrides: '{"Env":"staging"}',
    });
    expect(await runToEnd(replace)).toMatchObject({
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
    expect(await runToEnd(execute)).toMatchObject({
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
    await runToEnd(
      await deployRun({
        ActionMode: 'CREATE_UPDATE',
        StackName: 'web',
        TemplatePath: 'Build::template.yaml',
      }),
    );
    const config = { StackName: 'web', ChangeSetName: 'noop', TemplatePath: 'Build::template.yaml' };
    expect(await runToEnd(await deployRun({ ActionMode: 'CHANGE_SET_REPLACE', ...config }))).toMatchObject({
      status: 'Succeeded',
      summary: 'change set noop of stack web has no changes',
    });
    expect(await runToEnd(await deployRun({ ActionMode: 'CHANGE_SET_EXECUTE', ...config }))).toMatchObject({
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
    expect(await runToEnd(run)).toEqual({
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
    expect(await runToEnd(run)).toEqual({
      status: 'Failed',
      error: {
        type: 'JobFailed',
        message:
          'stack web is ROLLBACK_COMPLETE (The following resource(s) failed to create: [Site].)\nSite CREATE_FAILED: Bucket name already taken',
      },
    });
  });

  it('CREATE_UPDATE deletes a ROLLBACK_COMPLETE stack before creating it again', async () => {
    h.fake.stacks.set('web', { status: 'ROLLBACK_COMPLETE', parameters: '', outputs: {} });
    const run = await deployRun({
      ActionMode: 'CREATE_UPDATE',
      StackName: 'web',
      TemplatePath: 'Build::template.yaml',
      RoleArn: ROLE,
    });
    expect(await runToEnd(run)).toMatchObject({
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
    await runToEnd(
      await deployRun({
        ActionMode: 'CREATE_UPDATE',
        StackName: 'web',
        TemplatePath: 'Build::template.yaml',
      }),
    );
    const run = await deployRun({ ActionMode: 'DELETE_ONLY', StackName: 'web' }, {}, 2);
    expect(await runToEnd(run)).toEqual({
      status: 'Succeeded',
      outputArtifacts: [],
      outputVariables: {},
      summary: 'stack web deleted',
    });
    expect(await runToEnd(run)).toMatchObject({
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
    expect(await runToEnd(run)).toMatchObject({ status: 'Succeeded' });
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
      expect(await runToEnd(run)).toMatchObject({
        status: 'Failed',
        error: { type: 'ConfigurationError', message: expect.stringContaining(message) },
      });
    }
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });
});
