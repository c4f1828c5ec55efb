import { describe, expect, it } from 'vitest';
import { action, NAMES, pipeline } from './deploy.test-helper.ts';
import {
  actionRunnerPolicy,
  EVENT_TABLE_ACTIONS,
  functionPolicies,
  runnerProjectPolicy,
  schedulerPolicy,
  TASK_TOKEN_ACTIONS,
} from './function-policies.ts';
import { LOG_DELIVERY_ACTIONS, pipelinePolicy } from './pipeline-policy.ts';
import type { PolicyStatement } from './policy-statement.ts';
import { providerGrants } from './provider-grants.ts';

const ARN = 'arn:aws:%s:eu-west-1:123456789012:';
const arn = (service: string, resource: string) => `${ARN.replace('%s', service)}${resource}`;
const TABLE = arn('dynamodb', 'table/pipewright-prod-events');
const BUCKET = 'arn:aws:s3:::pipewright-prod-artifacts-123456789012-eu-west-1';
const RUNNER = arn('codebuild', 'project/pipewright-prod-runner');

function bySid<K>(statements: PolicyStatement<K>[]): Record<string, PolicyStatement<K>> {
  const out: Record<string, PolicyStatement<K>> = {};
  for (const s of statements) {
    expect(out[s.Sid], `duplicate Sid ${s.Sid}`).toBeUndefined();
    expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
    expect(s.Resource.length).toBeGreaterThan(0);
    out[s.Sid] = s;
  }
  return out;
}

/** One action of each provider that reaches AWS, with literal and variable configuration. */
const kitchenSink = pipeline('release', [
  {
    name: 'Source',
    actions: [
      action('Repo', 'Source', 'CodeCommit', { RepositoryName: 'app-repo', BranchName: 'main' }),
      action('Bundle', 'Source', 'S3', { S3Bucket: 'uploads-bucket', S3ObjectKey: 'app/bundle.zip' }),
    ],
  },
  {
    name: 'Build',
    actions: [
      action(
        'Compile',
        'Build',
        'Commands',
        {},
        {
          commands: ['make'],
          environmentVariables: [
            { name: 'TOKEN', value: 'ci/npm-token', type: 'SECRETS_MANAGER' },
            { name: 'PLAIN', value: 'x', type: 'PLAINTEXT' },
          ],
        },
      ),
      action('Package', 'Build', 'CodeBuild', { ProjectName: 'packager' }),
    ],
  },
  {
    name: 'Deploy',
    actions: [
      action('Notify', 'Invoke', 'Lambda', { FunctionName: 'notify-slack' }),
      action('Stack', 'Deploy', 'CloudFormation', {
        ActionMode: 'CREATE_UPDATE',
        StackName: 'app-#{variables.env}',
        TemplatePath: 'Build::template.yaml',
        RoleArn: 'arn:aws:iam::123456789012:role/cfn-deployer',
      }),
      action('Site', 'Deploy', 'S3', {
        BucketName: 'www.example-site',
        Extract: 'true',
        CannedACL: 'public-read',
      }),
      action('Approve', 'Approval', 'Manual', {
        NotificationArn: 'arn:aws:sns:eu-west-1:123456789012:approvers',
      }),
    ],
  },
]);

describe('pipelinePolicy', () => {
  it('invokes exactly the action runner and the stage gate, and delivers logs on * (no X-Ray)', () => {
    const statements = pipelinePolicy(kitchenSink, NAMES);
    expect(statements).toEqual([
      {
        Sid: 'InvokePipewrightFunctions',
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: [
          arn('lambda', 'function:pipewright-prod-action-runner'),
          arn('lambda', 'function:pipewright-prod-stage-gate'),
        ],
      },
      { Sid: 'DeliverExecutionLogs', Effect: 'Allow', Action: LOG_DELIVERY_ACTIONS, Resource: ['*'] },
    ]);
    expect(JSON.stringify(statements)).not.toContain('xray');
  });
});

