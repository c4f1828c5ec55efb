import { describe, expect, it } from 'vitest';
import { allocateStateNames, fnv1a32, hashedStateName } from './state-names.ts';

describe('fnv1a32', () => {
  it('matches the FNV-1a reference values', () => {
    expect(fnv1a32('')).toBe('811c9dc5');
    expect(fnv1a32('a')).toBe('e40c292c');
    expect(fnv1a32('foobar')).toBe('bf9cf968');
  });
});

describe('hashedStateName', () => {
  it('keeps a short stage whole and cuts a long action', () => {
    const name = hashedStateName('Build', 'x'.repeat(200), 'id');
    expect(name).toBe(`Build.${'x'.repeat(65)}~${fnv1a32('id')}`);
    expect(name).toHaveLength(80);
  });

  it('cuts both halves when both are long', () => {
    const name = hashedStateName('s'.repeat(100), 'a'.repeat(100), 'id');
    expect(name).toBe(`${'s'.repeat(35)}.${'a'.repeat(35)}~${fnv1a32('id')}`);
  });

  it('never splits a surrogate pair', () => {
    const name = hashedStateName('🚀'.repeat(100), 'gate', 'id');
    expect(Array.from(name)).toHaveLength(80);
    expect(name.isWellFormed()).toBe(true);
  });
});

describe('allocateStateNames', () => {
  it('keeps unique readable names and hashes only colliding actions', () => {
    const names = allocateStateNames(
      [
        { stage: 'S', part: 'gate', identity: 'g', structural: true },
        { stage: 'S', part: 'gate', identity: 'a', structural: false },
        { stage: 'S', part: 'Build', identity: 'b', structural: false },
      ],
      ['Start'],
    );
    expect(names).toEqual(['S.gate', `S.gate~${fnv1a32('a')}`, 'S.Build']);
  });
});
