/**
 * The contract between infra and the functions: the environment the deployment plan gives every
 * function is exactly what the handlers read at cold start (`lambdaEnvironment`), and the
 * secrets it names are the ones their policies may read.
 */
import { lambdaEnvironment, stateMachineArnOf, topicArnOf } from '@pipewright/aws';
import { deploymentPlan } from '@pipewright/core/deploy';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { examplePipelines, SITE } from './example-pipelines.ts';

const cleanups = cleanupsAfter(afterEach);

describe('the functions’ environment', () => {
  it('is what the handlers read, with the state machines, topics and secrets of the plan', async () => {
    // Prepare
    const { pipelines } = examplePipelines(cleanups);
    const plan = deploymentPlan(pipelines, {
      ...SITE,
      artifactKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
    });
    // Act
    const env = lambdaEnvironment({
      ...(plan.environment as Record<string, string>),
      AWS_REGION: SITE.region,
      PUBLIC_URL: 'https://abc.lambda-url.eu-west-1.on.aws',
    });
    // Assess
    for (const p of plan.pipelines) {
      expect(stateMachineArnOf(env, p.name)).toBe(p.stateMachine.arn);
      expect(topicArnOf(env, p.name)).toBe(p.topic.arn);
    }
    expect(env).toMatchObject({
      tableName: plan.table.name,
      busName: plan.bus.name,
      artifactBucket: plan.bucket.name,
      runnerProject: plan.runnerProject.name,
      approvalKeySecret: plan.secrets.approvalKey.name,
      apiTokenSecret: plan.secrets.apiToken.name,
      webhookSecretSecret: plan.secrets.webhookSecret.name,
    });
    const readable = plan.functions.http.policy.find((s) => s.Sid === 'ReadSecrets')?.Resource;
    expect(readable).toEqual([
      plan.secrets.approvalKey.arn,
      plan.secrets.apiToken.arn,
      plan.secrets.webhookSecret.arn,
    ]);
  });
});
