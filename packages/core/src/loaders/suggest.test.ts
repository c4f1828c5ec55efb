import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from './suggest.ts';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps, ignoring case', () => {
    expect(editDistance('stages', 'stages')).toBe(0);
    expect(editDistance('stagse', 'stages')).toBe(1);
    expect(editDistance('RunOrder', 'runorder')).toBe(0);
    expect(editDistance('actons', 'actions')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('closestMatch', () => {
  it('suggests a close candidate and nothing when none is close', () => {
    expect(closestMatch('nmae', ['name', 'stages'])).toBe('name');
    expect(closestMatch('InputArtifact', ['InputArtifacts', 'OutputArtifacts'])).toBe('InputArtifacts');
    expect(closestMatch('colour', ['name', 'stages'])).toBeUndefined();
    expect(closestMatch('x', [])).toBeUndefined();
  });
});
