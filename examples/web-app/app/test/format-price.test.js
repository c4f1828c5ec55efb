import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPrice } from '../src/format-price.js';

describe('formatPrice', () => {
  it('formats cents as dollars', () => {
    assert.equal(formatPrice(1999), '$19.99');
    assert.equal(formatPrice(5), '$0.05');
    assert.equal(formatPrice(123456), '$1,234.56');
  });

  it('formats another currency', () => {
    assert.equal(formatPrice(1000, 'EUR'), '€10.00');
  });

  it('refuses a price that is not a whole number of cents', () => {
    assert.throws(() => formatPrice(19.99), /whole number of cents/);
  });
});
