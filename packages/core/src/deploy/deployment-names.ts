/**
 * The names and ARNs of everything `sst deploy` creates, from the app, the stage, the account
 * and the region alone.
 *
 * Decision: the deploy functions take plain strings, not Pulumi outputs. Every resource gets an
 * explicit name ({@link resourceName}), so its ARN is known before it exists, and the account,
 * region and partition are read once (`await aws.getCallerIdentity()`, … in `infra/`) before
 * any resource is declared. This also breaks what would otherwise be a cycle: the state
 * machines' definitions name the functions, and the functions' policies name the state
 * machines. The one exception is the artifact KMS key, whose id KMS picks: its ARN is the
 * generic `K` of {@link DeploymentNames} (a string in tests, a Pulumi `Output<string>` in
 * `infra/`), and it appears only inside policy `Resource` lists and the environment.
 */
import { RESOURCE_NAME_RULES, type ResourceKind, resourceName } from './resource-name.ts';

/**
 * Where and as what the app is deployed.
 *
 * @example
 * ```ts
 * const names: DeploymentNames = {
 *   app: 'pipewright', stage: 'prod', region: 'eu-west-1', accountId: '123456789012',
 *   artifactKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
 * };
 * ```
 */
export interface DeploymentNames<K = string> {
  /** `$app.name`. */
  app: string;
  /** `$app.stage`. */
  stage: string;
  region: string;
  accountId: string;
  /** `aws` (default), `aws-cn`, `aws-us-gov`. */
  partition?: string;
  /** ARN of the artifact bucket's KMS key (the one ARN no name determines). */
  artifactKeyArn: K;
}

/**
 * Where the app is deployed, without the key: enough for every name and every other ARN.
 *
 * @example
 * ```ts
 * const site: DeploymentSite = { app: 'pipewright', stage: 'prod', region: 'eu-west-1', accountId: '123456789012' };
 * ```
 */
export type DeploymentSite = Omit<DeploymentNames<unknown>, 'artifactKeyArn'>;

/** The six functions of the AWS runtime, by key. */
export const FUNCTION_KEYS = [
  'actionRunner',
  'stageGate',
  'callback',
  'trigger',
  'projector',
  'http',
] as const;
/** A function of the AWS runtime. @example `const key: FunctionKey = 'actionRunner'` */
export type FunctionKey = (typeof FUNCTION_KEYS)[number];

/**
 * The handler module of each function, under `packages/aws/src/lambda/`.
 *
 * @example
 * ```ts
 * FUNCTION_FILES.actionRunner; // 'action-runner'
 * ```
 */
export const FUNCTION_FILES: Readonly<Record<FunctionKey, string>> = {
  actionRunner: 'action-runner',
  stageGate: 'stage-gate',
  callback: 'callback',
  trigger: 'trigger',
  projector: 'projector',
  http: 'http',
};

/** A named resource and its ARN. @example `{ name: 'pipewright-prod-bus', arn: 'arn:aws:events:eu-west-1:123456789012:event-bus/pipewright-prod-bus' }` */
export interface NamedArn {
  name: string;
  arn: string;
}

/** Names and ARNs of the resources all pipelines share. @example `sharedResourceNames(site).bus.name // 'pipewright-prod-bus'` */
export interface SharedResourceNames {
  table: NamedArn;
  /** Pipewright's own bus: git events from webhooks, events posted to the API, state-change events. */
  bus: NamedArn;
  /** Where the trigger and callback functions put the events they failed on (after Lambda's retries). */
  failedDeliveries: NamedArn;
  /** The account's default bus: AWS service events (CodeBuild, CodeCommit, Step Functions). */
  defaultBus: NamedArn;
  bucket: NamedArn;
  /** `alias/<…>` of the artifact key. */
  keyAlias: string;
  /** The artifact key's description. */
  keyDescription: string;
  /** Secrets Manager secrets (the functions read them with the only secrets client they bundle). */
  secrets: { approvalKey: NamedArn; apiToken: NamedArn; webhookSecret: NamedArn };
  runnerProject: NamedArn & { role: NamedArn; logGroup: NamedArn };
  /** The role EventBridge Scheduler assumes to invoke the trigger function. */
  schedulerRole: NamedArn;
  functions: Record<FunctionKey, NamedArn & { logGroup: NamedArn }>;
}