describe('actionRunnerPolicy', () => {
  it('grants what each action names, and nothing for a pipeline without such actions', () => {
    // Act
    const s = bySid(actionRunnerPolicy([kitchenSink], NAMES));
    // Assess
    expect(s.EventTable?.Resource).toEqual([TABLE, `${TABLE}/index/*`]);
    expect(s.EventTable?.Action).toEqual(EVENT_TABLE_ACTIONS);
    expect(s.ArtifactObjects).toMatchObject({
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: [`${BUCKET}/*`],
    });
    expect(s.ArtifactKey).toMatchObject({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: [NAMES.artifactKeyArn],
    });
    expect(s.TaskTokens).toMatchObject({
      Action: TASK_TOKEN_ACTIONS,
      Resource: [arn('states', 'stateMachine:pipewright-prod-*')],
    });
    expect(s.RunnerBuilds).toMatchObject({
      Action: ['codebuild:StartBuild', 'codebuild:BatchGetBuilds', 'codebuild:StopBuild'],
      Resource: [RUNNER],
    });
    // The named project of a CodeBuild action: builds and batch builds, started, read and stopped.
    expect(s.CodeBuildProjects).toMatchObject({
      Action: expect.arrayContaining([
        'codebuild:StartBuild',
        'codebuild:StartBuildBatch',
        'codebuild:StopBuild',
      ]),
      Resource: [arn('codebuild', 'project/packager')],
    });
    expect(s.InvokeFunctions?.Resource).toEqual([arn('lambda', 'function:notify-slack')]);
    expect(s.CloudFormationStacks?.Resource).toEqual([arn('cloudformation', 'stack/app-*/*')]);
    expect(s.CloudFormationStacks?.Action).toContain('cloudformation:ExecuteChangeSet');
    expect(s.PassRolesToCloudFormation).toEqual({
      Sid: 'PassRolesToCloudFormation',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: ['arn:aws:iam::123456789012:role/cfn-deployer'],
      Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    });
    expect(s.DeployObjects?.Resource).toEqual(['arn:aws:s3:::www.example-site/*']);
    expect(s.DeployObjectAcls?.Resource).toEqual(['arn:aws:s3:::www.example-site/*']);
    expect(s.SourceObjects?.Resource).toEqual(['arn:aws:s3:::uploads-bucket/app/bundle.zip']);
    // Notifications and approval links are the projector's: the runner neither publishes nor signs.
    expect(s.PublishNotifications).toBeUndefined();
    expect(s.ReadApprovalKey).toBeUndefined();
    expect(Object.values(s).flatMap((x) => x.Resource)).not.toContain('*');

    const plain = bySid(
      actionRunnerPolicy(
        [pipeline('p', [{ name: 'A', actions: [action('Go', 'Approval', 'Manual')] }])],
        NAMES,
      ),
    );
    expect(Object.keys(plain)).toEqual([
      'EventTable',
      'ArtifactBucket',
      'ArtifactObjects',
      'ArtifactKey',
      'TaskTokens',
    ]);
  });

  it('builds function ARNs from names, partial ARNs, qualifiers and the action region', () => {
    const p = pipeline('p', [
      {
        name: 'Invoke',
        actions: [
          action('A', 'Invoke', 'Lambda', { FunctionName: 'fn:live' }),
          action('B', 'Invoke', 'Lambda', { FunctionName: '210987654321:function:other' }),
          action('C', 'Invoke', 'Lambda', {
            FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:full',
          }),
          action('D', 'Invoke', 'Lambda', { FunctionName: 'far' }, { region: 'ap-south-1' }),
        ],
      },
    ]);
    expect(bySid(actionRunnerPolicy([p], NAMES)).InvokeFunctions?.Resource).toEqual([
      arn('lambda', 'function:fn:live'),
      'arn:aws:lambda:eu-west-1:210987654321:function:other',
      'arn:aws:lambda:us-east-1:123456789012:function:full',
      'arn:aws:lambda:ap-south-1:123456789012:function:far',
    ]);
  });

  it('uses the partition and lets an action assume its roleArn', () => {
    const p = pipeline('p', [
      {
        name: 'Build',
        actions: [
          action('B', 'Build', 'Commands', {}, { commands: ['x'], roleArn: 'arn:aws-cn:iam::1:role/r' }),
        ],
      },
    ]);
    const s = bySid(actionRunnerPolicy([p], { ...NAMES, partition: 'aws-cn' }));
    expect(s.AssumeActionRoles?.Resource).toEqual(['arn:aws-cn:iam::1:role/r']);
    expect(s.RunnerBuilds?.Resource).toEqual([
      'arn:aws-cn:codebuild:eu-west-1:123456789012:project/pipewright-prod-runner',
    ]);
  });
});

