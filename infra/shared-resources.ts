/**
 * The resources all pipelines share, declared from the deployment plan: the artifact key,
 * the event table with its stream, Pipewright's bus, the KMS-encrypted artifact bucket, the
 * Secrets Manager secrets, the CodeBuild runner project and the scheduler role; and, once the
 * functions exist, the callback function's rules and the projector's stream subscription.
 * Nothing here decides: every name, policy and setting comes from `deploymentPlan`.
 */
import {
  type DeploymentPlan,
  LOG_RETENTION_DAYS,
  type PolicyStatement,
  policyDocument,
  type RolePlan,
} from '@pipewright/core/deploy';
import type * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { eventTableDefinition, eventTableTimeToLive } from '../packages/aws/src/event-table.ts';
import { artifactBucket } from './artifact-bucket.ts';
import { type EventRuleResources, eventRule } from './event-rule.ts';
import { failedDeliveriesQueue } from './failed-deliveries.ts';
import type { Platform } from './platform.ts';
import { projectorMapping } from './projector-mapping.ts';
import { type SharedSecrets, sharedSecrets } from './shared-secrets.ts';

export type { SharedSecrets } from './shared-secrets.ts';

/** The plan as infra gets it: the key's ARN is an output. @example `const plan: Plan = deploymentPlan(pipelines, { ...site, artifactKeyArn: key.arn })` */
export type Plan = DeploymentPlan<pulumi.Output<string>>;

/** The shared resources. @example `sharedResources(platform, plan, options).table.streamArn` */
export interface SharedResources {
  table: aws.dynamodb.Table;
  bus: aws.cloudwatch.EventBus;
  bucket: aws.s3.Bucket;
  bucketEncryption: aws.s3.BucketServerSideEncryptionConfiguration;
  secrets: Record<keyof SharedSecrets, aws.secretsmanager.Secret>;
  /** The secrets' values (first deploy only; later deploys keep what is stored). */
  secretValues: aws.secretsmanager.SecretVersion[];
  runner: {
    project: aws.codebuild.Project;
    role: aws.iam.Role;
    policy: aws.iam.RolePolicy;
    logGroup: aws.cloudwatch.LogGroup;
  };
  scheduler?: { role: aws.iam.Role; policy: aws.iam.RolePolicy };
}

/**
 * The artifact key and its alias; declared before the plan, whose policies name the key.
 *
 * @example
 * ```ts
 * const { key } = artifactKey(platform, { alias: sharedResourceNames(site).keyAlias, description, retain });
 * const plan = deploymentPlan(pipelines, { ...site, artifactKeyArn: key.arn });
 * ```
 */
export function artifactKey(
  platform: Platform,
  input: { alias: string; description: string; retain: boolean },
): { key: aws.kms.Key; alias: aws.kms.Alias } {
  const { aws } = platform;
  const key = new aws.kms.Key(
    'ArtifactKey',
    { description: input.description, enableKeyRotation: true, deletionWindowInDays: 30 },
    { retainOnDelete: input.retain },
  );
  const alias = new aws.kms.Alias('ArtifactKeyAlias', { name: input.alias, targetKeyId: key.keyId });
  return { key, alias };
}

/**
 * The JSON of a policy whose statements may hold outputs (the key's ARN).
 *
 * @example
 * ```ts
 * new aws.iam.RolePolicy('P', { role: role.name, policy: policyJson(platform, plan.runnerProject.role.policy) });
 * ```
 */
export function policyJson(
  platform: Platform,
  statements: PolicyStatement<pulumi.Output<string>>[],
): pulumi.Output<string> {
  return platform.pulumi.jsonStringify(policyDocument(statements));
}

/**
 * A role of the plan with its inline policy.
 *
 * @example
 * ```ts
 * const { role, policy } = planRole(platform, 'RunnerRole', plan.runnerProject.role);
 * ```
 */
