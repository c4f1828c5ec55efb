/**
 * The deployment of 200 generated pipelines (`@pipewright/core/testing`), as infra plans it:
 * every state machine definition is valid ASL (`asl-validator`), and the deploy check finds
 * every quota under its limit.
 */
import { checkDeployment, deploymentPipelines, deploymentPlan } from '@pipewright/core/deploy';
import { generatedPipelineFiles } from '@pipewright/core/testing';
import { describe, expect, it } from 'vitest';
import { aslValidator, SITE } from './example-pipelines.ts';

describe('200 generated pipelines', () => {
  it('compile to valid state machines and fit every AWS quota', () => {
    // Prepare
    const { pipelines } = deploymentPipelines(generatedPipelineFiles(200, 'pipelines'));
    // Act
    const plan = deploymentPlan(pipelines, {
      ...SITE,
      artifactKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
    });
    // Assess
    expect(plan.pipelines).toHaveLength(200);
    // The definitions differ only by their pipeline's name within a shape: validate each shape
    // once (a validation takes up to a second on a busy machine).
    const shapes = new Map(plan.pipelines.map((p) => [p.stateMachine.definition.replaceAll(p.name, 'P'), p]));
    expect(shapes.size).toBeGreaterThanOrEqual(2);
    for (const p of shapes.values()) {
      const result = aslValidator(JSON.parse(p.stateMachine.definition), {
        checkPaths: true,
        checkArn: true,
      });
      expect(result.isValid, `${p.name}: ${result.errorsText('; ')}`).toBe(true);
    }
    expect(checkDeployment(pipelines, plan).problems).toEqual([]);
  });
});
