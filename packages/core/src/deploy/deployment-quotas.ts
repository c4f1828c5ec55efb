/**
 * The AWS quotas a deployment must fit, and how much of each a deployment plan uses: what
 * `pipewright plan` prints and what `sst deploy` checks before it creates anything
 * ({@link checkDeployment}). Sizes are measured on the JSON AWS receives (no whitespace);
 * where a value is only known once deployed (the artifact key's ARN, the function URL, the
 * variables SST adds) the longest form it can take is counted.
 *
 * Sources: Lambda, EventBridge, EventBridge Scheduler, Step Functions, IAM, SNS and
 * CodePipeline quotas pages of the AWS documentation (default values; several are adjustable
 * through Service Quotas, which `fix` says).
 */
import type { Pipeline } from '../model/pipeline.ts';
import type { DeploymentPlan, PipelinePlan, RolePlan } from './deployment-plan.ts';
import { MANAGED_POLICY_CHARS, policyLength, SST_INLINE_RESERVE_CHARS } from './policy-placement.ts';
import type { EventRuleSpec } from './trigger-rules.ts';

/** One quota: a stable code, what it limits, its default limit and what to do when over it. @example `AWS_QUOTAS.rulesPerBus.fix // 'use git triggers or schedules …'` */
export interface Quota {
  code: string;
  /** What is limited, e.g. `Lambda environment variables`. */
  name: string;
  limit: number;
  unit:
    | 'bytes'
    | 'characters'
    | 'rules'
    | 'stages'
    | 'actions'
    | 'pipelines'
    | 'roles'
    | 'policies'
    | 'subscriptions'
    | 'topics'
    | 'schedules';
  /** What to do when a deployment goes over it. */
  fix: string;
}

/**
 * The quotas a deployment is checked against, by key.
 *
 * @example
 * ```ts
 * AWS_QUOTAS.eventPattern.limit; // 2048
 * ```
 */
export const AWS_QUOTAS = {
  lambdaEnvironment: {
    code: 'PW1101',
    name: "Lambda environment variables (with PUBLIC_URL and SST's own)",
    limit: 4096,
    unit: 'bytes',
    fix: 'use shorter app, stage or secret names; Pipewright puts no per-pipeline value there',
  },
  eventPattern: {
    code: 'PW1102',
    name: 'EventBridge event pattern',
    limit: 2048,
    unit: 'characters',
    fix: "shorten the trigger's event pattern (or the CodeBuild project names the pipelines use), or raise the quota in Service Quotas",
  },
  inputTemplate: {
    code: 'PW1103',
    name: 'EventBridge input transformer template',
    limit: 8192,
    unit: 'characters',
    fix: 'shorten the pipeline or source action name',
  },
  rulesPerBus: {
    code: 'PW1104',
    name: 'EventBridge rules per event bus',
    limit: 300,
    unit: 'rules',
    fix: 'use git triggers or schedules (they add no rule per pipeline) instead of event-pattern triggers, split the pipelines across stages, or raise the quota in Service Quotas (the default bus may also hold rules of your own)',
  },
  stateMachineDefinition: {
    code: 'PW1105',
    name: 'Step Functions state machine definition',
    limit: 1_048_576,
    unit: 'bytes',
    fix: 'split the pipeline into smaller ones',
  },
  roleInlinePolicies: {
    code: 'PW1106',
    name: "IAM role's inline policies (aggregate)",
    limit: 10_240,
    unit: 'characters',
    fix: 'name fewer distinct resources in the actions (use one resource pattern for many), or split the pipelines across stages',
  },
  trustPolicy: {
    code: 'PW1107',
    name: 'IAM role trust policy',
    limit: 2048,
    unit: 'characters',
    fix: 'raise the quota in Service Quotas',
  },
  managedPolicy: {
    code: 'PW1116',
    name: 'IAM customer-managed policy',
    limit: MANAGED_POLICY_CHARS,
    unit: 'characters',
    fix: 'name fewer distinct resources in the actions (use one resource pattern for many)',
  },
  managedPoliciesPerRole: {
    code: 'PW1117',
    name: "IAM managed policies attached to a role (a function's grants beyond its inline policy)",
    limit: 10,
    unit: 'policies',
    fix: 'name fewer distinct resources in the actions (use one resource pattern for many), split the pipelines across stages, or raise the quota in Service Quotas (up to 20)',
  },
  lambdaResourcePolicy: {
    code: 'PW1108',
    name: "Lambda function's resource-based policy (one statement per rule invoking it)",
    limit: 20_480,
    unit: 'bytes',
    fix: 'use git triggers or schedules instead of event-pattern triggers, or split the pipelines across stages',
  },
  stagesPerPipeline: {
    code: 'PW1109',
    name: 'CodePipeline stages per pipeline',
    limit: 50,
    unit: 'stages',
    fix: 'split the pipeline into two, the second triggered by the first',
  },
  actionsPerStage: {
    code: 'PW1110',
    name: 'CodePipeline actions per stage',
    limit: 50,
    unit: 'actions',
    fix: 'spread the actions over more stages',
  },
  pipelinesPerRegion: {
    code: 'PW1111',
    name: 'CodePipeline pipelines per region (one state machine each)',
    limit: 1000,
    unit: 'pipelines',
    fix: 'deploy the pipelines to more than one region or account',
  },
  rolesPerAccount: {
    code: 'PW1112',
    name: 'IAM roles per account (one per pipeline, plus eight)',
    limit: 1000,
    unit: 'roles',
    fix: 'raise the quota in Service Quotas (up to 5,000), or split the pipelines across accounts',
  },
  snsFilterPolicies: {
    code: 'PW1113',
    name: 'SNS subscription filter policies per account and region (one per approver email)',
    limit: 200,
    unit: 'subscriptions',
    fix: 'notify fewer distinct approver addresses (a team list instead of each person), or raise the quota in Service Quotas',
  },
  snsTopics: {
    code: 'PW1114',
    name: 'SNS standard topics per account',
    limit: 100_000,
    unit: 'topics',
    fix: 'raise the quota in Service Quotas',
  },
  schedules: {
    code: 'PW1115',
    name: 'EventBridge Scheduler schedules per account and region',
    limit: 1_000_000,
    unit: 'schedules',
    fix: 'raise the quota in Service Quotas',
  },
} as const satisfies Record<string, Quota>;

