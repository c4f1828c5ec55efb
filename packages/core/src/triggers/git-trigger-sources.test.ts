import { describe, expect, it } from 'vitest';
import type { Action, Pipeline } from '../model/pipeline.ts';
import { gitTriggerSources, sourceRepository } from './git-trigger-sources.ts';

function source(name: string, provider: string, configuration: Record<string, string>): Action {
  return {
    name,
    actionTypeId: { category: 'Source', owner: 'AWS', provider, version: '1' },
    runOrder: 1,
    configuration,
    inputArtifacts: [],
    outputArtifacts: [],
  };
}

describe('sourceRepository', () => {
  it.each([
    [{ FullRepositoryId: 'acme/web' }, 'acme/web'],
    [{ Owner: 'acme', Repo: 'web' }, 'acme/web'],
    [{ RepositoryUrl: 'https://github.com/acme/web.git' }, 'acme/web'],
    [{ RepositoryUrl: 'git@github.com:acme/web.git' }, 'acme/web'],
    [{ RepositoryUrl: './repo' }, undefined],
    [{ FullRepositoryId: '#{variables.repo}' }, undefined],
  ])('reads %j as %s', (configuration, expected) => {
    expect(sourceRepository(source('S', 'Git', configuration))).toBe(expected);
  });
});

describe('gitTriggerSources', () => {
  it('lists git triggers, then change detection of the git sources no trigger names', () => {
    const pipeline: Pipeline = {
      name: 'p',
      executionMode: 'QUEUED',
      pipelineType: 'V2',
      variables: [],
      triggers: [
        { providerType: 'Schedule', schedule: { expression: 'rate(1 day)' } },
        { providerType: 'CodeStarSourceConnection', gitConfiguration: { sourceActionName: 'A' } },
      ],
      stages: [
        {
          name: 'Source',
          actions: [
            source('A', 'CodeStarSourceConnection', {}),
            source('B', 'Git', {}),
            source('C', 'Git', { DetectChanges: 'false' }),
            source('D', 'S3', {}),
          ],
        },
      ],
    };
    expect(gitTriggerSources(pipeline).map((s) => s.label)).toEqual([
      'git trigger 2 (source action "A")',
      'change detection of source action "B"',
    ]);
  });
});