/** Names and ARNs of one pipeline's resources. @example `pipelineResourceNames(site, 'web-app').topic.name // 'pipewright-prod-web-app-notifications'` */
export interface PipelineResourceNames {
  stateMachine: NamedArn & { executionsArn: string };
  role: NamedArn;
  logGroup: NamedArn;
  topic: NamedArn;
}

/**
 * `arn:<partition>:<service>:<region>:<account>:<resource>`.
 *
 * @example
 * ```ts
 * arnOf(names, 'sns', 'pipewright-prod-web-app-notifications'); // 'arn:aws:sns:eu-west-1:123456789012:pipewright-prod-web-app-notifications'
 * arnOf(names, 's3', 'my-bucket', { region: '', account: '' }); // 'arn:aws:s3:::my-bucket'
 * ```
 */
export function arnOf(
  names: Pick<DeploymentSite, 'partition' | 'region' | 'accountId'>,
  service: string,
  resource: string,
  where: { region?: string; account?: string } = {},
): string {
  return `arn:${names.partition ?? 'aws'}:${service}:${where.region ?? names.region}:${where.account ?? names.accountId}:${resource}`;
}

function logGroup(names: DeploymentSite, name: string): NamedArn {
  return { name, arn: arnOf(names, 'logs', `log-group:${name}:*`) };
}

function secret(names: DeploymentSite, leaf: string): NamedArn {
  const segment = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '-');
  const name = `${segment(names.app)}/${segment(names.stage)}/${leaf}`;
  // Secrets Manager appends "-" and six random characters to a secret's ARN: IAM matches them with `-??????`.
  return { name, arn: arnOf(names, 'secretsmanager', `secret:${name}-??????`) };
}

/**
 * The names and ARNs of the shared resources.
 *
 * @example
 * ```ts
 * sharedResourceNames(names).table; // { name: 'pipewright-prod-events', arn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/pipewright-prod-events' }
 * sharedResourceNames(names).functions.actionRunner.name; // 'pipewright-prod-action-runner'
 * ```
 */
export function sharedResourceNames(names: DeploymentSite): SharedResourceNames {
  const { app, stage } = names;
  const table = resourceName('table', app, stage, 'events');
  const bus = resourceName('eventBus', app, stage, 'bus');
  const bucket = resourceName('bucket', app, stage, 'artifacts', names.accountId, names.region);
  const runner = resourceName('codeBuildProject', app, stage, 'runner');
  const runnerRole = resourceName('role', app, stage, 'runner', 'codebuild');
  const schedulerRole = resourceName('role', app, stage, 'scheduler');
  const iamArn = (name: string) => arnOf(names, 'iam', `role/${name}`, { region: '' });
  const functions = Object.fromEntries(
    FUNCTION_KEYS.map((key) => {
      const name = resourceName('function', app, stage, FUNCTION_FILES[key]);
      return [
        key,
        {
          name,
          arn: arnOf(names, 'lambda', `function:${name}`),
          logGroup: logGroup(names, `/aws/lambda/${name}`),
        },
      ];
    }),
  ) as SharedResourceNames['functions'];
  return {
    table: { name: table, arn: arnOf(names, 'dynamodb', `table/${table}`) },
    bus: { name: bus, arn: arnOf(names, 'events', `event-bus/${bus}`) },
    failedDeliveries: {
      name: resourceName('queue', app, stage, 'failed-deliveries'),
      arn: arnOf(names, 'sqs', resourceName('queue', app, stage, 'failed-deliveries')),
    },
    defaultBus: { name: 'default', arn: arnOf(names, 'events', 'event-bus/default') },
    bucket: { name: bucket, arn: arnOf(names, 's3', bucket, { region: '', account: '' }) },
    keyAlias: `alias/${resourceName('kmsAlias', app, stage, 'artifacts')}`,
    keyDescription: `Pipewright ${app}/${stage}: encrypts pipeline artifacts`,
    secrets: {
      approvalKey: secret(names, 'approval-key'),
      apiToken: secret(names, 'api-token'),
      webhookSecret: secret(names, 'webhook-secret'),
    },
    runnerProject: {
      name: runner,
      arn: arnOf(names, 'codebuild', `project/${runner}`),
      role: { name: runnerRole, arn: iamArn(runnerRole) },
      logGroup: logGroup(names, `/aws/codebuild/${runner}`),
    },
    schedulerRole: { name: schedulerRole, arn: iamArn(schedulerRole) },
    functions,
  };
}

