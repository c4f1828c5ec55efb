import { ExecutionStateError } from '@pipewright/core';
import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { stageTask } from './gate.ts';
import { overrideCondition } from './override-condition.ts';
import { start } from './start.ts';
import { stop } from './stop.ts';
import { closeHarnesses, useCaseHarness } from './use-cases.test-helper.ts';

const alice = { kind: 'user', id: 'alice' } as const;
const guarded = testPipeline([
  {
    name: 'Deploy',
    actions: [fakeAction('Ship')],
    beforeEntry: {
      conditions: [
        {
          result: 'FAIL',
          rules: [
            {
              name: 'Never',
              ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'VariableCheck', version: '1' },
              configuration: {
                Variable: '#{codepipeline.PipelineExecutionId}',
                Value: 'never',
                Operator: 'EQ',
              },
              inputArtifacts: [],
            },
          ],
        },
      ],
    },
  },
]);

afterEach(closeHarnesses);

describe('overrideCondition', () => {
  it('lets a gate whose BeforeEntry condition is overridden enter without failing', async () => {
    // Prepare
    const h = await useCaseHarness(guarded);
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    // Act
    await overrideCondition(h.ctx.log, executionId, {
      stageName: 'Deploy',
      conditionType: 'BEFORE_ENTRY',
      actor: alice,
    });
    await overrideCondition(h.ctx.log, executionId, {
      stageName: 'Deploy',
      conditionType: 'BEFORE_ENTRY',
      actor: alice,
    });
    await stageTask(h.ctx, h.gate(executionId, 'Deploy'));
    // Assess
    expect((await h.types(executionId)).filter((t) => t === 'StageConditionOverridden')).toHaveLength(1);
    expect(h.orchestrator.answers.at(-1)).toMatchObject({ output: { decision: 'ENTER' } });
  });

  it('refuses a condition the stage does not declare, and an ended execution', async () => {
    // Prepare
    const h = await useCaseHarness(guarded);
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    // Act
    const missing = overrideCondition(h.ctx.log, executionId, {
      stageName: 'Deploy',
      conditionType: 'ON_SUCCESS',
      actor: alice,
    });
    await stop(h.ctx, executionId, { abandon: true, actor: alice });
    const ended = overrideCondition(h.ctx.log, executionId, {
      stageName: 'Deploy',
      conditionType: 'BEFORE_ENTRY',
      actor: alice,
    });
    // Assess
    await expect(missing).rejects.toBeInstanceOf(ExecutionStateError);
    await expect(ended).rejects.toBeInstanceOf(ExecutionStateError);
  });

  it('refuses a condition already evaluated for the stage attempt', async () => {
    // Prepare
    const h = await useCaseHarness(guarded);
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    await stageTask(h.ctx, h.gate(executionId, 'Deploy'));
    // Act
    const late = overrideCondition(h.ctx.log, executionId, {
      stageName: 'Deploy',
      conditionType: 'BEFORE_ENTRY',
      actor: alice,
    });
    // Assess
    await expect(late).rejects.toThrow(/already decided \(Failed\)/);
  });
});
