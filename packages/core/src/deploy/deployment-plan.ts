/**
 * Everything `sst deploy` creates for a set of pipelines, as one plain object: names, ARNs,
 * policies, definitions, rules, schedules, subscriptions, function settings and environment.
 * `infra/` turns it into resources one to one and decides nothing; tests inspect it.
 */
import type { Pipeline } from '../model/pipeline.ts';
import { type ApprovalSubscription, approvalSubscriptions } from './approval-subscriptions.ts';
import {
  type DeploymentNames,
  FUNCTION_FILES,
  FUNCTION_KEYS,
  type FunctionKey,
  type NamedArn,
  pipelineResourceNames,
  type SharedResourceNames,
  sharedResourceNames,
} from './deployment-names.ts';
import { failedDeliveriesPolicy } from './failed-deliveries-policy.ts';
import { functionPolicies, runnerProjectPolicy, schedulerPolicy } from './function-policies.ts';
import { pipelinePolicy } from './pipeline-policy.ts';
import { type ManagedPolicyPlan, placePolicy } from './policy-placement.ts';
import { type PolicyStatement, trustPolicy } from './policy-statement.ts';
import { providerGrants } from './provider-grants.ts';
import { stateMachineDefinition } from './state-machine-definition.ts';
import {
  callbackRules,
  type EventRuleSpec,
  type TriggerRule,
  triggerRules,
  webhookRelayRule,
} from './trigger-rules.ts';
import { type TriggerSchedule, triggerSchedules } from './trigger-schedules.ts';
import { checkUniqueNames } from './unique-resource-names.ts';

/** The Lambda runtime of every function. */
export const LAMBDA_RUNTIME = 'nodejs24.x';
/** Days CloudWatch keeps the state machines' execution logs. */
export const LOG_RETENTION_DAYS = 30;

/**
 * Timeout, memory and purpose of each function.
 *
 * @example
 * ```ts
 * FUNCTION_SETTINGS.actionRunner.timeoutSeconds; // 900
 * ```
 */
export const FUNCTION_SETTINGS: Readonly<
  Record<FunctionKey, { timeoutSeconds: number; memoryMb: number; url: boolean; description: string }>
> = {
  actionRunner: {
    timeoutSeconds: 900,
    memoryMb: 1024,
    url: false,
    description: 'Pipewright: starts actions (CodeBuild, Lambda, CloudFormation, S3) for the state machines',
  },
  stageGate: {
    timeoutSeconds: 120,
    memoryMb: 512,
    url: false,
    description: 'Pipewright: stage gates, conditions, stage exits and execution finish',
  },
  callback: {
    timeoutSeconds: 120,
    memoryMb: 512,
    url: false,
    description: 'Pipewright: completes actions from CodeBuild and Step Functions events',
  },
  trigger: {
    timeoutSeconds: 60,
    memoryMb: 512,
    url: false,
    description: 'Pipewright: starts executions from EventBridge rules and schedules',
  },
  projector: {
    timeoutSeconds: 120,
    memoryMb: 512,
    url: false,
    description: 'Pipewright: read models, state-change events and notifications from the event table stream',
  },
  http: {
    timeoutSeconds: 30,
    memoryMb: 1024,
    url: true,
    description: 'Pipewright: API, dashboard, approval pages and GitHub webhooks',
  },
};

/** A role with its trust and identity policy. @example `plan.runnerProject.role.trustPolicy.Statement[0].Principal.Service // 'codebuild.amazonaws.com'` */
export interface RolePlan<K> extends NamedArn {
  /** The service that assumes it. */
  service: string;
  trustPolicy: ReturnType<typeof trustPolicy>;
  policy: PolicyStatement<K>[];
}

/** One function. @example `plan.functions.http.url // true` */
export interface FunctionPlan<K> extends NamedArn {
  key: FunctionKey;
  /** `packages/aws/src/lambda/<file>.handler`, relative to the project root. */
  handler: string;
  description: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** The function has a Function URL (the HTTP function). */
  url: boolean;
  /** Everything the function may do… */
  policy: PolicyStatement<K>[];
  /** …of which this is its role's inline policy (SST `permissions`)… */
  inlinePolicy: PolicyStatement<K>[];
  /** …and these the customer-managed policies attached to it (SST `policies`), when it does not fit. */
  managedPolicies: ManagedPolicyPlan<K>[];
}

/** The CodeBuild project Commands actions, git sources and inline buildspecs run in. @example `plan.runnerProject.computeType // 'BUILD_GENERAL1_SMALL'` */
export interface RunnerProjectPlan<K> extends NamedArn {
  description: string;
  role: RolePlan<K>;
  logGroupName: string;
  /** Default build timeout; each build sets its own from the action. */
  buildTimeoutMinutes: number;
  image: string;
  computeType: string;
  /** The project's buildspec; every build replaces it (`buildspecOverride`). */
  buildspec: string;
}

