const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration such as `1h30m`, `90s` or `250ms` into milliseconds.
 *
 * @param {string} text one or more `<number><unit>` parts, units ms, s, m, h, d
 * @returns {number}
 */
export function parseDuration(text) {
  const parts = [...text.trim().matchAll(/(\d+)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.trim()) {
    throw new RangeError(`"${text}" is not a duration; write e.g. 1h30m, 90s or 250ms`);
  }
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * UNITS[unit], 0);
}

/**
 * Formats milliseconds as the shortest `parseDuration` text, largest unit first.
 *
 * @param {number} ms a whole, non-negative number of milliseconds
 * @returns {string} e.g. `formatDuration(5_400_000)` → `1h30m`
 */
export function formatDuration(ms) {
  if (!Number.isInteger(ms) || ms < 0)
    throw new RangeError(`${ms} is not a whole, non-negative number of ms`);
  if (ms === 0) return '0ms';
  let rest = ms;
  let out = '';
  for (const [unit, size] of Object.entries(UNITS).reverse()) {
    const amount = Math.floor(rest / size);
    if (amount > 0) out += `${amount}${unit}`;
    rest -= amount * size;
  }
  return out;
}
