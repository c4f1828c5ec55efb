import fc from 'fast-check';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { BAIL, compileFast } from './jsonata-fast.ts';

const EXPRESSIONS = [
  '$states.input.n',
  '$states.input.a.b',
  '{"n": $states.input.n + 1, "s": $states.input.s}',
  '$states.input.n * 2 - $x / 4',
  '$states.input.n > $x',
  '$states.input.s = "a" and $states.input.n >= 0',
  '$states.input.n % 3 = 1 or $x < 0',
  '$states.input.s & "-" & $states.input.s',
  '$states.input.n > 0 ? $states.input.s : -$x',
  '{"deep": {"v": $states.input.a}, "k": true, "z": null}',
];
const value = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom('a', 'b', ''),
  fc.boolean(),
  fc.constant(null),
);
const input = fc.record(
  { n: value, s: value, a: fc.oneof(value, fc.record({ b: value }), fc.array(value, { maxLength: 2 })) },
  { requiredKeys: [] },
);

describe('jsonata fast path (property)', () => {
  it('compiles every expression of the subset', () => {
    for (const text of EXPRESSIONS) expect(compileFast(jsonata(text).ast()), text).toBeDefined();
  });

  it('gives JSONata its own answer, or bails', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...EXPRESSIONS), input, value, async (text, states, x) => {
        // Prepare
        const expression = jsonata(text);
        const fast = compileFast(expression.ast());
        // Act
        const got = fast?.({ states: { input: states }, variables: { x } });
        // Assess
        if (got === BAIL) return;
        let want: unknown;
        try {
          want = await expression.evaluate({}, { states: { input: states }, x });
        } catch {
          throw new Error(`the fast path answered ${JSON.stringify(got)} where JSONata fails`);
        }
        expect(JSON.parse(JSON.stringify(got ?? null))).toEqual(JSON.parse(JSON.stringify(want ?? null)));
        expect(got === undefined).toBe(want === undefined);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves expressions outside the subset to JSONata', () => {
    for (const text of ['$sum([1,2])', '$states.input.list[0]', '$.a', '[1, 2]', '$states.input.a.b[c > 1]'])
      expect(compileFast(jsonata(text).ast()), text).toBeUndefined();
  });
});
