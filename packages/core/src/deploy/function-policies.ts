/**
 * Least-privilege policies of the six functions, the CodeBuild runner project and the
 * scheduler role, from what the pipelines contain. Every function reads and appends the event
 * table; beyond that each gets what its part of the engine does:
 *
 * | function      | besides the event table                                                                 |
 * | ------------- | --------------------------------------------------------------------------------------- |
 * | action runner | artifacts (read/write, key), task tokens, what the actions name ({@link actionRunnerPolicy}), approval topics, approval key |
 * | stage gate    | artifacts, task tokens, start (dequeue) / describe / stop executions, what the stage-condition rules name |
 * | callback      | artifacts, task tokens, start (dequeue) executions, read builds and their logs           |
 * | trigger       | start / describe / stop executions                                                      |
 * | projector     | the table's stream, put events on the bus, publish to the pipelines' topics, approval key, stop builds of abandoned actions |
 * | http          | start / describe / stop / redrive executions, task tokens (approve, reject), put events (webhooks), read artifacts and build logs, stop builds, the three secrets, stop what abandoned actions started (stack updates, deployments, executions, environment updates) |
 */
import type { Pipeline } from '../model/pipeline.ts';
import { sourcePolls } from '../triggers/source-change-events.ts';
import { artifactStoreStatements } from './artifact-store-grants.ts';
import { stopGrants } from './deploy-target-grants.ts';
import {
  arnOf,
  type DeploymentNames,
  type FunctionKey,
  type SharedResourceNames,
  sharedResourceNames,
  stagePatterns,
} from './deployment-names.ts';
import { allowStatement, type PolicyStatement } from './policy-statement.ts';
import { type ProviderGrants, providerGrants } from './provider-grants.ts';

/** Item actions on the event table and its GSI (the stores read, append with conditions, and delete task tokens). */
export const EVENT_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:Query',
];

/** Completing a `.waitForTaskToken` Task; authorized against the state machine's ARN. */
export const TASK_TOKEN_ACTIONS = [
  'states:SendTaskSuccess',
  'states:SendTaskFailure',
  'states:SendTaskHeartbeat',
];

const CLOUDFORMATION_ACTIONS = [
  'cloudformation:CreateStack',
  'cloudformation:UpdateStack',
  'cloudformation:DeleteStack',
  'cloudformation:DescribeStacks',
  'cloudformation:DescribeStackEvents',
  'cloudformation:CreateChangeSet',
  'cloudformation:DescribeChangeSet',
  'cloudformation:ExecuteChangeSet',
  'cloudformation:DeleteChangeSet',
];

/** What CodeBuild actions do on their named project: builds and batch builds (start, read, stop). @example `CODEBUILD_PROJECT_ACTIONS[0] // 'codebuild:StartBuild'` */
export const CODEBUILD_PROJECT_ACTIONS = [
  'codebuild:StartBuild',
  'codebuild:StartBuildBatch',
  'codebuild:BatchGetBuilds',
  'codebuild:BatchGetBuildBatches',
  'codebuild:StopBuild',
  'codebuild:StopBuildBatch',
];

interface Context<K> {
  names: DeploymentNames<K>;
  shared: SharedResourceNames;
  machines: string[];
  executions: string[];
  topics: string[];
  actions: ProviderGrants;
  rules: ProviderGrants;
}

function context<K>(pipelines: readonly Pipeline[], names: DeploymentNames<K>): Context<K> {
  // The stage's patterns, not a list of pipelines: a policy must not grow with every pipeline
  // (IAM's 10,240-character limit on a role's inline policies).
  const patterns = stagePatterns(names);
  const some = pipelines.length > 0;
  return {
    names,
    shared: sharedResourceNames(names),
    machines: some ? [patterns.stateMachines] : [],
    executions: some ? [patterns.executions] : [],
    topics: some ? [patterns.topics] : [],
    actions: providerGrants(pipelines, names, 'actions'),
    rules: providerGrants(pipelines, names, 'rules'),
  };
}

const eventTable = <K>(c: Context<K>) =>
  allowStatement<K>('EventTable', EVENT_TABLE_ACTIONS, [c.shared.table.arn, `${c.shared.table.arn}/index/*`]);

