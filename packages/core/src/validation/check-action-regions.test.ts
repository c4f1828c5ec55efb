import { describe, expect, it } from 'vitest';
import { actionAt, codes, messagesOf, validPipeline } from './test-pipeline.test-helper.ts';

describe('checkActionRegions', () => {
  it('needs an artifact store in every region an action names, with artifactStores', () => {
    const p = validPipeline();
    delete p.artifactStore;
    p.artifactStores = { 'eu-west-1': { type: 'S3', location: 'acme-eu' } };
    actionAt(p, 1).region = 'us-east-1';
    expect(messagesOf(p, 'missing-region-artifact-store')).toEqual([
      "stages/1/actions/0/region: the action runs in us-east-1, but artifactStores has no store there; add artifactStores.us-east-1 (an S3 bucket in us-east-1) or change the action's region",
    ]);
    p.artifactStores['us-east-1'] = { type: 'S3', location: 'acme-us' };
    expect(codes(p)).not.toContain('missing-region-artifact-store');
  });

  it('warns about a region next to a single artifactStore', () => {
    const p = validPipeline();
    actionAt(p, 1).region = 'us-east-1';
    expect(codes(p)).toContain('action-region-without-artifact-stores');
    expect(codes(p)).not.toContain('missing-region-artifact-store');
  });
});