export function planRole(
  platform: Platform,
  logical: string,
  plan: RolePlan<pulumi.Output<string>>,
): { role: aws.iam.Role; policy: aws.iam.RolePolicy } {
  const { aws } = platform;
  const role = new aws.iam.Role(logical, {
    name: plan.name,
    assumeRolePolicy: JSON.stringify(plan.trustPolicy),
  });
  const policy = new aws.iam.RolePolicy(`${logical}/Policy`, {
    name: 'pipewright',
    role: role.name,
    policy: policyJson(platform, plan.policy),
  });
  return { role, policy };
}

/**
 * The DynamoDB table's arguments from the table definition the AWS adapters use
 * (`eventTableDefinition`), so the deployed table and the tested one cannot differ.
 *
 * @example
 * ```ts
 * new aws.dynamodb.Table('EventTable', eventTableArgs('pipewright-prod-events'));
 * ```
 */
export function eventTableArgs(name: string): aws.dynamodb.TableArgs {
  const def = eventTableDefinition(name);
  const key = (schema: typeof def.KeySchema, type: 'HASH' | 'RANGE') =>
    schema?.find((k) => k.KeyType === type)?.AttributeName;
  const ttl = eventTableTimeToLive(name).TimeToLiveSpecification;
  return {
    name,
    billingMode: def.BillingMode ?? 'PAY_PER_REQUEST',
    attributes: (def.AttributeDefinitions ?? []).map((a) => ({
      name: a.AttributeName ?? '',
      type: a.AttributeType ?? 'S',
    })),
    hashKey: key(def.KeySchema, 'HASH'),
    rangeKey: key(def.KeySchema, 'RANGE'),
    globalSecondaryIndexes: (def.GlobalSecondaryIndexes ?? []).map((g) => ({
      name: g.IndexName ?? '',
      hashKey: key(g.KeySchema, 'HASH'),
      rangeKey: key(g.KeySchema, 'RANGE'),
      projectionType: g.Projection?.ProjectionType ?? 'ALL',
      ...(g.Projection?.NonKeyAttributes ? { nonKeyAttributes: g.Projection.NonKeyAttributes } : {}),
    })),
    streamEnabled: def.StreamSpecification?.StreamEnabled ?? false,
    ...(def.StreamSpecification?.StreamViewType
      ? { streamViewType: def.StreamSpecification.StreamViewType }
      : {}),
    ...(ttl ? { ttl: { attributeName: ttl.AttributeName ?? '', enabled: ttl.Enabled ?? true } } : {}),
    pointInTimeRecovery: { enabled: true },
  };
}

/**
 * Declares the shared resources of `plan`.
 *
 * @example
 * ```ts
 * const shared = sharedResources(platform, plan, { retain: $app.removal !== 'remove', secrets });
 * ```
 */
export function sharedResources(
  platform: Platform,
  plan: Plan,
  options: { retain: boolean; secrets: SharedSecrets },
): SharedResources {
  const { aws } = platform;
  const retain = { retainOnDelete: options.retain };

  const table = new aws.dynamodb.Table('EventTable', eventTableArgs(plan.table.name), retain);
  const bus = new aws.cloudwatch.EventBus('Bus', { name: plan.bus.name });

  const { bucket, bucketEncryption } = artifactBucket(platform, plan, options);
  const { secrets, secretValues } = sharedSecrets(platform, plan, options);

  const runnerPlan = plan.runnerProject;
  const logGroup = new aws.cloudwatch.LogGroup('RunnerLogs', {
    name: runnerPlan.logGroupName,
    retentionInDays: LOG_RETENTION_DAYS,
  });
  const runnerRole = planRole(platform, 'RunnerRole', runnerPlan.role);
  const project = new aws.codebuild.Project(
    'Runner',
    {
      name: runnerPlan.name,
      description: runnerPlan.description,
      serviceRole: runnerRole.role.arn,
      buildTimeout: runnerPlan.buildTimeoutMinutes,
      encryptionKey: plan.key.arn,
      source: { type: 'NO_SOURCE', buildspec: runnerPlan.buildspec },
      artifacts: { type: 'NO_ARTIFACTS' },
      environment: {
        type: 'LINUX_CONTAINER',
        image: runnerPlan.image,
        computeType: runnerPlan.computeType,
        imagePullCredentialsType: 'CODEBUILD',
      },
      logsConfig: { cloudwatchLogs: { groupName: logGroup.name, status: 'ENABLED' } },
    },
    { dependsOn: [runnerRole.policy] },
  );

  return {
    table,
    bus,
    bucket,
    bucketEncryption,
    secrets,
    secretValues,
    runner: { project, role: runnerRole.role, policy: runnerRole.policy, logGroup },
    ...(plan.scheduler ? { scheduler: planRole(platform, 'SchedulerRole', plan.scheduler.role) } : {}),
  };
}

