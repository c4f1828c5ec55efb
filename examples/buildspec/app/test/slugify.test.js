import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slugify } from '../src/index.js';

describe('slugify', () => {
  it('joins words with single dashes in lower case', () => {
    assert.equal(slugify('Hello, World!'), 'hello-world');
    assert.equal(slugify('  Release 2.0 -- notes  '), 'release-2-0-notes');
  });

  it('drops accents', () => {
    assert.equal(slugify('Crème brûlée'), 'creme-brulee');
  });

  it('returns an empty slug when nothing is left', () => {
    assert.equal(slugify('!!!'), '');
  });
});
