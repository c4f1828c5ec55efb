import { describe, expect, it } from 'vitest';
import { compilePipeline } from '../compiler/compile-pipeline.ts';
import { PipelineInvalidError } from '../errors.ts';
import { action, NAMES, pipeline } from './deploy.test-helper.ts';
import { deploymentPlan } from './deployment-plan.ts';

const stages = [{ name: 'A', actions: [action('Go', 'Approval', 'Manual')] }];

describe('deploymentPlan', () => {
  it('names every resource with the app and stage and wires the environment', () => {
    // Act
    const plan = deploymentPlan([pipeline('web', stages), pipeline('api', stages)], NAMES);
    // Assess
    expect(plan.table.name).toBe('pipewright-prod-events');
    expect(plan.bucket.name).toBe('pipewright-prod-artifacts-123456789012-eu-west-1');
    expect(plan.functions.stageGate).toMatchObject({
      name: 'pipewright-prod-stage-gate',
      handler: 'packages/aws/src/lambda/stage-gate.handler',
      url: false,
    });
    expect(plan.functions.http.url).toBe(true);
    // No pipeline in the environment: the functions derive their names from app and stage.
    expect(JSON.stringify(plan.environment)).not.toMatch(/stateMachine|notifications|prod-web|prod-api/);
    expect(plan.environment).toMatchObject({ PIPEWRIGHT_APP: 'pipewright', PIPEWRIGHT_STAGE: 'prod' });
    expect(plan.environment).toMatchObject({
      TABLE_NAME: 'pipewright-prod-events',
      BUS_NAME: 'pipewright-prod-bus',
      KMS_KEY_ARN: NAMES.artifactKeyArn,
      APPROVAL_KEY_SECRET: 'pipewright/prod/approval-key',
      RUNNER_PROJECT: 'pipewright-prod-runner',
    });
    expect(plan.environment.PUBLIC_URL).toBeUndefined();
    expect(plan.scheduler).toBeUndefined();
    expect(plan.warnings).toEqual([]);
  });

  it('deploys the compiled definition with the two function ARNs', () => {
    const p = pipeline('web', stages);
    const machine = deploymentPlan([p], NAMES).pipelines[0]?.stateMachine;
    expect(JSON.parse(machine?.definition ?? '')).toEqual(
      compilePipeline(p, {
        resources: {
          actionRunner: 'arn:aws:lambda:eu-west-1:123456789012:function:pipewright-prod-action-runner',
          stageGate: 'arn:aws:lambda:eu-west-1:123456789012:function:pipewright-prod-stage-gate',
        },
      }),
    );
    expect(machine?.role.trustPolicy.Statement[0]?.Principal.Service).toBe('states.amazonaws.com');
  });

  it('declares the scheduler role only when a pipeline has a schedule', () => {
    const p = pipeline('web', stages, {
      triggers: [{ providerType: 'Schedule', schedule: { expression: 'rate(1 day)' } }],
    });
    expect(deploymentPlan([p], NAMES).scheduler?.role.name).toBe('pipewright-prod-scheduler');
  });

  it('rejects two pipelines of the same name', () => {
    const run = () => deploymentPlan([pipeline('web', stages), pipeline('web', stages)], NAMES);
    expect(run).toThrow(PipelineInvalidError);
    expect(run).toThrow(/two pipelines are named "web"; pipeline names must be unique within a deployment/);
  });

  it('keeps the environment, the policies and the execution-status pattern the same size for 1 and 200 pipelines', () => {
    // Prepare
    const named = (n: number) =>
      Array.from({ length: n }, (_, i) => pipeline(`pipeline-with-a-long-name-${i}`, stages));
    // Act
    const [one, many] = [deploymentPlan(named(1), NAMES), deploymentPlan(named(200), NAMES)];
    // Assess
    expect(JSON.stringify(many.environment)).toBe(JSON.stringify(one.environment));
    expect(JSON.stringify(many.functions)).toBe(JSON.stringify(one.functions));
    expect(JSON.stringify(many.callbackRules)).toBe(JSON.stringify(one.callbackRules));
  });
});
