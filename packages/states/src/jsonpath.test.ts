import { describe, expect, it } from 'vitest';
import { compilePath, isReferencePath, PathSyntaxError, selectPath, writePath } from './jsonpath.ts';

const doc = {
  store: {
    book: [
      { title: 'A', price: 8, tags: ['x'] },
      { title: 'B', price: 12, isbn: '1' },
      { title: 'C', price: 5 },
    ],
    'a b': { c: 1 },
  },
};
const select = (path: string, root: unknown = doc) => selectPath(compilePath(path), root);
const values = (path: string) => {
  const selected = select(path);
  return selected.found ? selected.value : 'not found';
};

describe('selectPath', () => {
  it('selects one value with a definite path (dot, bracket, index, negative index)', () => {
    // Act / Assess
    expect(select('$')).toEqual({ found: true, value: doc });
    expect(select('$.store.book[1].title')).toEqual({ found: true, value: 'B' });
    expect(select("$['store']['a b'].c")).toEqual({ found: true, value: 1 });
    expect(select('$.store.book[-1].title')).toEqual({ found: true, value: 'C' });
    expect(select('$.store.book[(@.length-1)].title')).toEqual({ found: true, value: 'C' });
  });

  it('reports a definite path that matches nothing as not found', () => {
    expect(select('$.store.nothing')).toEqual({ found: false });
    expect(select('$.store.book[7]')).toEqual({ found: false });
    expect(select('$.store.book.title')).toEqual({ found: false });
  });

  it('selects an array of every match with wildcards, unions, slices, deep scans and filters', () => {
    expect(values('$.store.book[*].title')).toEqual(['A', 'B', 'C']);
    expect(values('$.store.book[0,2].title')).toEqual(['A', 'C']);
    expect(values('$.store.book[1:].price')).toEqual([12, 5]);
    expect(values('$.store.book[::2].title')).toEqual(['A', 'C']);
    expect(values('$..price')).toEqual([8, 12, 5]);
    expect(values('$.store.book[?(@.price < 10)].title')).toEqual(['A', 'C']);
    expect(values("$.store.book[?(@.price > 6 && @.title != 'B')].title")).toEqual(['A']);
    expect(values('$.store.book[?(@.isbn)].title')).toEqual(['B']);
    expect(values('$.store.book[?(!(@.price >= 8) || @.tags)].title')).toEqual(['A', 'C']);
    expect(values('$.nothing[*]')).toEqual([]);
  });

  it('knows its root: the input, the context object ($$) or a variable ($name)', () => {
    expect(compilePath('$$.Execution.Id').root).toBe('context');
    expect(compilePath('$myVar.a').root).toBe('variable');
    expect(compilePath('$myVar.a').variable).toBe('myVar');
    expect(compilePath('$.a').root).toBe('input');
  });

  it('throws PathSyntaxError on what is not a path', () => {
    for (const bad of ['a.b', '$.a[', '$.[1]', "$['a", '$.a[x]', '$.a[?(@.b ==)]'])
      expect(() => compilePath(bad), bad).toThrow(PathSyntaxError);
  });
});

describe('isReferencePath', () => {
  it('accepts only definite input paths', () => {
    expect(isReferencePath('$.a.b[0]')).toBe(true);
    expect(isReferencePath('$')).toBe(true);
    expect(isReferencePath('$.a[*]')).toBe(false);
    expect(isReferencePath('$$.Execution')).toBe(false);
    expect(isReferencePath('$x')).toBe(false);
  });
});

describe('writePath', () => {
  it('creates the objects on the way and copies instead of mutating', () => {
    // Prepare
    const input = { a: { keep: 1 } };
    // Act
    const out = writePath(input, compilePath('$.a.b.c'), 2);
    // Assess
    expect(out?.value).toEqual({ a: { keep: 1, b: { c: 2 } } });
    expect(input).toEqual({ a: { keep: 1 } });
  });

  it('fails when the path runs into a value that is not an object', () => {
    expect(writePath({ a: 'text' }, compilePath('$.a.b'), 1)).toBeUndefined();
    expect(writePath({ a: [1] }, compilePath('$.a[3]'), 1)).toBeUndefined();
    expect(writePath({ a: [1, 2] }, compilePath('$.a[1]'), 9)?.value).toEqual({ a: [1, 9] });
  });
});