/** A quota's key. @example `const key: QuotaKey = 'eventPattern'` */
export type QuotaKey = keyof typeof AWS_QUOTAS;

/** How much of one quota one resource (or the deployment) uses. @example `{ quota: 'eventPattern', code: 'PW1102', pipeline: 'web', resource: 'pipewright-prod-web-trigger-1', value: 180, limit: 2048, unit: 'characters' }` */
export interface QuotaUse {
  quota: QuotaKey;
  code: string;
  /** The pipeline it belongs to; absent for what all pipelines share. */
  pipeline?: string;
  /** The resource measured (a rule, role, function, state machine, bus, …). */
  resource: string;
  value: number;
  limit: number;
  unit: Quota['unit'];
}

/** What SST adds to every function's environment, and the longest a Function URL can be. */
function reservedEnvironmentBytes(plan: DeploymentPlan<unknown>): number {
  const sst = {
    SST_RESOURCE_App: JSON.stringify({ name: plan.app, stage: plan.stage }),
    SST_KEY: 'x'.repeat(44),
    SST_KEY_FILE: 'resource.enc',
  };
  const url = `https://${'x'.repeat(32)}.lambda-url.${plan.region}.on.aws/`;
  return bytesOf({ ...sst, PUBLIC_URL: url });
}

function bytesOf(env: Record<string, unknown>, unknownValue = 0): number {
  let bytes = 0;
  for (const [k, v] of Object.entries(env)) {
    bytes += utf8(k) + (typeof v === 'string' ? utf8(v) : unknownValue);
  }
  return bytes;
}

const encoder = new TextEncoder();
const utf8 = (text: string) => encoder.encode(text).length;

/** The longest a KMS key ARN of the plan's site can be (its id is a UUID). */
function keyArnLength(plan: DeploymentPlan<unknown>): number {
  return `arn:${plan.partition}:kms:${plan.region}:${plan.accountId}:key/`.length + 36;
}

/** Characters of a policy as IAM counts them (no whitespace), with the key's ARN at its longest. */
function policyChars(plan: DeploymentPlan<unknown>, statements: RolePlan<unknown>['policy']): number {
  return policyLength(statements, keyArnLength(plan));
}

function ruleArnLength(plan: DeploymentPlan<unknown>, rule: EventRuleSpec): number {
  const bus = rule.eventBus === 'default' ? '' : `${plan.bus.name}/`;
  return `arn:${plan.partition}:events:${plan.region}:${plan.accountId}:rule/${bus}${rule.name}`.length;
}

/** One `lambda:InvokeFunction` statement EventBridge needs per rule, as Lambda stores it. */
function permissionBytes(plan: DeploymentPlan<unknown>, functionArn: string, rule: EventRuleSpec): number {
  const statement = {
    Sid: `${rule.name}-xxxxxxx`,
    Effect: 'Allow',
    Principal: { Service: 'events.amazonaws.com' },
    Action: 'lambda:InvokeFunction',
    Resource: functionArn,
    Condition: { ArnLike: { 'AWS:SourceArn': '' } },
  };
  return JSON.stringify(statement).length + ruleArnLength(plan, rule) + 1;
}

function use(quota: QuotaKey, resource: string, value: number, pipeline?: string): QuotaUse {
  const q = AWS_QUOTAS[quota];
  return {
    quota,
    code: q.code,
    ...(pipeline === undefined ? {} : { pipeline }),
    resource,
    value,
    limit: q.limit,
    unit: q.unit,
  };
}

function ruleUses(rule: EventRuleSpec, pipeline?: string): QuotaUse[] {
  const uses = [use('eventPattern', rule.name, JSON.stringify(rule.eventPattern).length, pipeline)];
  if (rule.inputTemplate !== undefined) {
    uses.push(use('inputTemplate', rule.name, rule.inputTemplate.length, pipeline));
  }
  return uses;
}

