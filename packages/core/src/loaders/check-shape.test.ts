import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { Diagnostic } from '../model/diagnostic.ts';
import { checkShape } from './check-shape.ts';
import { Intrinsic } from './intrinsic.ts';

function check(schema: z.ZodType, value: unknown, aliases?: Record<string, string>): string[] {
  const diagnostics: Diagnostic[] = [];
  checkShape(schema, value, [], {
    diagnostics,
    locate: () => ({ line: 1, col: 1 }),
    ...(aliases ? { aliases } : {}),
  });
  return diagnostics.map((d) => `${d.code} ${d.path.join('.')}: ${d.message}`);
}

describe('checkShape', () => {
  const schema = z.strictObject({
    name: z.string(),
    mode: z.enum(['QUEUED', 'SUPERSEDED']).optional(),
    items: z
      .array(
        z.union([z.string(), z.strictObject({ name: z.string(), files: z.array(z.string()).optional() })]),
      )
      .optional(),
  });

  it('accepts a valid value, null for optional fields, and intrinsics anywhere', () => {
    expect(check(schema, { name: 'a', mode: null, items: ['x', { name: 'y' }] })).toEqual([]);
    expect(check(schema, { name: new Intrinsic('Ref', 'N') })).toEqual([]);
  });

  it('reports every problem at once', () => {
    expect(check(schema, { nmae: 'a', mode: 'queued', items: [1, { name: 'y', fils: [] }] })).toEqual([
      'unknown-field nmae: unknown field "nmae"; did you mean "name"?',
      'missing-field : missing required field "name" (a string); add it.',
      'invalid-value mode: "queued" is not allowed; expected one of QUEUED, SUPERSEDED. Did you mean "QUEUED"?',
      'invalid-type items.0: expected a string or a map, got number 1.',
      'unknown-field items.1.fils: unknown field "fils"; did you mean "files"?',
    ]);
  });

  it('prefers an alias over edit distance for suggestions', () => {
    expect(check(schema, { name: 'a', itemz: [], elements: [] }, { elements: 'items' })).toEqual([
      'unknown-field itemz: unknown field "itemz"; did you mean "items"?',
      'unknown-field elements: unknown field "elements"; did you mean "items"?',
    ]);
  });
});
