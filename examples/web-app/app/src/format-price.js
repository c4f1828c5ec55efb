/**
 * Formats an amount of money given in cents, e.g. `formatPrice(1999)` → `$19.99`.
 *
 * @param {number} cents a whole number of cents
 * @param {string} [currency] an ISO 4217 code, default USD
 * @returns {string}
 */
export function formatPrice(cents, currency = 'USD') {
  if (!Number.isInteger(cents)) throw new TypeError(`price must be a whole number of cents, got ${cents}`);
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}
