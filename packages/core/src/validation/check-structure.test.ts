import { describe, expect, it } from 'vitest';
import type { Action } from '../model/pipeline.ts';
import { actionAt, codes, messagesOf, validPipeline } from './test-pipeline.test-helper.ts';

describe('checkStructure', () => {
  it('needs at least 2 stages', () => {
    const p = validPipeline();
    p.stages = p.stages.slice(0, 1);
    expect(codes(p)).toEqual(['too-few-stages']);
  });

  it('allows at most 50 stages', () => {
    const p = validPipeline();
    const approve = p.stages[2];
    if (approve === undefined) throw new Error('fixture changed');
    for (let i = 0; i < 48; i++) p.stages.push({ ...approve, name: `Approve${i}` });
    expect(codes(p)).toEqual(['too-many-stages']);
  });

  it('rejects an empty stage', () => {
    const p = validPipeline();
    (p.stages[2] as { actions: Action[] }).actions = [];
    expect(messagesOf(p, 'empty-stage')).toEqual([
      'stages/2/actions: stage "Approve" has no actions; add at least one action or remove the stage',
    ]);
  });

  it('allows at most 50 actions per stage and 50 in parallel', () => {
    const p = validPipeline();
    const release = actionAt(p, 2);
    (p.stages[2] as { actions: Action[] }).actions = Array.from({ length: 51 }, (_, i) => ({
      ...release,
      name: `A${i}`,
    }));
    expect(codes(p)).toEqual(['too-many-actions', 'too-many-parallel-actions']);
  });

  it('keeps Source actions in the first stage and everything else out of it', () => {
    const p = validPipeline();
    const source = actionAt(p, 0);
    p.stages[1]?.actions.push({
      ...source,
      name: 'Docs',
      outputArtifacts: [{ name: 'Docs' }],
      namespace: undefined,
    });
    p.stages[0]?.actions.push({ ...actionAt(p, 2), name: 'Gate' });
    p.stages[0]?.actions.push({ ...actionAt(p, 3), name: 'Up', inputArtifacts: [{ name: 'SourceOutput' }] });
    const found = codes(p);
    expect(found).toEqual(
      expect.arrayContaining([
        'source-not-in-first-stage',
        'approval-in-first-stage',
        'non-source-in-first-stage',
      ]),
    );
  });

  it('requires runOrder to be an integer from 1 to 999', () => {
    for (const runOrder of [0, 1000, 1.5]) {
      const p = validPipeline();
      actionAt(p, 2).runOrder = runOrder;
      expect(codes(p)).toEqual(['invalid-run-order']);
    }
  });

  it('rejects artifactStore together with artifactStores, and bad bucket names', () => {
    const p = validPipeline();
    p.artifactStore = { type: 'S3', location: 'b' };
    p.artifactStores = { 'us-east-1': { type: 'S3', location: 'artifacts-use1' } };
    expect(codes(p)).toEqual(['artifact-store-conflict', 'invalid-artifact-store']);
  });
});