/** The wiring declared once the functions exist. @example `sharedWiring(platform, plan, shared, { dependsOn }).callbackRules.length // 2` */
export interface SharedWiring {
  callbackRules: EventRuleResources[];
  webhookRule: EventRuleResources;
  /**
   * Where everything delivered in vain goes: failed asynchronous invocations of the trigger and
   * callback functions, stream batches the projector passed over, events rules and schedules
   * could not deliver. `pipewright replay-failed` redelivers them.
   */
  failedDeliveries: aws.sqs.Queue;
  failedDeliveriesPolicy: aws.sqs.QueuePolicy;
  /** In alarm while the queue holds anything. */
  failedDeliveriesAlarm: aws.cloudwatch.MetricAlarm;
  asyncInvokes: aws.lambda.FunctionEventInvokeConfig[];
  projectorSubscription: aws.lambda.EventSourceMapping;
}

/**
 * The callback function's default-bus rules, the trigger function's rule for relayed webhook
 * deliveries, and the projector's subscription to the table's
 * stream: new event items only (`INSERT` of `item = event`), oldest first, failed records
 * reported per item.
 *
 * @example
 * ```ts
 * sharedWiring(platform, plan, shared, { dependsOn: Object.values(functions) });
 * ```
 */
export function sharedWiring(
  platform: Platform,
  plan: Plan,
  shared: Pick<SharedResources, 'table' | 'bus'>,
  options: { dependsOn: pulumi.Input<pulumi.Resource>[] },
): SharedWiring {
  const { aws } = platform;
  const {
    queue: failedDeliveries,
    policy: failedDeliveriesPolicy,
    alarm: failedDeliveriesAlarm,
  } = failedDeliveriesQueue(platform, plan);
  const deadLetters = { deadLetterArn: plan.failedDeliveries.arn };
  const callbackRules = plan.callbackRules.map((spec) =>
    eventRule(platform, `CallbackRule/${spec.name}`, spec, {
      functionName: plan.functions.callback.name,
      functionArn: plan.functions.callback.arn,
      busName: shared.bus.name,
      dependsOn: [...options.dependsOn, failedDeliveriesPolicy],
      ...deadLetters,
    }),
  );
  const webhookRule = eventRule(platform, `TriggerRule/${plan.webhookRule.name}`, plan.webhookRule, {
    functionName: plan.functions.trigger.name,
    functionArn: plan.functions.trigger.arn,
    busName: shared.bus.name,
    dependsOn: [...options.dependsOn, failedDeliveriesPolicy],
    ...deadLetters,
  });
  const asyncInvokes = (['trigger', 'callback'] as const).map(
    (key) =>
      new aws.lambda.FunctionEventInvokeConfig(
        `${key === 'trigger' ? 'Trigger' : 'Callback'}Async`,
        {
          functionName: plan.functions[key].name,
          maximumRetryAttempts: 2,
          maximumEventAgeInSeconds: 6 * 3600,
          destinationConfig: { onFailure: { destination: failedDeliveries.arn } },
        },
        { dependsOn: options.dependsOn },
      ),
  );
  const projectorSubscription = projectorMapping(platform, plan, shared, failedDeliveries, options.dependsOn);
  return {
    callbackRules,
    webhookRule,
    projectorSubscription,
    failedDeliveries,
    failedDeliveriesPolicy,
    failedDeliveriesAlarm,
    asyncInvokes,
  };
}
