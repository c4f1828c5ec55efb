import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matchEventPattern } from './event-pattern.ts';
import { validateEventPattern } from './validate-event-pattern.ts';

interface PatternCase {
  doc: string;
  name: string;
  pattern: Record<string, unknown>;
  events: { event: unknown; matches: boolean }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../../../test/fixtures/triggers/event-patterns.json', import.meta.url), 'utf8'),
) as { cases: PatternCase[] };

describe('matchEventPattern', () => {
  describe.each(fixture.cases)('$name ($doc)', ({ pattern, events }) => {
    it('is a valid pattern', () => {
      expect(validateEventPattern(pattern)).toEqual([]);
    });
    it.each(events)('matches $event: $matches', ({ event, matches }) => {
      expect(matchEventPattern(pattern, event)).toBe(matches);
    });
  });

  it('ANDs $or with sibling keys', () => {
    const pattern = { source: ['a'], $or: [{ x: [1] }, { y: [2] }] };
    expect(matchEventPattern(pattern, { source: 'a', y: 2 })).toBe(true);
    expect(matchEventPattern(pattern, { source: 'b', y: 2 })).toBe(false);
  });

  it('does not match a nested pattern against a leaf value', () => {
    expect(matchEventPattern({ detail: { a: ['x'] } }, { detail: 'x' })).toBe(false);
  });

  it('matches nothing for an unknown operator', () => {
    expect(matchEventPattern({ a: [{ contains: 'x' }] }, { a: 'x' })).toBe(false);
  });
});

describe('validateEventPattern', () => {
  it.each([
    [{ source: 'aws.s3' }, 'source: values in a pattern must be lists, e.g. "source": ["aws.s3"]'],
    [{ source: [] }, 'source: an empty list matches nothing'],
    [{ a: [{ contains: 'x' }] }, 'a[0]: unknown operator "contains"'],
    [{ a: [{ prefix: 'x', suffix: 'y' }] }, 'exactly one operator, found prefix, suffix'],
    [{ a: [{ prefix: 1 }] }, '"prefix" takes a string'],
    [{ a: [{ numeric: ['>', 5, '<', 1] }] }, 'the numeric range is empty'],
    [{ a: [{ numeric: ['>', 5, '>', 1] }] }, 'at most one lower and one upper bound'],
    [{ a: [{ numeric: ['~', 5] }] }, 'unknown numeric operator "~"'],
    [{ a: [{ numeric: ['>', '5'] }] }, 'needs a number'],
    [{ a: [{ numeric: ['>'] }] }, 'one or two [operator, number] pairs'],
    [{ a: [{ numeric: ['=', 1, '<', 3] }] }, '"=" cannot be combined'],
    [{ a: [{ exists: 'yes' }] }, '"exists" takes true or false'],
    [{ a: [{ cidr: '10.0.0.0/33' }] }, '"cidr" takes an IPv4 or IPv6 block'],
    [{ a: [{ wildcard: 'a**b' }] }, 'consecutive *'],
    [{ a: [{ 'anything-but': [1, 'x'] }] }, 'only strings or only numbers'],
    [{ a: [{ 'anything-but': { contains: 'x' } }] }, '"anything-but" takes a value'],
    [{ $or: [{ a: ['x'] }] }, '"$or" takes a list of at least two pattern objects'],
    [{ detail: {} }, 'detail: an empty object'],
    [{ a: [['nested']] }, 'a[0]: a matcher is a value or an operator object'],
  ])('reports %j', (pattern, fragment) => {
    const problems = validateEventPattern(pattern);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(fragment);
  });

  it('reports a pattern that is not an object', () => {
    expect(validateEventPattern(['x'])).toEqual([
      'pattern: an event pattern is a JSON object, e.g. {"source": ["aws.s3"]}',
    ]);
  });

  it('reports every problem with its path', () => {
    expect(validateEventPattern({ detail: { a: 'x', $or: [{ b: [] }, { c: [{ exists: 1 }] }] } })).toEqual([
      'detail.a: values in a pattern must be lists, e.g. "a": ["x"]',
      'detail.$or[0].b: an empty list matches nothing; list at least one value',
      'detail.$or[1].c[0]: "exists" takes true or false',
    ]);
  });
});
