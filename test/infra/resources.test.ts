/**
 * What `infra/` declares for the examples (and `release`), run under Pulumi's mocks: no engine,
 * no AWS. Every resource the declarations register is recorded with its resolved inputs, and
 * checked against the deployment plan: types, names with the stage, the state machines'
 * definitions and roles, rule patterns and targets, schedules, subscriptions, the bucket's
 * encryption with the KMS key. (Mocks are process-global; vitest runs each file in its own
 * process, `pool: 'forks'`.)
 */
import {
  type DeploymentPlan,
  deploymentPlan,
  policyDocument,
  sharedResourceNames,
} from '@pipewright/core/deploy';
import * as pulumi from '@pulumi/pulumi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineResources } from '../../infra/pipeline-resources.ts';
import type { Platform } from '../../infra/platform.ts';
import { artifactKey, eventTableArgs, sharedResources, sharedWiring } from '../../infra/shared-resources.ts';
import { deploymentSite } from '../../infra/site.ts';
import { toSstPermissions } from '../../infra/sst-permissions.ts';
import { cleanupsAfter } from '../support/cleanups.ts';
import { examplePipelines, siteCall } from './example-pipelines.ts';

interface Declared {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/mock-key-id';
const FAILED_DELIVERIES = 'arn:aws:sqs:eu-west-1:123456789012:pipewright-test-failed-deliveries';
const declared: Declared[] = [];
const calls: string[] = [];

/** The ARN the mocked provider gives a resource of `type` named `name` (inputs as sent). */
function mockArn(type: string, name: string, inputs: Record<string, unknown>): string {
  const physical = String(inputs.name ?? name);
  if (type === 'aws:kms/key:Key') return KEY_ARN;
  if (type === 'aws:iam/role:Role') return `arn:aws:iam::123456789012:role/${physical}`;
  if (type === 'aws:cloudwatch/eventRule:EventRule')
    return `arn:aws:events:eu-west-1:123456789012:rule/${String(inputs.eventBusName)}/${physical}`;
  if (type === 'aws:sns/topic:Topic') return `arn:aws:sns:eu-west-1:123456789012:${physical}`;
  return `arn:aws:mock:eu-west-1:123456789012:${type}/${physical}`;
}

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      declared.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
      const inputs = args.inputs as Record<string, unknown>;
      const state: Record<string, unknown> = { ...inputs, arn: mockArn(args.type, args.name, inputs) };
      if (args.type === 'aws:kms/key:Key') state.keyId = 'mock-key-id';
      if (args.type === 'aws:dynamodb/table:Table')
        state.streamArn = `arn:aws:dynamodb:eu-west-1:123456789012:table/${String(inputs.name)}/stream/2026-01-01T00:00:00.000`;
      return { id: `${args.name}_id`, state };
    },
    call: (args) => {
      calls.push(args.token);
      return siteCall(args.token);
    },
  },
  'pipewright',
  'test',
  false,
);

const cleanups = cleanupsAfter(afterAll);
let plan: DeploymentPlan<pulumi.Output<string>>;
let resolvedPlan: DeploymentPlan<string>;

/** Resolves once every resource in `value` (deeply) is registered. */
async function registered(value: unknown): Promise<void> {
  const urns: pulumi.Output<string>[] = [];
  const walk = (v: unknown): void => {
    if (pulumi.Resource.isInstance(v)) urns.push(v.urn);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object' && !pulumi.Output.isInstance(v))
      Object.values(v).forEach(walk);
  };
  walk(value);
  await new Promise<void>((resolve) => pulumi.all(urns).apply(() => resolve()));
}

function ofType(type: string): Declared[] {
  return declared.filter((d) => d.type === type);
}

function one(type: string, predicate: (d: Declared) => boolean = () => true): Declared {
  const found = ofType(type).filter(predicate);
  expect(found, `${type}`).toHaveLength(1);
  return found[0] as Declared;
}

