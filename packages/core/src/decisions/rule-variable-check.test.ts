import { describe, expect, it } from 'vitest';
import { evaluateVariableCheck } from './rule-variable-check.ts';

const context = {
  executionId: 'x1',
  pipelineVariables: { ENV: 'prod' },
  namespaces: { SourceVariables: { BranchName: 'release/1.2', CommitMessage: 'Update README' } },
};
const check = (Variable: string, Operator: string, Value: string) =>
  evaluateVariableCheck({ Variable, Operator, Value }, context);

describe('evaluateVariableCheck', () => {
  it('compares with EQ and NE', () => {
    expect(check('#{variables.ENV}', 'EQ', 'prod')).toEqual({
      status: 'Succeeded',
      summary: '"prod" EQ "prod"',
    });
    expect(check('#{variables.ENV}', 'EQ', 'dev').status).toBe('Failed');
    expect(check('#{variables.ENV}', 'NE', 'dev').status).toBe('Succeeded');
    expect(check('#{variables.ENV}', 'NE', 'prod').status).toBe('Failed');
  });

  it('finds a substring with CONTAINS', () => {
    expect(check('#{SourceVariables.CommitMessage}', 'CONTAINS', 'README').status).toBe('Succeeded');
    expect(check('#{SourceVariables.CommitMessage}', 'CONTAINS', 'readme').status).toBe('Failed');
  });

  it('matches the whole value with MATCHES, as Java does', () => {
    expect(check('#{SourceVariables.BranchName}', 'MATCHES', 'release/\\d+\\.\\d+').status).toBe('Succeeded');
    expect(check('#{SourceVariables.BranchName}', 'MATCHES', 'release').status).toBe('Failed');
    expect(check('#{SourceVariables.BranchName}', 'MATCHES', 'release.*').status).toBe('Succeeded');
  });

  it('reports an error, not a verdict, for what cannot be evaluated', () => {
    // Act
    const unknownVariable = check('#{SourceVariables.Nope}', 'EQ', 'x');
    const unknownOperator = check('#{variables.ENV}', 'GT', 'x');
    const badRegex = check('#{variables.ENV}', 'MATCHES', '(');
    const missing = evaluateVariableCheck({ Variable: '#{variables.ENV}' }, context);
    // Assess
    expect(unknownVariable.status).toBe('Errored');
    expect(unknownVariable.summary).toContain('Nope');
    expect(unknownOperator).toEqual({
      status: 'Errored',
      summary: 'VariableCheck Operator "GT" is unknown; use EQ, NE, CONTAINS, MATCHES',
    });
    expect(badRegex.status).toBe('Errored');
    expect(badRegex.summary).toContain('not a valid regular expression');
    expect(missing.summary).toContain('needs configuration Value, Operator');
  });
});
