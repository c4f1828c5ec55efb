import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from './intrinsics.ts';
import { select } from './jsonpath-io.ts';

const env = { random: Math.random, uuid: () => 'u' };
const on = (text: string, input: unknown) =>
  evaluateIntrinsic(text, (p) => select(p, { input, context: {}, variables: {} }), env);

describe('intrinsic functions (property)', () => {
  it('ArrayPartition chunks flatten back to the array, each chunk at most the size', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.integer({ min: 1, max: 10 }), (list, size) => {
        const chunks = on('States.ArrayPartition($.list, $.size)', { list, size }) as unknown[][];
        expect(chunks.flat()).toEqual(list);
        for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(size);
      }),
    );
  });

  it('ArrayRange holds every step from the start up to the end', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 10 }),
        (start, span, step) => {
          const range = on('States.ArrayRange($.a, $.b, $.c)', {
            a: start,
            b: start + span,
            c: step,
          }) as number[];
          expect(range.length).toBe(Math.floor(span / step) + 1);
          for (const [i, n] of range.entries()) expect(n).toBe(start + i * step);
        },
      ),
    );
  });

  it('Base64 and JSON text round-trip', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.jsonValue(), (text, value) => {
        expect(on('States.Base64Decode(States.Base64Encode($.t))', { t: text })).toBe(text);
        expect(on('States.StringToJson(States.JsonToString($.v))', { v: value })).toEqual(
          JSON.parse(JSON.stringify(value)),
        );
      }),
    );
  });

  it('StringSplit tokens hold no delimiter and join back to the text without delimiters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom(',', '.+', ' -'), (text, delimiters) => {
        const tokens = on('States.StringSplit($.t, $.d)', { t: text, d: delimiters }) as string[];
        const strip = [...text].filter((c) => !delimiters.includes(c)).join('');
        expect(tokens.join('')).toBe(strip);
        for (const token of tokens) expect(token.length).toBeGreaterThan(0);
      }),
    );
  });

  it('MathRandom stays within [start, end)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer(),
        (start, span, seed) => {
          const n = on('States.MathRandom($.a, $.b, $.s)', { a: start, b: start + span, s: seed }) as number;
          expect(n).toBeGreaterThanOrEqual(start);
          expect(n).toBeLessThan(start + span);
        },
      ),
    );
  });
});
