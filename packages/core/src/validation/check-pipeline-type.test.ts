import { describe, expect, it } from 'vitest';
import type { ExecutionMode, PipelineType } from '../model/pipeline.ts';
import { actionAt, codes, messagesOf, validPipeline } from './test-pipeline.test-helper.ts';

describe('checkPipelineType', () => {
  it('rejects unknown execution modes and pipeline types', () => {
    const p = validPipeline();
    p.executionMode = 'SEQUENTIAL' as ExecutionMode;
    p.pipelineType = 'V3' as PipelineType;
    expect(messagesOf(p, 'invalid-execution-mode')).toEqual([
      'executionMode: executionMode must be SUPERSEDED, QUEUED, PARALLEL, got "SEQUENTIAL"; SUPERSEDED is the default',
    ]);
    expect(codes(p)).toContain('invalid-pipeline-type');
  });

  it('reports every V2 feature used in a V1 pipeline', () => {
    const p = validPipeline();
    p.pipelineType = 'V1';
    p.executionMode = 'PARALLEL';
    p.triggers = [{ providerType: 'Schedule', schedule: { expression: 'rate(1 hour)' } }];
    expect(messagesOf(p, 'requires-pipeline-type-v2')).toEqual([
      'triggers: triggers need pipelineType V2; set pipelineType: V2',
      'variables: pipeline variables need pipelineType V2; set pipelineType: V2',
      'executionMode: executionMode PARALLEL needs pipelineType V2; set pipelineType: V2',
      'stages/1/actions/0/actionTypeId: Commands actions need pipelineType V2; set pipelineType: V2',
    ]);
  });

  it('warns about polling sources without failing validation', () => {
    const p = validPipeline();
    const source = actionAt(p, 0);
    source.actionTypeId.provider = 'CodeCommit';
    source.configuration = { RepositoryName: 'web', BranchName: 'main', PollForSourceChanges: 'True' };
    const diagnostics = messagesOf(p, 'polling-source');
    expect(diagnostics).toHaveLength(1);
    expect(codes(p)).toEqual(['polling-source']);
  });
});