/** One pipeline's resources. @example `plan.pipelines[0].schedules[0].scheduleExpression // 'cron(0 6 ? * MON-FRI *)'` */
export interface PipelinePlan<K> {
  name: string;
  stateMachine: NamedArn & {
    /** The compiled definition (JSON). */
    definition: string;
    logGroup: NamedArn;
    role: RolePlan<K>;
  };
  rules: TriggerRule[];
  schedules: TriggerSchedule[];
  topic: NamedArn & { subscriptions: ApprovalSubscription[] };
}

/** Everything deployed for a set of pipelines. @example `deploymentPlan(pipelines, names).table.name // 'pipewright-prod-events'` */
export interface DeploymentPlan<K> {
  app: string;
  stage: string;
  region: string;
  accountId: string;
  partition: string;
  table: NamedArn;
  bus: NamedArn;
  /**
   * The queue of everything delivered to a function in vain: the trigger and callback
   * functions' failed asynchronous invocations, the projector's stream batches passed over,
   * and the events rules and schedules could not deliver (their dead-letter queue). `policy`
   * lets the stage's rules send to it; `alarmName` is the CloudWatch alarm on its depth;
   * `pipewright replay-failed` redelivers what it holds.
   */
  failedDeliveries: NamedArn & { alarmName: string; policy: Record<string, unknown> };
  bucket: NamedArn & { policy: Record<string, unknown> };
  key: { alias: string; arn: K; description: string };
  secrets: { approvalKey: NamedArn; apiToken: NamedArn; webhookSecret: NamedArn };
  functions: Record<FunctionKey, FunctionPlan<K>>;
  /** Every function's environment, but `PUBLIC_URL` (the HTTP function's URL, known once it exists); it lists no pipeline. */
  environment: Record<string, string | K>;
  runnerProject: RunnerProjectPlan<K>;
  /** The role schedules use to invoke the trigger function; absent without schedules. */
  scheduler?: { role: RolePlan<K> };
  /** Default-bus rules of the callback function. */
  callbackRules: EventRuleSpec[];
  /** The rule handing relayed webhook deliveries to the trigger function. */
  webhookRule: EventRuleSpec;
  pipelines: PipelinePlan<K>[];
  /** Grants left out or made broad, and actions that only run locally; infra prints them. */
  warnings: string[];
}

/** The runner project's default buildspec; builds always bring their own. */
export const RUNNER_BUILDSPEC = [
  'version: 0.2',
  'phases:',
  '  build:',
  '    commands:',
  '      - echo "Pipewright starts every build of this project with its own buildspec"',
  '',
].join('\n');

/**
 * The deployment of `pipelines` (validated) as `names`. Throws {@link PipelineInvalidError}
 * when two pipelines share a name (or would share a resource name).
 *
 * @example
 * ```ts
 * const plan = deploymentPlan([webApp, library], names);
 * plan.pipelines[0].stateMachine.name; // 'pipewright-prod-web-app'
 * plan.functions.trigger.handler; // 'packages/aws/src/lambda/trigger.handler'
 * plan.environment.PIPEWRIGHT_STAGE; // 'prod' (the functions derive every pipeline's ARNs from it)
 * ```
 */
export function deploymentPlan<K>(
  pipelines: readonly Pipeline[],
  names: DeploymentNames<K>,
): DeploymentPlan<K> {
  const shared = sharedResourceNames(names);
  const policies = functionPolicies(pipelines, names);
  const plans = pipelines.map((pipeline) => pipelinePlan(pipeline, names, shared));
  checkUniqueNames(pipelines, plans as PipelinePlan<unknown>[]);
  const functions = functionPlans(policies, names, shared);
  const environment = functionEnvironment(names, shared);
  const warnings = [...new Set(providerGrants(pipelines, names, 'both').warnings)];

  const partition = names.partition ?? 'aws';
  const hasSchedules = plans.some((p) => p.schedules.length > 0);
  return {
    app: names.app,
    stage: names.stage,
    region: names.region,
    accountId: names.accountId,
    partition,
    table: shared.table,
    bus: shared.bus,
    failedDeliveries: {
      ...shared.failedDeliveries,
      alarmName: `${shared.failedDeliveries.name}-waiting`,
      policy: failedDeliveriesPolicy(names, shared.failedDeliveries.arn),
    },
    bucket: { ...shared.bucket, policy: bucketPolicy(shared.bucket.arn) },
    key: {
      alias: shared.keyAlias,
      arn: names.artifactKeyArn,
      description: shared.keyDescription,
    },
    secrets: shared.secrets,
    functions,
    environment,
    runnerProject: runnerProjectPlan(pipelines, names, shared),
    ...(hasSchedules ? { scheduler: { role: schedulerRole(names, shared) } } : {}),
    callbackRules: callbackRules(pipelines, names),
    webhookRule: webhookRelayRule(names),
    pipelines: plans,
    warnings,
  };
}

