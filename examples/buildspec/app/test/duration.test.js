import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, parseDuration } from '../src/index.js';

describe('parseDuration', () => {
  it('adds up every part', () => {
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('1d250ms'), 86_400_250);
  });

  it('refuses text that is not a duration', () => {
    assert.throws(() => parseDuration('soon'), /not a duration/);
    assert.throws(() => parseDuration('5 minutes'), /not a duration/);
  });
});

describe('formatDuration', () => {
  it('writes the largest units first', () => {
    assert.equal(formatDuration(5_400_000), '1h30m');
    assert.equal(formatDuration(86_400_250), '1d250ms');
    assert.equal(formatDuration(0), '0ms');
  });

  it('round-trips with parseDuration', () => {
    for (const ms of [1, 999, 61_000, 3_723_004, 90_061_001]) {
      assert.equal(parseDuration(formatDuration(ms)), ms);
    }
  });

  it('refuses a negative or fractional number', () => {
    assert.throws(() => formatDuration(-1), RangeError);
    assert.throws(() => formatDuration(1.5), RangeError);
  });
});