function pipelineUses(
  plan: DeploymentPlan<unknown>,
  p: PipelinePlan<unknown>,
  pipeline?: Pipeline,
): QuotaUse[] {
  const machine = p.stateMachine;
  const uses: QuotaUse[] = [
    use('stateMachineDefinition', machine.name, utf8(machine.definition), p.name),
    use('roleInlinePolicies', machine.role.name, policyChars(plan, machine.role.policy), p.name),
    use('trustPolicy', machine.role.name, JSON.stringify(machine.role.trustPolicy).length, p.name),
    ...p.rules.flatMap((r) => ruleUses(r, p.name)),
  ];
  if (pipeline !== undefined) {
    uses.push(use('stagesPerPipeline', p.name, pipeline.stages.length, p.name));
    const widest = pipeline.stages.reduce((a, s) => (s.actions.length > a.actions.length ? s : a));
    uses.push(use('actionsPerStage', `${p.name}/${widest.name}`, widest.actions.length, p.name));
  }
  return uses;
}

function sharedRoles(plan: DeploymentPlan<unknown>): { name: string; role: RolePlan<unknown> }[] {
  return [
    { name: plan.runnerProject.role.name, role: plan.runnerProject.role },
    ...(plan.scheduler ? [{ name: plan.scheduler.role.name, role: plan.scheduler.role }] : []),
  ];
}

function countUses(plan: DeploymentPlan<unknown>): QuotaUse[] {
  const rules = [...plan.callbackRules, plan.webhookRule, ...plan.pipelines.flatMap((p) => p.rules)];
  const onBus = (bus: EventRuleSpec['eventBus']) => rules.filter((r) => r.eventBus === bus).length;
  const pipelines = plan.pipelines.length;
  return [
    use('rulesPerBus', plan.bus.name, onBus('pipewright')),
    use('rulesPerBus', 'default', onBus('default')),
    use('pipelinesPerRegion', 'state machines', pipelines),
    use(
      'rolesPerAccount',
      'roles',
      pipelines + sharedRoles(plan).length + Object.keys(plan.functions).length,
    ),
    use(
      'snsFilterPolicies',
      'email subscriptions',
      plan.pipelines.reduce((n, p) => n + p.topic.subscriptions.length, 0),
    ),
    use('snsTopics', 'topics', pipelines),
    use(
      'schedules',
      'schedules',
      plan.pipelines.reduce((n, p) => n + p.schedules.length, 0),
    ),
  ];
}

function functionUses(plan: DeploymentPlan<unknown>): QuotaUse[] {
  const env = bytesOf(plan.environment, keyArnLength(plan)) + reservedEnvironmentBytes(plan);
  const uses = [use('lambdaEnvironment', 'every function', env)];
  for (const f of Object.values(plan.functions)) {
    // SST adds statements of its own to the inline policy: counted as the reserve kept for them.
    const inline = policyChars(plan, f.inlinePolicy) + SST_INLINE_RESERVE_CHARS;
    uses.push(use('roleInlinePolicies', `${f.name} role`, inline));
    uses.push(use('managedPoliciesPerRole', `${f.name} role`, f.managedPolicies.length));
    for (const m of f.managedPolicies)
      uses.push(use('managedPolicy', m.name, policyChars(plan, m.statements)));
  }
  const invoking = (target: EventRuleSpec['target']) =>
    [...plan.callbackRules, plan.webhookRule, ...plan.pipelines.flatMap((p) => p.rules)].filter(
      (r) => r.target === target,
    );
  for (const target of ['trigger', 'callback'] as const) {
    const fn = plan.functions[target];
    const bytes = invoking(target).reduce((n, r) => n + permissionBytes(plan, fn.arn, r), 0);
    uses.push(use('lambdaResourcePolicy', fn.name, bytes + 64));
  }
  return uses;
}

/**
 * How much of every quota in {@link AWS_QUOTAS} the deployment of `plan` uses: per pipeline
 * (definition, role policy, rules, stages, actions per stage; from `pipelines` when given) and
 * for what they share (environment, function roles and resource policies, rules per bus,
 * counts per account).
 *
 * @example
 * ```ts
 * const over = quotaUses(plan, pipelines).filter((u) => u.value > u.limit);
 * over[0]; // { quota: 'eventPattern', code: 'PW1102', pipeline: 'web', resource: 'pipewright-prod-web-trigger-1', value: 2311, limit: 2048, … }
 * ```
 */
export function quotaUses<K>(plan: DeploymentPlan<K>, pipelines: readonly Pipeline[] = []): QuotaUse[] {
  const p = plan as DeploymentPlan<unknown>;
  const byName = new Map(pipelines.map((x) => [x.name, x]));
  return [
    ...functionUses(p),
    ...sharedRoles(p).flatMap(({ name, role }) => [
      use('roleInlinePolicies', name, policyChars(p, role.policy)),
      use('trustPolicy', name, JSON.stringify(role.trustPolicy).length),
    ]),
    ...[...p.callbackRules, p.webhookRule].flatMap((r) => ruleUses(r)),
    ...countUses(p),
    ...p.pipelines.flatMap((x) => pipelineUses(p, x, byName.get(x.name))),
  ];
}