/**
 * The names and ARNs of one pipeline's resources.
 *
 * @example
 * ```ts
 * pipelineResourceNames(names, 'web-app').stateMachine.arn; // 'arn:aws:states:eu-west-1:123456789012:stateMachine:pipewright-prod-web-app'
 * ```
 */
export function pipelineResourceNames(names: DeploymentSite, pipelineName: string): PipelineResourceNames {
  const { app, stage } = names;
  const machine = resourceName('stateMachine', app, stage, pipelineName);
  const role = resourceName('role', app, stage, pipelineName, 'sfn');
  const topic = resourceName('topic', app, stage, pipelineName, 'notifications');
  return {
    stateMachine: {
      name: machine,
      arn: arnOf(names, 'states', `stateMachine:${machine}`),
      executionsArn: arnOf(names, 'states', `execution:${machine}:*`),
    },
    role: { name: role, arn: arnOf(names, 'iam', `role/${role}`, { region: '' }) },
    logGroup: logGroup(names, `/aws/vendedlogs/states/${machine}`),
    topic: { name: topic, arn: arnOf(names, 'sns', topic) },
  };
}

/**
 * The start every `kind` name of the stage shares: `<app>-<stage>-` when those characters are
 * valid for `kind`, else the form {@link resourceName} gives them when it makes a name fit.
 * The deployment plan checks that every pipeline's names start with it (`PW7012`).
 *
 * @example
 * ```ts
 * resourceNamePrefix('stateMachine', 'pipewright', 'prod'); // 'pipewright-prod-'
 * ```
 */
export function resourceNamePrefix(kind: ResourceKind, app: string, stage: string): string {
  const rule: { lowercase?: boolean; disallowed: RegExp } = RESOURCE_NAME_RULES[kind];
  const raw = `${app}-${stage}-`;
  return (rule.lowercase ? raw.toLowerCase() : raw)
    .replace(rule.disallowed, '-')
    .replace(/^[^A-Za-z0-9]+/, '');
}

/**
 * The per-pipeline resources of a stage as patterns, so that nothing in a function's
 * environment, an IAM policy or an EventBridge pattern lists the pipelines: the state
 * machines, their executions and the notification topics of `<app>-<stage>-*`.
 *
 * A stage whose name starts with another stage's name and a `-` (`prod` and `prod-eu`) falls
 * under the other's patterns too: give stages of one account distinct starts.
 *
 * @example
 * ```ts
 * stagePatterns(site).stateMachineArnPrefix; // 'arn:aws:states:eu-west-1:123456789012:stateMachine:pipewright-prod-'
 * stagePatterns(site).stateMachines; // 'arn:aws:states:eu-west-1:123456789012:stateMachine:pipewright-prod-*'
 * ```
 */
export function stagePatterns(site: DeploymentSite): StagePatterns {
  const machine = resourceNamePrefix('stateMachine', site.app, site.stage);
  const topic = resourceNamePrefix('topic', site.app, site.stage);
  const stateMachineArnPrefix = arnOf(site, 'states', `stateMachine:${machine}`);
  return {
    stateMachinePrefix: machine,
    topicPrefix: topic,
    stateMachineArnPrefix,
    stateMachines: `${stateMachineArnPrefix}*`,
    executions: arnOf(site, 'states', `execution:${machine}*:*`),
    topics: arnOf(site, 'sns', `${topic}*`),
  };
}

/** What {@link stagePatterns} returns. @example `stagePatterns(site).topics // 'arn:aws:sns:eu-west-1:123456789012:pipewright-prod-*'` */
export interface StagePatterns {
  /** The start of every state machine's name. */
  stateMachinePrefix: string;
  /** The start of every topic's name. */
  topicPrefix: string;
  /** The start of every state machine's ARN (an EventBridge `prefix` pattern). */
  stateMachineArnPrefix: string;
  /** IAM resource pattern of the state machines. */
  stateMachines: string;
  /** IAM resource pattern of their executions. */
  executions: string;
  /** IAM resource pattern of the notification topics. */
  topics: string;
}