function artifacts<K>(c: Context<K>, write: boolean): PolicyStatement<K>[] {
  return [
    ...allowStatement<K>('ArtifactBucket', ['s3:ListBucket'], [c.shared.bucket.arn]),
    ...allowStatement<K>('ArtifactObjects', write ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'], [
      `${c.shared.bucket.arn}/*`,
    ]),
    ...allowStatement<K>('ArtifactKey', write ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'], [
      c.names.artifactKeyArn,
    ]),
  ];
}

/** Lambda's on-failure destination sends with the function's own role. */
const failedDeliveries = <K>(c: Context<K>) =>
  allowStatement<K>('FailedDeliveries', ['sqs:SendMessage'], [c.shared.failedDeliveries.arn]);
const taskTokens = <K>(c: Context<K>) => allowStatement<K>('TaskTokens', TASK_TOKEN_ACTIONS, c.machines);
const startExecutions = <K>(c: Context<K>) =>
  allowStatement<K>('StartExecutions', ['states:StartExecution'], c.machines);
const controlExecutions = <K>(c: Context<K>, actions: string[]) =>
  allowStatement<K>('ControlExecutions', actions, c.executions);

function builds(c: Context<unknown>): string[] {
  return [
    ...(c.actions.usesRunner || c.rules.usesRunner ? [c.shared.runnerProject.arn] : []),
    ...c.actions.codeBuildProjects,
    ...c.rules.codeBuildProjects,
  ];
}

function buildLogs<K>(c: Context<K>): PolicyStatement<K>[] {
  const groups = [
    ...(c.actions.usesRunner || c.rules.usesRunner ? [c.shared.runnerProject.logGroup.arn] : []),
    ...c.actions.codeBuildLogGroups,
    ...c.rules.codeBuildLogGroups,
  ];
  return allowStatement<K>('ReadBuildLogs', ['logs:GetLogEvents', 'logs:FilterLogEvents'], groups);
}

const notificationTopics = <K>(c: Context<K>) =>
  allowStatement<K>('PublishNotifications', ['sns:Publish'], [...c.topics, ...c.actions.approvalTopics]);

/** The statements for what actions (or rules) name: builds, functions, stacks, buckets, roles, alarms. */
function providerStatements<K>(c: Context<K>, g: ProviderGrants): PolicyStatement<K>[] {
  return [
    ...allowStatement<K>(
      'RunnerBuilds',
      ['codebuild:StartBuild', 'codebuild:BatchGetBuilds', 'codebuild:StopBuild'],
      g.usesRunner ? [c.shared.runnerProject.arn] : [],
    ),
    ...allowStatement<K>('CodeBuildProjects', CODEBUILD_PROJECT_ACTIONS, [...g.codeBuildProjects]),
    ...allowStatement<K>('InvokeFunctions', ['lambda:InvokeFunction'], [...g.functions]),
    ...allowStatement<K>('CloudFormationStacks', CLOUDFORMATION_ACTIONS, [...g.stacks]),
    ...allowStatement<K>('PassRolesToCloudFormation', ['iam:PassRole'], [...g.cloudFormationRoles], {
      StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
    }),
    ...allowStatement<K>('AssumeActionRoles', ['sts:AssumeRole'], [...g.actionRoles]),
    ...allowStatement<K>('DeployObjects', ['s3:PutObject'], [...g.deployObjects]),
    ...allowStatement<K>('DeployObjectAcls', ['s3:PutObjectAcl'], [...g.deployAclObjects]),
    ...allowStatement<K>('DeployKeys', ['kms:GenerateDataKey', 'kms:Decrypt'], [...g.deployKeys]),
    ...allowStatement<K>('SourceObjects', ['s3:GetObject', 's3:GetObjectVersion'], [...g.sourceObjects]),
    ...allowStatement<K>('DescribeImages', ['ecr:DescribeImages'], [...g.ecrRepositories]),
    ...allowStatement<K>('DescribeAlarms', ['cloudwatch:DescribeAlarms'], [...g.alarms]),
    ...[...g.deployTargets].flatMap(([sid, t]) =>
      allowStatement<K>(sid, [...t.actions], [...t.resources], t.condition),
    ),
  ];
}

/**
 * The shared action-runner function's statements, derived from the actions the pipelines
 * contain: the event table; the artifacts (read/write) and their key; the task tokens of the
 * state machines; the runner project when a Source, Commands or CodeBuild action exists (and
 * the named projects of CodeBuild actions); the functions of Invoke actions; the stacks of
 * CloudFormation actions with `iam:PassRole` of their `RoleArn` (only to CloudFormation); the
 * objects of Deploy/S3 and S3 source actions; the roles actions name; the pipelines'
 * notification topics and approvals' `NotificationArn`; the approval-link key.
 *
 * @example
 * ```ts
 * actionRunnerPolicy([seed], names).find((s) => s.Sid === 'CodeBuildProjects')?.Resource;
 * // ['arn:aws:codebuild:eu-west-1:123456789012:project/MyBuildProject']
 * ```
 */
