import { describe, expect, it } from 'vitest';
import { VariableResolutionError } from '../errors.ts';
import { eventOf, PIPELINE, T, X } from './decisions.fixtures.ts';
import { decideStart } from './index.ts';

describe('decideStart', () => {
  it('records the resolved variables, overrides over defaults', () => {
    // Act
    const d = decideStart({
      pipeline: PIPELINE,
      pipelineVersion: 3,
      executionId: X,
      at: T,
      trigger: { triggerType: 'StartPipelineExecution' },
      overrides: { ENV: 'prod' },
    });
    // Assess
    const e = eventOf(d, 'PipelineExecutionStarted');
    expect(e.data.variables).toEqual([{ name: 'ENV', resolvedValue: 'prod' }]);
    expect(e.data.pipelineVersion).toBe(3);
    expect(e.id).toBe(`${X}:PipelineExecutionStarted`);
  });

  it('throws VariableResolutionError for an undeclared variable', () => {
    const input = {
      pipeline: PIPELINE,
      pipelineVersion: 1,
      executionId: X,
      at: T,
      trigger: { triggerType: 'StartPipelineExecution' as const },
      overrides: { NOPE: 'x' },
    };
    expect(() => decideStart(input)).toThrow(VariableResolutionError);
  });
});
