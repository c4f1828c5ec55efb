import { describe, expect, it } from 'vitest';
import { generatedPipelineFiles } from '../testing/generated-pipelines.ts';
import { action, NAMES, pipeline } from './deploy.test-helper.ts';
import { assertDeployable, checkDeployment, DeploymentCheckError } from './deployment-check.ts';
import { deploymentPipelines } from './deployment-pipelines.ts';
import { deploymentPlan } from './deployment-plan.ts';
import { AWS_QUOTAS } from './deployment-quotas.ts';

function checked(count: number, options = {}) {
  const { pipelines } = deploymentPipelines(generatedPipelineFiles(count, 'pipelines', options));
  return { pipelines, check: checkDeployment(pipelines, deploymentPlan(pipelines, NAMES)) };
}

const highest = (uses: ReturnType<typeof checked>['check']['uses'], quota: string) =>
  Math.max(...uses.filter((u) => u.quota === quota).map((u) => u.value));

describe('checkDeployment', () => {
  it.each([1, 30, 200])('fits %i generated pipelines under every quota', (count) => {
    // Act
    const { pipelines, check } = checked(count);
    // Assess
    expect(pipelines).toHaveLength(count);
    expect(check.problems).toEqual([]);
    for (const u of check.uses) expect(u.value, `${u.quota} of ${u.resource}`).toBeLessThanOrEqual(u.limit);
    // Every quota is measured; input templates once a pipeline has an event-pattern trigger,
    // managed policies once a function's grants outgrow its inline policy.
    const measured = new Set(check.uses.map((u) => u.quota));
    const sometimes = ['inputTemplate', 'managedPolicy'];
    for (const key of Object.keys(AWS_QUOTAS)) if (!sometimes.includes(key)) expect(measured).toContain(key);
    expect(measured.has('inputTemplate')).toBe(count >= 10);
    expect(measured.has('managedPolicy')).toBe(count === 200);
    expect(check.uses.filter((u) => u.quota === 'stateMachineDefinition')).toHaveLength(count);
  });

  it('keeps what every pipeline shares flat from 1 to 200 pipelines', () => {
    // Act
    const [one, many] = [checked(1).check.uses, checked(200).check.uses];
    // Assess
    expect(highest(many, 'lambdaEnvironment')).toBe(highest(one, 'lambdaEnvironment'));
    expect(highest(many, 'trustPolicy')).toBe(highest(one, 'trustPolicy'));
    const status = (uses: typeof one) => uses.find((u) => u.resource === 'pipewright-prod-execution-status');
    expect(status(many)?.value).toBe(status(one)?.value);
  });

  it('moves what the actions name beyond the inline policy into managed policies, and fails past ten', () => {
    // Prepare: every pipeline builds in a project of its own.
    const stages = (i: number) => [
      {
        name: 'Build',
        actions: [action('Make', 'Build', 'CodeBuild', { ProjectName: `project-with-a-longer-name-${i}` })],
      },
    ];
    const named = (n: number) => Array.from({ length: n }, (_, i) => pipeline(`p${i}`, stages(i)));
    // Act
    const planned = (n: number) => {
      const p = named(n);
      return { p, plan: deploymentPlan(p, NAMES) };
    };
    const [some, tooMany] = [planned(150), planned(1200)];
    // Assess
    const runner = some.plan.functions.actionRunner;
    expect(runner.managedPolicies.length).toBeGreaterThan(0);
    expect(runner.managedPolicies[0]?.name).toBe('pipewright-prod-action-runner-grants-1');
    const placed = [...runner.inlinePolicy, ...runner.managedPolicies.flatMap((m) => m.statements)];
    expect(placed.flatMap((s) => s.Resource).length).toBe(runner.policy.flatMap((s) => s.Resource).length);
    expect(checkDeployment(some.p, some.plan).problems.map((x) => x.code)).not.toContain('PW1117');
    const over = checkDeployment(tooMany.p, tooMany.plan).problems;
    expect(over.find((x) => x.code === 'PW1117')?.message).toMatch(
      /^IAM managed policies attached to a role .* of pipewright-prod-action-runner role is \d+ policies, over the limit of 10: /,
    );
  });

  it('names the limit, the value and the pipeline of a definition over one', () => {
    // Act: 250 services in one event pattern, about 2,600 characters.
    const { check } = checked(3, { patternServicesOfLast: 250, stagesOfLast: 50 });
    // Assess
    expect(check.problems.map((p) => [p.code, p.pipeline])).toEqual([
      ['PW1102', 'service-003'],
      ['PW1102', 'service-003'],
    ]);
    expect(check.problems[0]?.message).toMatch(
      /^service-003: EventBridge event pattern of pipewright-prod-service-003-trigger-3 is \d{4} characters, over the limit of 2048: shorten the trigger's event pattern/,
    );
    expect(
      check.uses.find((u) => u.quota === 'stagesPerPipeline' && u.pipeline === 'service-003')?.value,
    ).toBe(50);
  });

  it('counts rules per bus and the trigger function’s resource policy, which event-pattern triggers grow', () => {
    // Prepare: 300 pipelines with an event-pattern trigger each: a rule on each bus apiece.
    const stages = [{ name: 'A', actions: [action('Go', 'Approval', 'Manual')] }];
    const many = Array.from({ length: 300 }, (_, i) =>
      pipeline(`p${i}`, stages, {
        triggers: [{ providerType: 'EventPattern', eventPattern: { pattern: { source: [`acme.p${i}`] } } }],
      }),
    );
    // Act
    const { problems } = checkDeployment(many, deploymentPlan(many, NAMES));
    // Assess
    const codes = problems.map((p) => p.code);
    expect(codes.filter((c) => c === 'PW1104')).toHaveLength(2);
    expect(codes).toContain('PW1108');
    expect(problems.find((p) => p.code === 'PW1104')?.message).toMatch(
      /^EventBridge rules per event bus of pipewright-prod-bus is 301 rules, over the limit of 300: /,
    );
  });

  it('fails a field that is only a variable, naming the action and the field', () => {
    // Prepare
    const p = pipeline('web', [
      {
        name: 'Deploy',
        actions: [
          action('Ship', 'Invoke', 'Lambda', { FunctionName: 'ship' }, { roleArn: '#{variables.role}' }),
        ],
      },
    ]);
    // Act
    const run = () => assertDeployable([p], deploymentPlan([p], NAMES));
    // Assess
    expect(run).toThrow(DeploymentCheckError);
    expect(run).toThrow(
      /\[PW1121\] web: stage "Deploy" action "Ship": roleArn "#\{variables.role\}" is only a variable, so sts:AssumeRole would be granted on every resource/,
    );
  });
});
