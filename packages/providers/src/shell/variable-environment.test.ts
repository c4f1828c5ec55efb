import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  rewriteVariableReferences,
  substituteVariables,
  variableEnvironment,
  variableEnvironmentNames,
} from './variable-environment.ts';

function bash(script: string, env: Record<string, string>): string {
  return execFileSync('bash', ['--norc', '--noprofile', '-c', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
}

describe('variableEnvironmentNames', () => {
  it('maps Namespace.Name to PW_Namespace_Name', () => {
    const names = variableEnvironmentNames(['SourceVariables.CommitId', 'codepipeline.PipelineExecutionId']);
    expect(names.get('SourceVariables.CommitId')).toBe('PW_SourceVariables_CommitId');
    expect(names.get('codepipeline.PipelineExecutionId')).toBe('PW_codepipeline_PipelineExecutionId');
  });

  it('keeps names distinct when two keys sanitize alike', () => {
    const names = variableEnvironmentNames(['a.b-c', 'a.b_c', 'a@b.c']);
    expect(new Set(names.values()).size).toBe(3);
    expect(names.get('a.b-c')).toBe('PW_a_b_c');
    expect(names.get('a.b_c')).toBe('PW_a_b_c_2');
  });
});

describe('rewriteVariableReferences', () => {
  const variables = { 'Src.Msg': '"; touch pwned #', 'Src.Sub': "$(touch pwned) `id` it's", 'v.Two': 'a b' };
  const { names, env } = variableEnvironment(variables);

  it('rewrites unquoted, double-quoted and single-quoted references so the shell sees values as data', () => {
    const cases: [string, string][] = [
      ['printf "%s|" #{v.Two}', 'a|b|'],
      ['printf "%s|" "#{v.Two}"', 'a b|'],
      ["printf '%s|' 'x #{v.Two} y'", 'x a b y|'],
      ["printf '%s|' $'x\\t#{v.Two}'", 'x\ta b|'],
      ['printf "%s|" "#{Src.Msg}"', '"; touch pwned #|'],
      ['printf "%s|" "#{Src.Sub}"', "$(touch pwned) `id` it's|"],
      ["# it's a comment\nprintf '%s|' #{v.Two}", 'a|b|'],
    ];
    for (const [command, expected] of cases) {
      const { text, missing } = rewriteVariableReferences(command, names);
      expect(missing).toEqual([]);
      expect(text).not.toContain('touch pwned');
      expect(bash(text, env)).toBe(expected);
    }
  });

  it('reports references with no variable', () => {
    expect(rewriteVariableReferences('echo #{Nope.X}', names)).toEqual({
      text: 'echo #{Nope.X}',
      missing: ['#{Nope.X}'],
    });
  });
});

describe('substituteVariables', () => {
  it('replaces known references and keeps unknown ones', () => {
    expect(substituteVariables('#{v.Two}/#{x.y}', { 'v.Two': 'a b' })).toBe('a b/#{x.y}');
  });
});
