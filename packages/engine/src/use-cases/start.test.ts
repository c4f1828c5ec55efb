import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { start } from './start.ts';
import { closeHarnesses, useCaseHarness } from './use-cases.test-helper.ts';

const pipeline = testPipeline([{ name: 'Build', actions: [fakeAction('Make')] }], {
  variables: [{ name: 'ENV', defaultValue: 'dev' }],
});

afterEach(closeHarnesses);

describe('start', () => {
  it('starts an execution id delivered twice once (one event, one state machine)', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    // Act
    await start(h.ctx, { pipeline: 'p', executionId: 'e1' });
    await start(h.ctx, { pipeline: 'p', executionId: 'e1' });
    // Assess
    expect(await h.types('e1')).toEqual(['PipelineExecutionStarted']);
    expect(h.orchestrator.started).toEqual([{ pipeline: 'p', executionId: 'e1' }]);
  });

  it('starts no state machine when the start could not be recorded', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    h.store.beforeAppend = () => {
      throw new Error('store down');
    };
    // Act
    const started = start(h.ctx, { pipeline: 'p', executionId: 'e2' });
    // Assess
    await expect(started).rejects.toThrow('store down');
    expect(h.orchestrator.started).toEqual([]);
  });

  it('resolves the declared variables with their defaults and overrides', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    // Act
    const { executionId } = await start(h.ctx, { pipeline: 'p', variables: { ENV: 'prod' } });
    // Assess
    expect((await h.view(executionId)).variables).toContainEqual({ name: 'ENV', resolvedValue: 'prod' });
  });
});