describe('functionPolicies', () => {
  it('gives each function the table and only its own part of the engine', () => {
    const p = functionPolicies([kitchenSink], NAMES);
    const sids = (k: keyof typeof p) => p[k].map((s) => s.Sid);
    expect(sids('trigger')).toEqual([
      'EventTable',
      'StartExecutions',
      'ControlExecutions',
      'FailedDeliveries',
      'PollSourceObjects',
    ]);
    // The S3 source is polled (PollForSourceChanges absent): the trigger function reads its version.
    expect(bySid(p.trigger).PollSourceObjects).toMatchObject({
      Action: ['s3:GetObject'],
      Resource: ['arn:aws:s3:::uploads-bucket/app/bundle.zip'],
    });
    expect(bySid(p.trigger).FailedDeliveries).toMatchObject({
      Action: ['sqs:SendMessage'],
      Resource: [arn('sqs', 'pipewright-prod-failed-deliveries')],
    });
    expect(bySid(p.callback).FailedDeliveries?.Resource).toEqual([
      arn('sqs', 'pipewright-prod-failed-deliveries'),
    ]);
    expect(bySid(p.trigger).ControlExecutions?.Resource).toEqual([
      arn('states', 'execution:pipewright-prod-*:*'),
    ]);
    expect(sids('projector')).toEqual([
      'EventTable',
      'ReadTableStream',
      'ListTableStreams',
      'PutStateChangeEvents',
      'PublishNotifications',
      'StopAbandonedBuilds',
      'ReadApprovalKey',
      'FailedDeliveries',
    ]);
    expect(bySid(p.projector).ReadTableStream?.Resource).toEqual([`${TABLE}/stream/*`]);
    expect(bySid(p.projector).PutStateChangeEvents?.Resource).toEqual([
      arn('events', 'event-bus/pipewright-prod-bus'),
    ]);
    expect(bySid(p.http).ControlExecutions?.Action).toContain('states:RedriveExecution');
    expect(bySid(p.http).ReadSecrets?.Resource).toEqual([
      arn('secretsmanager', 'secret:pipewright/prod/approval-key-??????'),
      arn('secretsmanager', 'secret:pipewright/prod/api-token-??????'),
      arn('secretsmanager', 'secret:pipewright/prod/webhook-secret-??????'),
    ]);
    expect(bySid(p.projector).PublishNotifications?.Resource).toEqual([
      arn('sns', 'pipewright-prod-*'),
      'arn:aws:sns:eu-west-1:123456789012:approvers',
    ]);
    expect(bySid(p.http).ArtifactObjects?.Action).toEqual(['s3:GetObject']);
    expect(bySid(p.http).ArtifactKey?.Action).toEqual(['kms:Decrypt']);
    expect(bySid(p.callback).ReadBuilds?.Resource).toEqual([RUNNER, arn('codebuild', 'project/packager')]);
    // Functions that wake gates may do what a gate does: stop a superseded execution.
    expect(bySid(p.callback).ControlExecutions?.Action).toEqual([
      'states:DescribeExecution',
      'states:StopExecution',
    ]);
    expect(bySid(p.callback).ReadBuildLogs?.Resource).toEqual([
      arn('logs', 'log-group:/aws/codebuild/pipewright-prod-runner:*'),
      arn('logs', 'log-group:/aws/codebuild/packager:*'),
    ]);
    // No rules in the pipeline: the stage gate starts nothing beyond its own duties.
    expect(sids('stageGate')).toEqual([
      'EventTable',
      'ArtifactBucket',
      'ArtifactObjects',
      'ArtifactKey',
      'TaskTokens',
      'StartExecutions',
      'ControlExecutions',
    ]);
    expect(p.actionRunner).toEqual(actionRunnerPolicy([kitchenSink], NAMES));
  });

  it("grants the stage gate what its stages' condition rules name", () => {
    const gated = pipeline('gated', [
      {
        name: 'Prod',
        actions: [action('Go', 'Approval', 'Manual')],
        beforeEntry: {
          conditions: [
            {
              result: 'FAIL',
              rules: [
                {
                  name: 'Smoke',
                  ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'LambdaInvoke', version: '1' },
                  configuration: { FunctionName: 'smoke-check' },
                  inputArtifacts: [],
                },
                {
                  name: 'Alarm',
                  ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'CloudWatchAlarm', version: '1' },
                  configuration: { AlarmName: 'prod-5xx' },
                  inputArtifacts: [],
                },
                {
                  name: 'Check',
                  ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'Commands', version: '1' },
                  configuration: {},
                  commands: ['./check.sh'],
                  inputArtifacts: [],
                },
              ],
            },
          ],
        },
      },
    ]);
    const gate = bySid(functionPolicies([gated], NAMES).stageGate);
    expect(gate.InvokeFunctions?.Resource).toEqual([arn('lambda', 'function:smoke-check')]);
    expect(gate.DescribeAlarms?.Resource).toEqual([arn('cloudwatch', 'alarm:prod-5xx')]);
    expect(gate.RunnerBuilds?.Resource).toEqual([RUNNER]);
    // The action runner does not run rules.
    expect(bySid(actionRunnerPolicy([gated], NAMES)).InvokeFunctions).toBeUndefined();
    // Rules that run commands or invoke a function do not run in AWS yet: the deploy says so.
    const warnings = providerGrants([gated], NAMES, 'rules').warnings;
    expect(warnings.filter((w) => w.includes('runs only with pipewright run/serve'))).toHaveLength(2);
  });
});

