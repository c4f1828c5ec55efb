import { ExecutionStateError } from '@pipewright/core';
import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { automatedRollbackId, rollbackStage } from './rollback.ts';
import { closeHarnesses, useCaseHarness } from './use-cases.test-helper.ts';

const alice = { kind: 'user', id: 'alice' } as const;
const stages = [
  { name: 'Source', actions: [fakeAction('Get', 'Source')] },
  { name: 'Deploy', actions: [fakeAction('Ship', 'Deploy')] },
];

afterEach(closeHarnesses);

describe('rollbackStage', () => {
  it('refuses a PARALLEL pipeline and a stage with no earlier success, starting nothing', async () => {
    // Prepare
    const parallel = await useCaseHarness(testPipeline(stages));
    const queued = await useCaseHarness(testPipeline(stages, { executionMode: 'QUEUED' }));
    // Act
    const inParallel = rollbackStage(parallel.ctx, 'p', { stageName: 'Deploy', actor: alice });
    const noTarget = rollbackStage(queued.ctx, 'p', { stageName: 'Deploy', actor: alice });
    // Assess
    await expect(inParallel).rejects.toBeInstanceOf(ExecutionStateError);
    await expect(noTarget).rejects.toBeInstanceOf(ExecutionStateError);
    expect([...parallel.orchestrator.started, ...queued.orchestrator.started]).toEqual([]);
  });
});

describe('automatedRollbackId', () => {
  it('is the same for every delivery of one failed stage attempt, and UUID-shaped', () => {
    // Act
    const first = automatedRollbackId('7f0c', 'Deploy', 0);
    // Assess
    expect(automatedRollbackId('7f0c', 'Deploy', 0)).toBe(first);
    expect(automatedRollbackId('7f0c', 'Deploy', 1)).not.toBe(first);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
