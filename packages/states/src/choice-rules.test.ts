import { describe, expect, it } from 'vitest';
import { COMPARISON_OPERATORS, evaluateRule, isTimestamp, wildcardMatch } from './choice-rules.ts';
import { select } from './jsonpath-io.ts';

const input = {
  s: 'abc',
  n: 5,
  b: true,
  t: '2026-01-01T00:00:00Z',
  t2: '2026-01-01T01:00:00+01:00',
  nil: null,
};
const rule = (r: Record<string, unknown>) =>
  evaluateRule(r, (p) => select(p, { input, context: {}, variables: { v: 5 } }));

describe('evaluateRule', () => {
  it('knows every operator of the Choice state', () => {
    expect(COMPARISON_OPERATORS).toHaveLength(39);
    expect(COMPARISON_OPERATORS).toContain('TimestampGreaterThanEqualsPath');
    expect(COMPARISON_OPERATORS).toContain('BooleanEqualsPath');
  });

  it('compares strings, numbers, booleans and timestamps (as instants), with *Path operands', () => {
    expect(rule({ Variable: '$.s', StringGreaterThan: 'abb' })).toBe(true);
    expect(rule({ Variable: '$.n', NumericLessThanEquals: 5 })).toBe(true);
    expect(rule({ Variable: '$.n', NumericEqualsPath: '$v' })).toBe(true);
    expect(rule({ Variable: '$.b', BooleanEquals: false })).toBe(false);
    expect(rule({ Variable: '$.t', TimestampEqualsPath: '$.t2' })).toBe(true);
    expect(rule({ Variable: '$.s', NumericEquals: 5 })).toBe(false);
  });

  it('tests types and presence', () => {
    expect(rule({ Variable: '$.nil', IsNull: true })).toBe(true);
    expect(rule({ Variable: '$.t', IsTimestamp: true })).toBe(true);
    expect(rule({ Variable: '$.s', IsTimestamp: false })).toBe(true);
    expect(rule({ Variable: '$.missing', IsPresent: false })).toBe(true);
    expect(rule({ Not: { Variable: '$.n', IsString: true } })).toBe(true);
    expect(
      rule({
        Or: [
          { Variable: '$.n', IsBoolean: true },
          { Variable: '$.b', IsBoolean: true },
        ],
      }),
    ).toBe(true);
  });

  it('raises States.Runtime for a Variable or *Path operand that matches nothing', () => {
    expect(() => rule({ Variable: '$.missing', IsNull: true })).toThrow(/States.Runtime/);
    expect(() => rule({ Variable: '$.n', NumericEqualsPath: '$.missing' })).toThrow(/States.Runtime/);
  });
});

describe('wildcardMatch and isTimestamp', () => {
  it('matches * as any run and \\* as a star', () => {
    expect(wildcardMatch('log-*.txt', 'log-2026.txt')).toBe(true);
    expect(wildcardMatch('*.txt', 'a.txt.gz')).toBe(false);
    expect(wildcardMatch('a\\*b', 'a*b')).toBe(true);
    expect(wildcardMatch('a\\*b', 'axb')).toBe(false);
    expect(wildcardMatch('(x)', '(x)')).toBe(true);
  });

  it('accepts RFC 3339 timestamps only', () => {
    expect(isTimestamp('2026-01-01T00:00:00.123Z')).toBe(true);
    expect(isTimestamp('2026-01-01 00:00:00Z')).toBe(false);
    expect(isTimestamp('2026-01-01t00:00:00z')).toBe(false);
  });
});