describe('runnerProjectPolicy', () => {
  it('writes its own logs, reads and writes artifacts, pulls the CodeCommit repositories and reads secrets', () => {
    const s = bySid(runnerProjectPolicy([kitchenSink], NAMES));
    expect(s.BuildLogs?.Resource).toEqual([
      arn('logs', 'log-group:/aws/codebuild/pipewright-prod-runner'),
      arn('logs', 'log-group:/aws/codebuild/pipewright-prod-runner:*'),
    ]);
    expect(s.PullRepositories?.Resource).toEqual([arn('codecommit', 'app-repo')]);
    expect(s.ReadSecrets?.Resource).toEqual([arn('secretsmanager', 'secret:ci/npm-token-??????')]);
    expect(s.ArtifactKey?.Resource).toEqual([NAMES.artifactKeyArn]);
  });
});

describe('runnerProjectPolicy: secrets builds resolve', () => {
  it('reads the Secrets Manager secrets and Parameter Store parameters of CodeBuild variables and GitHub tokens', () => {
    const p = pipeline('tokens', [
      {
        name: 'Source',
        actions: [
          action('Repo', 'Source', 'GitHub', {
            Owner: 'acme',
            Repo: 'web',
            Branch: 'main',
            OAuthToken: '{{resolve:secretsmanager:github-token:SecretString:token}}',
          }),
        ],
      },
      {
        name: 'Build',
        actions: [
          action('Compile', 'Build', 'CodeBuild', {
            ProjectName: 'builder',
            EnvironmentVariables: JSON.stringify([
              { name: 'NPM_TOKEN', value: 'ci/npm', type: 'SECRETS_MANAGER' },
              { name: 'SIGNING', value: '/ci/signing-key', type: 'PARAMETER_STORE' },
              { name: 'PLAIN', value: 'x', type: 'PLAINTEXT' },
            ]),
          }),
        ],
      },
    ]);
    const s = bySid(runnerProjectPolicy([p], NAMES));
    expect(s.ReadSecrets?.Resource).toEqual([
      arn('secretsmanager', 'secret:github-token-??????'),
      arn('secretsmanager', 'secret:ci/npm-??????'),
    ]);
    expect(s.ReadParameters).toMatchObject({
      Action: ['ssm:GetParameters'],
      Resource: [arn('ssm', 'parameter/ci/signing-key')],
    });
  });
});

describe('schedulerPolicy', () => {
  it('may invoke the trigger function and dead-letter a tick, nothing else', () => {
    expect(schedulerPolicy(NAMES)).toEqual([
      {
        Sid: 'InvokeTrigger',
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: [arn('lambda', 'function:pipewright-prod-trigger')],
      },
      {
        Sid: 'FailedDeliveries',
        Effect: 'Allow',
        Action: ['sqs:SendMessage'],
        Resource: [arn('sqs', 'pipewright-prod-failed-deliveries')],
      },
    ]);
  });
});