export function actionRunnerPolicy<K>(
  pipelines: readonly Pipeline[],
  names: DeploymentNames<K>,
): PolicyStatement<K>[] {
  const c = context(pipelines, names);
  return [
    ...eventTable(c),
    ...artifacts(c, true),
    ...taskTokens(c),
    ...providerStatements(c, c.actions),
    ...artifactStoreStatements<K>(pipelines, names),
  ];
}

/**
 * The statements of every function (see the table above).
 *
 * @example
 * ```ts
 * functionPolicies([webApp], names).trigger.map((s) => s.Sid); // ['EventTable', 'StartExecutions', 'ControlExecutions']
 * ```
 */
export function functionPolicies<K>(
  pipelines: readonly Pipeline[],
  names: DeploymentNames<K>,
): Record<FunctionKey, PolicyStatement<K>[]> {
  const c = context(pipelines, names);
  return {
    actionRunner: actionRunnerPolicy(pipelines, names),
    stageGate: [...gateStatements(c), ...providerStatements(c, c.rules)],
    callback: callbackStatements(c, pipelines),
    trigger: triggerStatements(c, pipelines),
    projector: projectorStatements(c),
    http: httpStatements(c),
  };
}

/** What running a stage's gate needs: the event table, artifacts, task tokens, start (dequeue) / describe / stop executions. */
function gateStatements<K>(c: Context<K>): PolicyStatement<K>[] {
  return [
    ...eventTable(c),
    ...artifacts(c, true),
    ...taskTokens(c),
    ...startExecutions(c),
    ...controlExecutions(c, ['states:DescribeExecution', 'states:StopExecution']),
  ];
}

/**
 * The callback function also runs gates it wakes (a released lock, an enabled transition, an
 * execution ended outside the engine): it needs what the stage gate needs.
 */
function callbackStatements<K>(c: Context<K>, pipelines: readonly Pipeline[]): PolicyStatement<K>[] {
  return [
    ...gateStatements(c),
    ...allowStatement<K>(
      'ReadBuilds',
      ['codebuild:BatchGetBuilds', 'codebuild:BatchGetBuildBatches'],
      builds(c),
    ),
    // Output artifacts of cross-region builds are adopted from their region's bucket.
    ...artifactStoreStatements<K>(pipelines, c.names),
    ...buildLogs(c),
    ...providerStatements(c, c.rules),
    ...failedDeliveries(c),
  ];
}

function triggerStatements<K>(c: Context<K>, pipelines: readonly Pipeline[]): PolicyStatement<K>[] {
  return [
    ...eventTable(c),
    ...startExecutions(c),
    ...controlExecutions(c, ['states:DescribeExecution', 'states:StopExecution']),
    ...failedDeliveries(c),
    // Polls of S3 sources (HeadObject needs s3:GetObject).
    ...allowStatement<K>(
      'PollSourceObjects',
      ['s3:GetObject'],
      pipelines
        .flatMap(sourcePolls)
        .map((p) => arnOf(c.names, 's3', `${p.bucket}/${p.key}`, { region: '', account: '' })),
    ),
  ];
}

function projectorStatements<K>(c: Context<K>): PolicyStatement<K>[] {
  const { secrets, bus, table } = c.shared;
  return [
    ...eventTable(c),
    ...allowStatement<K>(
      'ReadTableStream',
      ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
      [`${table.arn}/stream/*`],
    ),
    // ListStreams supports no resource-level permission: IAM requires `*`.
    ...allowStatement<K>('ListTableStreams', ['dynamodb:ListStreams'], ['*']),
    ...allowStatement<K>('PutStateChangeEvents', ['events:PutEvents'], [bus.arn]),
    ...notificationTopics(c),
    // Stops the builds of actions abandoned or failed while their build still ran.
    ...allowStatement<K>(
      'StopAbandonedBuilds',
      [
        'codebuild:ListBuildsForProject',
        'codebuild:ListBuildBatchesForProject',
        'codebuild:BatchGetBuilds',
        'codebuild:BatchGetBuildBatches',
        'codebuild:StopBuild',
        'codebuild:StopBuildBatch',
      ],
      builds(c),
    ),
    ...allowStatement<K>('ReadApprovalKey', ['secretsmanager:GetSecretValue'], [secrets.approvalKey.arn]),
    // The stream mapping's on-failure destination sends with the projector's role.
    ...failedDeliveries(c),
  ];
}

