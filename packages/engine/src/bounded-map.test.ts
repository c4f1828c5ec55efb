import { describe, expect, it } from 'vitest';
import { BoundedMap } from './bounded-map.ts';

describe('BoundedMap', () => {
  it('keeps the most recently set entries up to its capacity', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1).set('b', 2).set('a', 10).set('c', 3);
    expect([...m.entries()]).toEqual([
      ['a', 10],
      ['c', 3],
    ]);
  });
});
