import { describe, expect, it } from 'vitest';
import { findProvider, findProviderByName, PROVIDERS, supportedProviderNames } from './registry.ts';

describe('PROVIDERS', () => {
  it('has one spec per category/provider pair', () => {
    const names = supportedProviderNames();
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([
      'Source/Git',
      'Source/CodeCommit',
      'Source/CodeStarSourceConnection',
      'Source/GitHub',
      'Source/S3',
      'Source/ECR',
      'Build/Commands',
      'Test/Commands',
      'Compute/Commands',
      'Build/CodeBuild',
      'Test/CodeBuild',
      'Approval/Manual',
      'Invoke/Lambda',
      'Deploy/S3',
      'Deploy/CloudFormation',
      'Deploy/ECS',
      'Deploy/CodeDeployToECS',
      'Deploy/CodeDeploy',
      'Deploy/ElasticBeanstalk',
      'Invoke/StepFunctions',
    ]);
  });

  it('lists every configuration key of the schema, and only those', () => {
    for (const spec of PROVIDERS) {
      const all = Object.fromEntries(spec.configurationKeys.map((k) => [k, 'x']));
      const result = spec.configuration.safeParse({ ...all, NotAKey: 'x' });
      const unknown = result.success ? [] : result.error.issues.filter((i) => i.code === 'unrecognized_keys');
      expect(unknown.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : []))).toEqual(['NotAKey']);
    }
  });

  it('gives Source actions no inputs and exactly one output', () => {
    for (const spec of PROVIDERS.filter((p) => p.category === 'Source')) {
      expect([spec.inputArtifacts, spec.outputArtifacts]).toEqual([
        { min: 0, max: 0 },
        { min: 1, max: 1 },
      ]);
    }
  });
});

describe('findProvider', () => {
  it('returns CodePipeline default timeouts', () => {
    const timeout = (category: string, provider: string) =>
      findProvider({ category: category as 'Build', owner: 'AWS', provider })?.defaultTimeoutMinutes;
    expect(timeout('Approval', 'Manual')).toBe(7 * 24 * 60);
    expect(timeout('Deploy', 'CloudFormation')).toBe(3 * 24 * 60);
    expect(timeout('Invoke', 'Lambda')).toBe(24 * 60);
    expect(timeout('Deploy', 'S3')).toBe(90);
    expect(timeout('Build', 'Commands')).toBe(60);
  });

  it('needs an owner the provider accepts', () => {
    expect(findProvider({ category: 'Source', owner: 'ThirdParty', provider: 'GitHub' })?.provider).toBe(
      'GitHub',
    );
    expect(findProvider({ category: 'Source', owner: 'AWS', provider: 'GitHub' })).toBeUndefined();
    expect(findProviderByName('Source', 'GitHub')?.owners).toEqual(['ThirdParty']);
  });

  it('returns undefined for unknown providers', () => {
    expect(findProvider({ category: 'Deploy', owner: 'AWS', provider: 'EKS' })).toBeUndefined();
  });
});
