import { describe, expect, it } from 'vitest';
import { VariableResolutionError } from '../errors.ts';
import { resolveConfiguration, resolveVariables, type VariableContext } from './resolve-variables.ts';

const context: VariableContext = {
  executionId: 'exec-42',
  pipelineVariables: { env: 'prod', empty: '' },
  namespaces: {
    SourceVariables: { CommitId: 'abc123', BranchName: 'main', CommitMessage: 'fix #{variables.env}' },
  },
};

function errorOf(fn: () => unknown): VariableResolutionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof VariableResolutionError) return e;
    throw e;
  }
  throw new Error('expected a VariableResolutionError');
}

describe('resolveVariables', () => {
  it('replaces action, pipeline and codepipeline references', () => {
    expect(
      resolveVariables(
        '#{SourceVariables.CommitId}@#{variables.env}/#{codepipeline.PipelineExecutionId}',
        context,
      ),
    ).toBe('abc123@prod/exec-42');
  });

  it('returns text without references unchanged', () => {
    expect(resolveVariables('plain $HOME {x.y}', context)).toBe('plain $HOME {x.y}');
  });

  it('never re-scans substituted values', () => {
    expect(resolveVariables('msg=#{SourceVariables.CommitMessage}', context)).toBe(
      'msg=fix #{variables.env}',
    );
  });

  it('substitutes empty values', () => {
    expect(resolveVariables('[#{variables.empty}]', context)).toBe('[]');
  });

  it('leaves malformed references as written', () => {
    expect(resolveVariables('#{nodot} #{variables.env}', context)).toBe('#{nodot} prod');
  });

  it('names the variable, the known ones and a suggestion when a name is misspelt', () => {
    const e = errorOf(() => resolveVariables('#{SourceVariables.CommitID}', context));
    expect(e.reference).toBe('#{SourceVariables.CommitID}');
    expect(e.code).toBe('PW1002');
    expect(e.message).toContain('namespace SourceVariables has no variable CommitID');
    expect(e.message).toContain('known: CommitId, BranchName, CommitMessage');
    expect(e.message).toContain('did you mean CommitId?');
  });

  it('names the known namespaces when a namespace is unknown', () => {
    const e = errorOf(() => resolveVariables('#{SourceVars.CommitId}', context));
    expect(e.message).toContain('no completed action has namespace SourceVars');
    expect(e.message).toContain('known namespaces: SourceVariables');
    expect(e.message).toContain('did you mean SourceVariables?');
  });

  it('rejects unknown pipeline variables and codepipeline variables', () => {
    expect(errorOf(() => resolveVariables('#{variables.nope}', context)).message).toContain(
      'known: env, empty',
    );
    expect(errorOf(() => resolveVariables('#{codepipeline.PipelineName}', context)).message).toContain(
      'known: PipelineExecutionId',
    );
  });

  it('does not resolve inherited object properties', () => {
    expect(() => resolveVariables('#{variables.toString}', context)).toThrow(VariableResolutionError);
    expect(() => resolveVariables('#{constructor.name}', context)).toThrow(VariableResolutionError);
  });
});

describe('resolveConfiguration', () => {
  it('resolves every value', () => {
    expect(
      resolveConfiguration(
        { StackName: 'app-#{variables.env}', Ref: '#{SourceVariables.BranchName}' },
        context,
      ),
    ).toEqual({ StackName: 'app-prod', Ref: 'main' });
  });

  it('names the configuration key of an unresolvable value', () => {
    const e = errorOf(() => resolveConfiguration({ A: 'x', B: '#{variables.missing}' }, context));
    expect(e.path).toEqual(['B']);
    expect(e.message).toContain('configuration B: cannot resolve #{variables.missing}');
  });
});
