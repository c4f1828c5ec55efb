import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isValidResourceName,
  RESOURCE_NAME_RULES,
  type ResourceKind,
  resourceName,
} from './resource-name.ts';

const KINDS = Object.keys(RESOURCE_NAME_RULES) as ResourceKind[];

/** Mostly name-like text, sometimes anything (unicode, spaces, punctuation), sometimes long. */
const part = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._@-]{1,30}$/),
  fc.string({ minLength: 0, maxLength: 40, unit: 'grapheme' }),
  fc.stringMatching(/^[a-z-]{60,200}$/),
);
const input = fc.record({
  kind: fc.constantFrom(...KINDS),
  app: part,
  stage: part,
  parts: fc.array(part, { maxLength: 4 }),
});

describe('resourceName (properties)', () => {
  it('always gives a name the service accepts, within its length limit', () => {
    fc.assert(
      fc.property(input, ({ kind, app, stage, parts }) => {
        const name = resourceName(kind, app, stage, ...parts);
        expect(name.length).toBeLessThanOrEqual(RESOURCE_NAME_RULES[kind].max);
        expect(isValidResourceName(kind, name)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('state machines ≤ 80, rules ≤ 64, schedules ≤ 64, roles ≤ 64', () => {
    const limits: [ResourceKind, number][] = [
      ['stateMachine', 80],
      ['eventRule', 64],
      ['schedule', 64],
      ['role', 64],
    ];
    fc.assert(
      fc.property(part, part, fc.array(part, { maxLength: 3 }), (app, stage, parts) => {
        for (const [kind, max] of limits)
          expect(resourceName(kind, app, stage, ...parts).length).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('is deterministic and keeps a valid name unchanged', () => {
    fc.assert(
      fc.property(input, ({ kind, app, stage, parts }) => {
        const name = resourceName(kind, app, stage, ...parts);
        expect(resourceName(kind, app, stage, ...parts)).toBe(name);
        const raw = [app, stage, ...parts].join('-');
        if (isValidResourceName(kind, raw)) expect(name).toBe(raw);
        else expect(name).toMatch(/[0-9a-f]{8}$/);
      }),
      { numRuns: 500 },
    );
  });

  it('gives different names to different <app>-<stage>-<parts> strings', () => {
    fc.assert(
      fc.property(
        input,
        fc.array(part, { minLength: 1, maxLength: 3 }),
        ({ kind, app, stage, parts }, other) => {
          const a = [app, stage, ...parts].join('-');
          const b = [app, stage, ...other].join('-');
          fc.pre(a !== b);
          expect(resourceName(kind, app, stage, ...parts)).not.toBe(resourceName(kind, app, stage, ...other));
        },
      ),
      { numRuns: 500 },
    );
  });
});
