import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { greet } from '../src/greet.js';

describe('greet', () => {
  it('greets a visitor by name', () => {
    assert.equal(greet('Ada'), 'Hello, Ada!');
  });

  it('greets the world when the name is blank or missing', () => {
    assert.equal(greet('   '), 'Hello, world!');
    assert.equal(greet(undefined), 'Hello, world!');
  });
});
