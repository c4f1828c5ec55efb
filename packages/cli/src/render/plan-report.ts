/**
 * What `pipewright plan` reports: per pipeline, the resources and IAM statements `sst deploy`
 * would create and what other accounts must grant; for the deployment, the shared functions
 * with their policies, the highest use of every AWS quota, and the problems that stop a
 * deploy. Built from the same deployment plan `infra/` declares.
 */
import type { Pipeline } from '@pipewright/core';
import {
  AWS_QUOTAS,
  actionRunnerPolicy,
  type DeploymentCheck,
  type DeploymentPlan,
  type DeploymentSite,
  type ExternalGrant,
  externalGrants,
  type PolicyStatement,
  type QuotaKey,
  type QuotaUse,
  runnerProjectPolicy,
} from '@pipewright/core/deploy';

/** One pipeline of the report. @example `report.pipelines[0].stateMachine.name // 'pipewright-dev-web-app'` */
export interface PipelineReport {
  name: string;
  stateMachine: {
    name: string;
    arn: string;
    definitionBytes: number;
    role: string;
    policy: PolicyStatement[];
  };
  /** The functions its definition invokes. */
  functions: string[];
  rules: { name: string; bus: string; pattern: Record<string, unknown> }[];
  schedules: { name: string; expression: string; timezone: string }[];
  topic: { name: string; arn: string; emails: string[] };
  /** What its actions add to the action runner's and the runner project's policies. */
  grants: { actionRunner: PolicyStatement[]; runnerProject: PolicyStatement[] };
  /** What other accounts must add to their resources' policies. */
  externalGrants: ExternalGrant[];
}

/** The highest use of one quota. @example `{ quota: 'eventPattern', code: 'PW1102', name: 'EventBridge event pattern', limit: 2048, unit: 'characters', value: 180, resource: '…', ok: true }` */
export interface QuotaSummary {
  quota: QuotaKey;
  code: string;
  name: string;
  limit: number;
  unit: string;
  /** The highest value measured, and where. */
  value: number;
  resource: string;
  pipeline?: string;
  ok: boolean;
}

/** The whole report (`--json` prints it). @example `planReport(pipelines, site, plan, check).ok` */
export interface PlanReport {
  ok: boolean;
  app: string;
  stage: string;
  region: string;
  accountId: string;
  pipelines: PipelineReport[];
  shared: {
    /** Each function with every statement; `managedPolicies` names the policies beyond its inline one. */
    functions: { key: string; name: string; policy: PolicyStatement[]; managedPolicies: string[] }[];
    rules: { name: string; bus: string; pattern: Record<string, unknown> }[];
    table: string;
    bus: string;
    bucket: string;
    failedDeliveries: string;
  };
  quotas: QuotaSummary[];
  problems: DeploymentCheck['problems'];
  warnings: string[];
}

const encoder = new TextEncoder();

function pipelineReport(p: Pipeline, plan: DeploymentPlan<string>, site: DeploymentSite): PipelineReport {
  const own = plan.pipelines.find((x) => x.name === p.name);
  if (own === undefined) throw new Error(`the plan has no pipeline ${p.name}`);
  const names = { ...site, artifactKeyArn: plan.key.arn };
  return {
    name: p.name,
    stateMachine: {
      name: own.stateMachine.name,
      arn: own.stateMachine.arn,
      definitionBytes: encoder.encode(own.stateMachine.definition).length,
      role: own.stateMachine.role.name,
      policy: own.stateMachine.role.policy,
    },
    functions: [plan.functions.actionRunner.name, plan.functions.stageGate.name],
    rules: own.rules.map((r) => ({ name: r.name, bus: r.eventBus, pattern: r.eventPattern })),
    schedules: own.schedules.map((s) => ({
      name: s.name,
      expression: s.scheduleExpression,
      timezone: s.scheduleExpressionTimezone,
    })),
    topic: { name: own.topic.name, arn: own.topic.arn, emails: own.topic.subscriptions.map((s) => s.email) },
    grants: { actionRunner: actionRunnerPolicy([p], names), runnerProject: runnerProjectPolicy([p], names) },
    externalGrants: externalGrants(p, site),
  };
}

/**
 * The highest use of each quota (the one nearest its limit), in {@link AWS_QUOTAS} order.
 *
 * @example
 * ```ts
 * quotaSummaries(check.uses).find((q) => !q.ok); // the first quota over its limit, if any
 * ```
 */
export function quotaSummaries(uses: readonly QuotaUse[]): QuotaSummary[] {
  return (Object.keys(AWS_QUOTAS) as QuotaKey[]).flatMap((quota) => {
    const of = uses.filter((u) => u.quota === quota);
    if (of.length === 0) return [];
    const top = of.reduce((a, b) => (b.value > a.value ? b : a));
    const q = AWS_QUOTAS[quota];
    return [
      {
        quota,
        code: q.code,
        name: q.name,
        limit: q.limit,
        unit: q.unit,
        value: top.value,
        resource: top.resource,
        ...(top.pipeline === undefined ? {} : { pipeline: top.pipeline }),
        ok: top.value <= top.limit,
      },
    ];
  });
}