function pipelinePlan<K>(
  pipeline: Pipeline,
  names: DeploymentNames<K>,
  shared: SharedResourceNames,
): PipelinePlan<K> {
  const own = pipelineResourceNames(names, pipeline.name);
  const definitionFunctions = {
    actionRunnerArn: shared.functions.actionRunner.arn,
    stageGateArn: shared.functions.stageGate.arn,
  };
  return {
    name: pipeline.name,
    stateMachine: {
      ...own.stateMachine,
      definition: stateMachineDefinition(pipeline, definitionFunctions),
      logGroup: own.logGroup,
      role: {
        ...own.role,
        service: 'states.amazonaws.com',
        trustPolicy: trustPolicy('states.amazonaws.com', names.accountId),
        policy: pipelinePolicy(pipeline, names),
      },
    },
    rules: triggerRules(pipeline, names),
    schedules: triggerSchedules(pipeline, names),
    topic: { ...own.topic, subscriptions: approvalSubscriptions(pipeline) },
  };
}

function functionPlans<K>(
  policies: Record<FunctionKey, PolicyStatement<K>[]>,
  names: DeploymentNames<K>,
  shared: SharedResourceNames,
): Record<FunctionKey, FunctionPlan<K>> {
  // The key's ARN is an output in infra: placed as if at its longest (a UUID key id).
  const keyArn = `arn:${names.partition ?? 'aws'}:kms:${names.region}:${names.accountId}:key/`.length + 36;
  return Object.fromEntries(
    FUNCTION_KEYS.map((key) => {
      const placed = placePolicy(policies[key], shared.functions[key].name, names, keyArn);
      const plan: FunctionPlan<K> = {
        key,
        name: shared.functions[key].name,
        arn: shared.functions[key].arn,
        handler: `packages/aws/src/lambda/${FUNCTION_FILES[key]}.handler`,
        ...FUNCTION_SETTINGS[key],
        policy: policies[key],
        inlinePolicy: placed.inline,
        managedPolicies: placed.managed,
      };
      return [key, plan];
    }),
  ) as Record<FunctionKey, FunctionPlan<K>>;
}

function functionEnvironment<K>(
  names: DeploymentNames<K>,
  shared: SharedResourceNames,
): Record<string, string | K> {
  return {
    TABLE_NAME: shared.table.name,
    BUS_NAME: shared.bus.name,
    ARTIFACT_BUCKET: shared.bucket.name,
    KMS_KEY_ARN: names.artifactKeyArn,
    // The functions derive every per-pipeline name and ARN from these (`pipelineResourceNames`):
    // nothing here grows with the number of pipelines (Lambda's 4 KB environment).
    PIPEWRIGHT_APP: names.app,
    PIPEWRIGHT_STAGE: names.stage,
    AWS_PARTITION: names.partition ?? 'aws',
    APPROVAL_KEY_SECRET: shared.secrets.approvalKey.name,
    API_TOKEN_SECRET: shared.secrets.apiToken.name,
    WEBHOOK_SECRET_SECRET: shared.secrets.webhookSecret.name,
    RUNNER_PROJECT: shared.runnerProject.name,
    AWS_ACCOUNT_ID: names.accountId,
  };
}

function bucketPolicy(bucketArn: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}

function runnerProjectPlan<K>(
  pipelines: readonly Pipeline[],
  names: DeploymentNames<K>,
  shared: SharedResourceNames,
): RunnerProjectPlan<K> {
  return {
    name: shared.runnerProject.name,
    arn: shared.runnerProject.arn,
    description: `Pipewright ${names.app}/${names.stage}: runs Commands actions, git sources and buildspecs`,
    role: {
      ...shared.runnerProject.role,
      service: 'codebuild.amazonaws.com',
      trustPolicy: trustPolicy('codebuild.amazonaws.com', names.accountId),
      policy: runnerProjectPolicy(pipelines, names),
    },
    logGroupName: shared.runnerProject.logGroup.name,
    buildTimeoutMinutes: 60,
    image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0',
    computeType: 'BUILD_GENERAL1_SMALL',
    buildspec: RUNNER_BUILDSPEC,
  };
}

function schedulerRole<K>(names: DeploymentNames<K>, shared: SharedResourceNames): RolePlan<K> {
  return {
    ...shared.schedulerRole,
    service: 'scheduler.amazonaws.com',
    trustPolicy: trustPolicy('scheduler.amazonaws.com', names.accountId),
    policy: schedulerPolicy(names),
  };
}
