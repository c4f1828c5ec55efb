import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePath, selectPath, writePath } from './jsonpath.ts';

const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/);
const segments = fc.array(key, { minLength: 1, maxLength: 5 });
const dotted = (keys: string[]) => `$.${keys.join('.')}`;
const bracketed = (keys: string[]) => `$${keys.map((k) => `['${k}']`).join('')}`;

describe('JSONPath (property)', () => {
  it('reads back what ResultPath wrote into new objects at any depth, leaving the rest of the input alone', () => {
    fc.assert(
      fc.property(segments, fc.jsonValue(), fc.dictionary(key, fc.jsonValue()), (keys, value, input) => {
        fc.pre(!Object.hasOwn(input, keys[0] as string)); // (writing through a non-object fails: see jsonpath.test.ts)
        // Act
        const written = writePath(input, compilePath(dotted(keys)), value);
        // Assess
        expect(written).toBeDefined();
        const read = selectPath(compilePath(dotted(keys)), written?.value);
        expect(read).toEqual({ found: true, value });
        const out = written?.value as Record<string, unknown>;
        for (const k of Object.keys(input)) if (k !== keys[0]) expect(out[k]).toEqual(input[k]);
      }),
    );
  });

  it('dot and bracket notation select the same value', () => {
    fc.assert(
      fc.property(segments, fc.jsonValue(), (keys, value) => {
        const doc = writePath({}, compilePath(dotted(keys)), value)?.value;
        expect(selectPath(compilePath(bracketed(keys)), doc)).toEqual(
          selectPath(compilePath(dotted(keys)), doc),
        );
      }),
    );
  });

  it('a wildcard over an array selects its items in order; a filter keeps exactly the matching ones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 })),
        fc.integer({ min: -50, max: 50 }),
        (ns, limit) => {
          const doc = { items: ns.map((n) => ({ n })) };
          expect(
            selectPath(compilePath('$.items[*].n'), doc).found &&
              selectPath(compilePath('$.items[*].n'), doc),
          ).toEqual({ found: true, value: ns });
          const kept = selectPath(compilePath(`$.items[?(@.n < ${limit})].n`), doc);
          expect(kept).toEqual({ found: true, value: ns.filter((n) => n < limit) });
        },
      ),
    );
  });
});