/** The HTTP function also runs gates it wakes, so it has the rules' grants too. */
function httpStatements<K>(c: Context<K>): PolicyStatement<K>[] {
  const { secrets, bus } = c.shared;
  return [
    ...eventTable(c),
    ...startExecutions(c),
    ...controlExecutions(c, ['states:DescribeExecution', 'states:StopExecution', 'states:RedriveExecution']),
    ...taskTokens(c),
    ...allowStatement<K>('PutWebhookEvents', ['events:PutEvents'], [bus.arn]),
    ...allowStatement<K>(
      'ReadSecrets',
      ['secretsmanager:GetSecretValue'],
      [secrets.approvalKey.arn, secrets.apiToken.arn, secrets.webhookSecret.arn],
    ),
    ...artifacts(c, false),
    ...buildLogs(c),
    ...allowStatement<K>('StopBuilds', ['codebuild:BatchGetBuilds', 'codebuild:StopBuild'], builds(c)),
    ...providerStatements(c, c.rules),
    // A stop cleans up what abandoned actions started (deploy-target-grants.ts, stopGrants).
    ...stopGrants(c.actions.deployTargets, c.actions.stacks).flatMap((s) =>
      allowStatement<K>(s.sid, s.actions, s.resources),
    ),
  ];
}

/**
 * The CodeBuild runner project's service role: its own log group, the artifacts and their
 * key, and what Commands actions and git sources need while they run there (CodeCommit pulls,
 * CodeStar connections, Secrets Manager environment variables).
 *
 * @example
 * ```ts
 * runnerProjectPolicy([seed], names).find((s) => s.Sid === 'PullRepositories')?.Resource;
 * // ['arn:aws:codecommit:eu-west-1:123456789012:MyRepo']
 * ```
 */
export function runnerProjectPolicy<K>(
  pipelines: readonly Pipeline[],
  names: DeploymentNames<K>,
): PolicyStatement<K>[] {
  const c = context(pipelines, names);
  const g = providerGrants(pipelines, names, 'both');
  const logGroup = c.shared.runnerProject.logGroup;
  return [
    ...allowStatement<K>(
      'BuildLogs',
      ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      [logGroup.arn.replace(/:\*$/, ''), logGroup.arn],
    ),
    ...artifacts(c, true),
    // What CodeBuild's documented service-role policy adds for S3 sources and artifacts.
    ...allowStatement<K>(
      'ArtifactBucketInfo',
      ['s3:GetBucketAcl', 's3:GetBucketLocation'],
      [c.shared.bucket.arn],
    ),
    ...allowStatement<K>('ArtifactVersions', ['s3:GetObjectVersion'], [`${c.shared.bucket.arn}/*`]),
    ...allowStatement<K>('PullRepositories', ['codecommit:GitPull'], [...g.codeCommitRepositories]),
    ...allowStatement<K>(
      'UseConnections',
      ['codestar-connections:UseConnection', 'codeconnections:UseConnection'],
      [...g.connections],
    ),
    ...allowStatement<K>('ReadSecrets', ['secretsmanager:GetSecretValue'], [...g.secrets]),
    ...allowStatement<K>('ReadParameters', ['ssm:GetParameters'], [...g.parameters]),
  ];
}

/**
 * The scheduler role's statements: invoke the trigger function, and send a tick it could not
 * deliver to the failed-deliveries queue (Scheduler's dead-letter queue uses this role).
 *
 * @example
 * ```ts
 * schedulerPolicy(names)[0].Resource; // ['arn:aws:lambda:eu-west-1:123456789012:function:pipewright-prod-trigger']
 * ```
 */
export function schedulerPolicy<K>(names: DeploymentNames<K>): PolicyStatement<K>[] {
  const shared = sharedResourceNames(names);
  return [
    ...allowStatement<K>('InvokeTrigger', ['lambda:InvokeFunction'], [shared.functions.trigger.arn]),
    ...allowStatement<K>('FailedDeliveries', ['sqs:SendMessage'], [shared.failedDeliveries.arn]),
  ];
}
