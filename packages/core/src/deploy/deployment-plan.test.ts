import { describe, expect, it } from 'vitest';
import { compilePipeline } from '../compiler/compile-pipeline.ts';
import { PipelineInvalidError } from '../errors.ts';
import { action, NAMES, pipeline } from './deploy.test-helper.ts';
import { deploymentPlan, MAX_ENVIRONMENT_BYTES } from './deployment-plan.ts';

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
    expect(JSON.parse(String(plan.environment.STATE_MACHINE_ARNS))).toEqual({
      web: 'arn:aws:states:eu-west-1:123456789012:stateMachine:pipewright-prod-web',
      api: 'arn:aws:states:eu-west-1:123456789012:stateMachine:pipewright-prod-api',
    });
    expect(JSON.parse(String(plan.environment.TOPIC_ARNS))).toEqual({
      web: 'arn:aws:sns:eu-west-1:123456789012:pipewright-prod-web-notifications',
      api: 'arn:aws:sns:eu-west-1:123456789012:pipewright-prod-api-notifications',
    });
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

  it('warns when the environment would not fit in Lambda’s 4 KB', () => {
    const many = Array.from({ length: 30 }, (_, i) => pipeline(`pipeline-with-a-long-name-${i}`, stages));
    const plan = deploymentPlan(many, NAMES);
    expect(plan.warnings.at(-1)).toMatch(
      new RegExp(`over Lambda's ${MAX_ENVIRONMENT_BYTES}: deploy fewer pipelines`),
    );
  });
});