beforeAll(async () => {
  const platform: Platform = { aws: await import('@pulumi/aws'), pulumi };
  const { pipelines } = examplePipelines(cleanups, { release: true });
  const site = await deploymentSite(platform, 'pipewright', 'test');
  const names = sharedResourceNames(site);
  const key = artifactKey(platform, {
    alias: names.keyAlias,
    description: names.keyDescription,
    retain: false,
  });
  plan = deploymentPlan(pipelines, { ...site, artifactKeyArn: key.key.arn });
  resolvedPlan = deploymentPlan(pipelines, { ...site, artifactKeyArn: KEY_ARN });
  const shared = sharedResources(platform, plan, {
    retain: false,
    secrets: { approvalKey: 'a2V5', apiToken: 'token', webhookSecret: 'secret' },
  });
  const wiring = sharedWiring(platform, plan, shared, { dependsOn: [] });
  const perPipeline = plan.pipelines.map((p) =>
    pipelineResources(platform, plan, p, {
      busName: shared.bus.name,
      ...(shared.scheduler ? { scheduler: shared.scheduler } : {}),
      dependsOn: [],
    }),
  );
  await registered([key, shared, wiring, perPipeline]);
});

describe('infra under Pulumi mocks', () => {
  it('reads the account, region and partition from the provider before declaring anything', () => {
    expect(calls.slice(0, 3).sort()).toEqual([
      'aws:index/getCallerIdentity:getCallerIdentity',
      'aws:index/getPartition:getPartition',
      'aws:index/getRegion:getRegion',
    ]);
  });

  it('declares the expected resources, each named with the app and stage', () => {
    const count = (type: string) => ofType(type).length;
    expect(count('aws:sfn/stateMachine:StateMachine')).toBe(4);
    expect(count('aws:sns/topic:Topic')).toBe(4);
    expect(count('aws:sns/topicSubscription:TopicSubscription')).toBe(2);
    expect(count('aws:scheduler/schedule:Schedule')).toBe(2);
    // release 2 (its event pattern on both buses), the webhook relay 1, callback 2.
    expect(count('aws:cloudwatch/eventRule:EventRule')).toBe(5);
    expect(count('aws:cloudwatch/eventTarget:EventTarget')).toBe(5);
    expect(count('aws:lambda/permission:Permission')).toBe(5);
    // 4 state machine roles, the runner's, the scheduler's.
    expect(count('aws:iam/role:Role')).toBe(6);
    expect(count('aws:iam/rolePolicy:RolePolicy')).toBe(6);
    expect(count('aws:dynamodb/table:Table')).toBe(1);
    expect(count('aws:cloudwatch/eventBus:EventBus')).toBe(1);
    expect(count('aws:codebuild/project:Project')).toBe(1);
    expect(count('aws:secretsmanager/secret:Secret')).toBe(3);
    expect(count('aws:secretsmanager/secretVersion:SecretVersion')).toBe(3);
    expect(count('aws:lambda/eventSourceMapping:EventSourceMapping')).toBe(1);
    const named = declared.flatMap((d) => {
      const name = d.type === 'aws:s3/bucket:Bucket' ? d.inputs.bucket : d.inputs.name;
      return typeof name === 'string' && d.type !== 'aws:iam/rolePolicy:RolePolicy' ? [name] : [];
    });
    expect(named.length).toBeGreaterThan(30);
    for (const name of named) expect(name).toMatch(/pipewright[-/]test[-/]/);
  });

  it('encrypts the artifact bucket with the KMS key by default, and blocks public access', () => {
    const bucket = one('aws:s3/bucket:Bucket');
    expect(bucket.inputs).toMatchObject({
      bucket: 'pipewright-test-artifacts-123456789012-eu-west-1',
      forceDestroy: true,
    });
    expect(
      one('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration').inputs,
    ).toEqual({
      bucket: 'ArtifactBucket_id',
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: KEY_ARN },
          bucketKeyEnabled: true,
        },
      ],
    });
    expect(one('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock').inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(JSON.parse(String(one('aws:s3/bucketPolicy:BucketPolicy').inputs.policy))).toEqual(
      resolvedPlan.bucket.policy,
    );
    expect(one('aws:kms/key:Key').inputs).toMatchObject({ enableKeyRotation: true });
    expect(one('aws:kms/alias:Alias').inputs).toEqual({
      name: 'alias/pipewright-test-artifacts',
      targetKeyId: 'mock-key-id',
    });
  });

  it('declares the event table from the adapters’ definition, with its stream and TTL', () => {
    const table = one('aws:dynamodb/table:Table');
    expect(table.inputs).toMatchObject({
      name: 'pipewright-test-events',
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'pk',
      rangeKey: 'sk',
      streamEnabled: true,
      streamViewType: 'NEW_IMAGE',
      ttl: { attributeName: 'expiresAt', enabled: true },
      globalSecondaryIndexes: [
        {
          name: 'gsi1',
          hashKey: 'gsi1pk',
          rangeKey: 'gsi1sk',
          projectionType: 'INCLUDE',
          nonKeyAttributes: ['pipeline', 'createdAt'],
        },
      ],
    });
    expect(table.inputs).toMatchObject(JSON.parse(JSON.stringify(eventTableArgs('pipewright-test-events'))));
    expect(one('aws:lambda/eventSourceMapping:EventSourceMapping').inputs).toMatchObject({
      eventSourceArn:
        'arn:aws:dynamodb:eu-west-1:123456789012:table/pipewright-test-events/stream/2026-01-01T00:00:00.000',
      functionName: 'pipewright-test-projector',
      startingPosition: 'TRIM_HORIZON',
      functionResponseTypes: ['ReportBatchItemFailures'],
      maximumRetryAttempts: 20,
      maximumRecordAgeInSeconds: 21_600,
    });
  });

  it('deploys each state machine with its definition, its own role and policy, and logs to its log group', () => {
    for (const p of resolvedPlan.pipelines) {
      const machine = one('aws:sfn/stateMachine:StateMachine', (d) => d.inputs.name === p.stateMachine.name);
      expect(machine.inputs).toEqual({
        name: p.stateMachine.name,
        type: 'STANDARD',
        roleArn: `arn:aws:iam::123456789012:role/${p.stateMachine.role.name}`,
        definition: p.stateMachine.definition,
        loggingConfiguration: {
          level: 'ERROR',
          includeExecutionData: true,
          logDestination: `arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/states/${p.stateMachine.name}:*`,
        },
      });
      const role = one('aws:iam/role:Role', (d) => d.inputs.name === p.stateMachine.role.name);
      expect(JSON.parse(String(role.inputs.assumeRolePolicy))).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'states.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
          },
        ],
      });
      const policy = one('aws:iam/rolePolicy:RolePolicy', (d) => d.name === `Pipeline/${p.name}/Role/Policy`);
      expect(policy.inputs.role).toBe(p.stateMachine.role.name);
      expect(JSON.parse(String(policy.inputs.policy))).toEqual(policyDocument(p.stateMachine.role.policy));
      expect(p.stateMachine.role.policy[0]?.Resource).toEqual([
        'arn:aws:lambda:eu-west-1:123456789012:function:pipewright-test-action-runner',
        'arn:aws:lambda:eu-west-1:123456789012:function:pipewright-test-stage-gate',
      ]);
      expect(
        one('aws:cloudwatch/logGroup:LogGroup', (d) => d.inputs.name === p.stateMachine.logGroup.name).inputs,
      ).toMatchObject({
        retentionInDays: 30,
      });
    }
  });

  it('resolves the key into the runner role’s policy, and declares the runner project without source or artifacts', () => {
    const policy = one('aws:iam/rolePolicy:RolePolicy', (d) => d.name === 'RunnerRole/Policy');
    expect(JSON.parse(String(policy.inputs.policy))).toEqual(
      policyDocument(resolvedPlan.runnerProject.role.policy),
    );
    expect(String(policy.inputs.policy)).toContain(KEY_ARN);
    expect(one('aws:codebuild/project:Project').inputs).toMatchObject({
      name: 'pipewright-test-runner',
      serviceRole: 'arn:aws:iam::123456789012:role/pipewright-test-runner-codebuild',
      source: { type: 'NO_SOURCE', buildspec: resolvedPlan.runnerProject.buildspec },
      artifacts: { type: 'NO_ARTIFACTS' },
      encryptionKey: KEY_ARN,
      logsConfig: {
        cloudwatchLogs: { groupName: '/aws/codebuild/pipewright-test-runner', status: 'ENABLED' },
      },
    });
  });

  it("routes every trigger rule's pattern to the trigger function on its bus, with a scoped permission", () => {
    for (const p of resolvedPlan.pipelines) {
      p.rules.forEach((spec, i) => {
        const rule = one(
          'aws:cloudwatch/eventRule:EventRule',
          (d) => d.name === `Pipeline/${p.name}/Rule${i + 1}`,
        );
        expect(rule.inputs).toEqual({
          name: spec.name,
          description: spec.description,
          eventBusName: spec.eventBus === 'default' ? 'default' : 'pipewright-test-bus',
          eventPattern: JSON.stringify(spec.eventPattern),
        });
        const target = one(
          'aws:cloudwatch/eventTarget:EventTarget',
          (d) => d.name === `Pipeline/${p.name}/Rule${i + 1}/Target`,
        );
        expect(target.inputs).toEqual({
          rule: spec.name,
          eventBusName: rule.inputs.eventBusName,
          arn: 'arn:aws:lambda:eu-west-1:123456789012:function:pipewright-test-trigger',
          inputTransformer: { inputTemplate: spec.inputTemplate },
          deadLetterConfig: { arn: FAILED_DELIVERIES },
        });
        const permission = one(
          'aws:lambda/permission:Permission',
          (d) => d.name === `Pipeline/${p.name}/Rule${i + 1}/Invoke`,
        );
        expect(permission.inputs).toEqual({
          action: 'lambda:InvokeFunction',
          function: 'pipewright-test-trigger',
          principal: 'events.amazonaws.com',
          sourceArn: mockArn('aws:cloudwatch/eventRule:EventRule', '', rule.inputs),
        });
      });
    }
    const release = resolvedPlan.pipelines.find((p) => p.name === 'release');
    expect(release?.rules.map((r) => [r.eventBus, r.eventPattern])).toEqual([
      ['pipewright', { source: ['acme.deploys'], 'detail-type': ['Deploy Requested'] }],
      ['default', { source: ['acme.deploys'], 'detail-type': ['Deploy Requested'] }],
    ]);
  });

  it('hands relayed webhook deliveries on Pipewright’s bus to the trigger function, the event as it is', () => {
    const spec = resolvedPlan.webhookRule;
    const rule = one('aws:cloudwatch/eventRule:EventRule', (d) => d.inputs.name === spec.name);
    expect(rule.inputs).toMatchObject({
      eventBusName: 'pipewright-test-bus',
      eventPattern: JSON.stringify({
        source: ['pipewright.webhook'],
        'detail-type': ['Pipewright Trigger Delivery'],
      }),
    });
    const target = one('aws:cloudwatch/eventTarget:EventTarget', (d) => d.inputs.rule === spec.name);
    expect(target.inputs.arn).toBe('arn:aws:lambda:eu-west-1:123456789012:function:pipewright-test-trigger');
    expect(target.inputs.inputTransformer).toBeUndefined();
  });

  it('keeps what the trigger and callback functions fail on after their retries in a queue', () => {
    const queue = one('aws:sqs/queue:Queue');
    expect(queue.inputs).toMatchObject({
      name: 'pipewright-test-failed-deliveries',
      sqsManagedSseEnabled: true,
    });
    const configs = ofType('aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig');
    expect(configs.map((c) => c.inputs.functionName)).toEqual([
      'pipewright-test-trigger',
      'pipewright-test-callback',
    ]);
    for (const c of configs)
      expect(c.inputs).toMatchObject({
        maximumRetryAttempts: 2,
        destinationConfig: { onFailure: { destination: mockArn('aws:sqs/queue:Queue', '', queue.inputs) } },
      });
  });

  it('sends the stream batches the projector passes over to the queue, lets the stage’s rules dead-letter there, and alarms on it', () => {
    const mapping = one('aws:lambda/eventSourceMapping:EventSourceMapping');
    expect(mapping.inputs.destinationConfig).toEqual({
      onFailure: { destinationArn: mockArn('aws:sqs/queue:Queue', '', one('aws:sqs/queue:Queue').inputs) },
    });
    const policy = JSON.parse(String(one('aws:sqs/queuePolicy:QueuePolicy').inputs.policy));
    expect(policy.Statement[0]).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: FAILED_DELIVERIES,
      Condition: {
        ArnLike: {
          'aws:SourceArn': [
            'arn:aws:events:eu-west-1:123456789012:rule/pipewright-test-*',
            'arn:aws:events:eu-west-1:123456789012:rule/pipewright-test-bus/pipewright-test-*',
          ],
        },
      },
    });
    expect(one('aws:cloudwatch/metricAlarm:MetricAlarm').inputs).toMatchObject({
      name: 'pipewright-test-failed-deliveries-waiting',
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: 'pipewright-test-failed-deliveries' },
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
    });
    // The projector may send there: the destination uses the function's own role.
    expect(
      resolvedPlan.functions.projector.policy.find((s) => s.Sid === 'FailedDeliveries')?.Resource,
    ).toEqual([FAILED_DELIVERIES]);
  });

  it('feeds the callback function from the default bus', () => {
    for (const spec of resolvedPlan.callbackRules) {
      expect(
        one('aws:cloudwatch/eventRule:EventRule', (d) => d.inputs.name === spec.name).inputs,
      ).toMatchObject({
        eventBusName: 'default',
        eventPattern: JSON.stringify(spec.eventPattern),
      });
      expect(
        one('aws:cloudwatch/eventTarget:EventTarget', (d) => d.inputs.rule === spec.name).inputs,
      ).toEqual({
        rule: spec.name,
        eventBusName: 'default',
        arn: 'arn:aws:lambda:eu-west-1:123456789012:function:pipewright-test-callback',
        deadLetterConfig: { arn: FAILED_DELIVERIES },
      });
    }
  });

  it('schedules with Scheduler through the scheduler role, whose policy may only invoke the trigger function', () => {
    const schedules = ofType('aws:scheduler/schedule:Schedule').map((d) => d.inputs);
    expect(schedules).toEqual(
      resolvedPlan.pipelines.flatMap((p) =>
        p.schedules.map((s) => ({
          name: s.name,
          description: s.description,
          groupName: 'default',
          scheduleExpression: s.scheduleExpression,
          scheduleExpressionTimezone: s.scheduleExpressionTimezone,
          flexibleTimeWindow: { mode: 'OFF' },
          target: {
            arn: 'arn:aws:lambda:eu-west-1:123456789012:function:pipewright-test-trigger',
            roleArn: 'arn:aws:iam::123456789012:role/pipewright-test-scheduler',
            input: s.input,
            deadLetterConfig: { arn: FAILED_DELIVERIES },
          },
        })),
      ),
    );
    expect(schedules.map((s) => [s.scheduleExpression, s.scheduleExpressionTimezone])).toEqual([
      ['cron(30 1 ? * SUN *)', 'Europe/Paris'],
      ['cron(0 6 ? * MON-FRI *)', 'UTC'],
    ]);
    const policy = one('aws:iam/rolePolicy:RolePolicy', (d) => d.name === 'SchedulerRole/Policy');
    expect(JSON.parse(String(policy.inputs.policy)).Statement).toEqual(resolvedPlan.scheduler?.role.policy);
  });

  it("subscribes each approver's email once to the pipeline's topic, filtered to its targets", () => {
    const subscriptions = ofType('aws:sns/topicSubscription:TopicSubscription').map((d) => d.inputs);
    expect(subscriptions).toEqual([
      {
        topic: 'arn:aws:sns:eu-west-1:123456789012:pipewright-test-release-notifications',
        protocol: 'email',
        endpoint: 'lead@example.com',
        filterPolicy: '{"target":["0"]}',
        filterPolicyScope: 'MessageAttributes',
      },
      {
        topic: 'arn:aws:sns:eu-west-1:123456789012:pipewright-test-release-notifications',
        protocol: 'email',
        endpoint: 'ops@example.com',
        filterPolicy: '{"target":["0","1"]}',
        filterPolicyScope: 'MessageAttributes',
      },
    ]);
  });

  it('stores the approval key, API token and webhook secret in Secrets Manager, as Pulumi secrets', () => {
    // A secret reaches the engine wrapped with Pulumi's secret signature (never in plain state).
    const secret = (value: string) => ({
      [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
      value,
    });
    expect(ofType('aws:secretsmanager/secret:Secret').map((s) => s.inputs.name)).toEqual([
      'pipewright/test/approval-key',
      'pipewright/test/api-token',
      'pipewright/test/webhook-secret',
    ]);
    expect(
      ofType('aws:secretsmanager/secretVersion:SecretVersion').map((v) => v.inputs.secretString),
    ).toEqual([secret('a2V5'), secret('token'), secret('secret')]);
  });

  it("maps every function's statements onto SST permissions, conditions included", () => {
    const release = resolvedPlan.functions.actionRunner.policy;
    const permissions = toSstPermissions(release);
    expect(permissions).toHaveLength(release.length);
    expect(permissions.find((p) => p.actions.includes('iam:PassRole'))).toEqual({
      actions: ['iam:PassRole'],
      resources: ['arn:aws:iam::123456789012:role/release-cfn'],
      conditions: [
        { test: 'StringEquals', variable: 'iam:PassedToService', values: ['cloudformation.amazonaws.com'] },
      ],
    });
    expect(permissions.find((p) => p.actions.includes('cloudformation:CreateChangeSet'))?.resources).toEqual([
      'arn:aws:cloudformation:eu-west-1:123456789012:stack/release-app/*',
    ]);
  });
});
