import { describe, expect, it } from 'vitest';
import { didYouMean } from './did-you-mean.ts';

describe('didYouMean', () => {
  it('prefers a case-only difference', () => {
    expect(didYouMean('CommitID', ['CommitMessage', 'CommitId', 'BranchName'])).toBe('CommitId');
  });

  it('suggests a name one edit away', () => {
    expect(didYouMean('Brnch', ['Branch', 'Tag'])).toBe('Branch');
  });

  it('suggests a name the wanted one abbreviates', () => {
    expect(didYouMean('SourceVars', ['BuildVariables', 'SourceVariables'])).toBe('SourceVariables');
  });

  it('suggests nothing for unrelated names or no candidates', () => {
    expect(didYouMean('Zebra', ['BranchName', 'CommitId'])).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
});
