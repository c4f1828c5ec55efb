import { describe, expect, it } from 'vitest';
import { actionAt, codes, messagesOf, validPipeline } from './test-pipeline.test-helper.ts';

describe('checkArtifacts', () => {
  it('reports an input no action produces, suggesting the closest available one', () => {
    const p = validPipeline();
    actionAt(p, 3).inputArtifacts = [{ name: 'BuildOutptu' }];
    expect(messagesOf(p, 'artifact-not-produced')).toEqual([
      'stages/3/actions/0/inputArtifacts/0: artifact "BuildOutptu" is not produced by any earlier action; did you mean "BuildOutput"? artifacts available here: "SourceOutput" and "BuildOutput". Name the output artifact of an earlier action',
    ]);
  });

  it('names the producer when it runs later', () => {
    const p = validPipeline();
    actionAt(p, 1).inputArtifacts = [{ name: 'SourceOutput' }, { name: 'Site' }];
    actionAt(p, 3).outputArtifacts = [{ name: 'Site' }];
    expect(messagesOf(p, 'artifact-produced-later')).toEqual([
      'stages/1/actions/0/inputArtifacts/1: artifact "Site" is produced by stages[3].actions[0] (Upload), which runs later; move that action to an earlier stage or a lower runOrder, or move this one after it',
    ]);
  });

  it('accepts a producer with a lower runOrder in the same stage', () => {
    const p = validPipeline();
    const compile = actionAt(p, 1);
    p.stages[1]?.actions.push({
      ...compile,
      name: 'Package',
      runOrder: 2,
      inputArtifacts: [{ name: 'BuildOutput' }],
      outputArtifacts: [],
      namespace: undefined,
      outputVariables: undefined,
    });
    expect(codes(p)).toEqual([]);
  });

  it('rejects a producer in parallel (same runOrder)', () => {
    const p = validPipeline();
    const compile = actionAt(p, 1);
    p.stages[1]?.actions.push({
      ...compile,
      name: 'Package',
      inputArtifacts: [{ name: 'BuildOutput' }],
      outputArtifacts: [],
      namespace: undefined,
    });
    expect(codes(p)).toContain('artifact-produced-later');
  });

  it('rejects output artifact names used twice', () => {
    const p = validPipeline();
    actionAt(p, 1).outputArtifacts = [{ name: 'SourceOutput' }];
    actionAt(p, 3).inputArtifacts = [{ name: 'SourceOutput' }];
    expect(codes(p)).toEqual(['duplicate-output-artifact']);
  });

  it('warns about outputs nobody consumes, except in the last stage', () => {
    const p = validPipeline();
    actionAt(p, 1).outputArtifacts.push({ name: 'Reports' });
    actionAt(p, 0).namespace = undefined;
    const diagnostics = messagesOf(p, 'unused-output-artifact');
    expect(diagnostics).toEqual([
      'stages/1/actions/0/outputArtifacts/1: artifact "Reports" is produced but no action consumes it; consume it in a later action or remove it',
    ]);
  });

  it('checks rule input artifacts against the stages before (beforeEntry)', () => {
    const p = validPipeline();
    (p.stages[1] as { beforeEntry?: unknown }).beforeEntry = {
      conditions: [
        {
          result: 'FAIL',
          rules: [
            {
              name: 'Check',
              ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'Commands', version: '1' },
              configuration: {},
              commands: ['true'],
              inputArtifacts: [{ name: 'BuildOutput' }],
            },
          ],
        },
      ],
    };
    expect(codes(p)).toEqual(['artifact-not-produced']);
  });
});