/**
 * The report of `plan` (made from `pipelines` at `site`) and its `check`.
 *
 * @example
 * ```ts
 * const report = planReport(pipelines, site, plan, checkDeployment(pipelines, plan));
 * report.quotas.every((q) => q.ok); // true for a deployable plan
 * ```
 */
export function planReport(
  pipelines: readonly Pipeline[],
  site: DeploymentSite,
  plan: DeploymentPlan<string>,
  check: DeploymentCheck,
): PlanReport {
  return {
    ok: check.problems.length === 0,
    app: plan.app,
    stage: plan.stage,
    region: plan.region,
    accountId: plan.accountId,
    pipelines: pipelines.map((p) => pipelineReport(p, plan, site)),
    shared: {
      functions: Object.values(plan.functions).map((f) => ({
        key: f.key,
        name: f.name,
        policy: f.policy,
        managedPolicies: f.managedPolicies.map((m) => m.name),
      })),
      rules: [...plan.callbackRules, plan.webhookRule].map((r) => ({
        name: r.name,
        bus: r.eventBus,
        pattern: r.eventPattern,
      })),
      table: plan.table.name,
      bus: plan.bus.name,
      bucket: plan.bucket.name,
      failedDeliveries: plan.failedDeliveries.name,
    },
    quotas: quotaSummaries(check.uses),
    problems: check.problems,
    warnings: plan.warnings,
  };
}

const grantLine = (s: PolicyStatement) => `${s.Action.join(', ')} on ${s.Resource.join(', ')}`;

function pipelineLines(p: PipelineReport): string[] {
  const lines = [
    p.name,
    `  state machine  ${p.stateMachine.name} (definition ${p.stateMachine.definitionBytes} bytes), invokes ${p.functions.join(', ')}`,
    `  role           ${p.stateMachine.role}: ${p.stateMachine.policy.map(grantLine).join('; ')}`,
    `  topic          ${p.topic.name}${p.topic.emails.length > 0 ? ` → ${p.topic.emails.join(', ')}` : ''}`,
    ...p.rules.map((r) => `  rule           ${r.name} (${r.bus} bus): ${JSON.stringify(r.pattern)}`),
    ...p.schedules.map((s) => `  schedule       ${s.name}: ${s.expression} (${s.timezone})`),
  ];
  const base = new Set(['EventTable', 'ArtifactBucket', 'ArtifactObjects', 'ArtifactKey', 'TaskTokens']);
  for (const s of p.grants.actionRunner.filter((x) => !base.has(x.Sid))) {
    lines.push(`  action runner  ${grantLine(s)}`);
  }
  for (const s of p.grants.runnerProject.filter((x) => !/^(BuildLogs|Artifact)/.test(x.Sid))) {
    lines.push(`  runner project ${grantLine(s)}`);
  }
  for (const g of p.externalGrants) {
    lines.push(
      `  account ${g.account} must add to the ${g.kind} of ${g.resource}: ${JSON.stringify(g.statement)}`,
    );
  }
  return lines;
}

/**
 * The report as text: each pipeline, the shared functions, the quotas, the problems.
 *
 * @example
 * ```ts
 * io.stdout.write(formatPlanReport(report));
 * ```
 */
export function formatPlanReport(report: PlanReport): string {
  const lines = [
    `Plan of stage ${report.stage} (app ${report.app}, account ${report.accountId}, ${report.region}): ${report.pipelines.length} pipeline${report.pipelines.length === 1 ? '' : 's'}`,
    '',
    ...report.pipelines.flatMap((p) => [...pipelineLines(p), '']),
    'Shared',
    `  table ${report.shared.table}, bus ${report.shared.bus}, bucket ${report.shared.bucket}, failed deliveries ${report.shared.failedDeliveries}`,
    ...report.shared.rules.map((r) => `  rule ${r.name} (${r.bus} bus): ${JSON.stringify(r.pattern)}`),
    ...report.shared.functions.flatMap((f) => [
      `  function ${f.name}${f.managedPolicies.length > 0 ? ` (inline policy + managed ${f.managedPolicies.join(', ')})` : ''}`,
      ...f.policy.map((s) => `    ${s.Sid}: ${grantLine(s)}`),
    ]),
    '',
    'AWS quotas (highest use of each)',
    ...report.quotas.map(
      (q) =>
        `  ${q.ok ? 'ok  ' : 'OVER'} ${q.code} ${q.name}: ${q.value} of ${q.limit} ${q.unit} (${q.pipeline === undefined ? '' : `${q.pipeline}: `}${q.resource})`,
    ),
    '',
    ...report.warnings.map((w) => `warning: ${w}`),
    ...report.problems.map((p) => `[${p.code}] ${p.message}`),
    report.ok
      ? `✓ stage ${report.stage} can be deployed: every quota is under its limit`
      : `✗ stage ${report.stage} cannot be deployed: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} above`,
    '',
  ];
  return lines.join('\n');
}
