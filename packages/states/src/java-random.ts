/**
 * `new java.util.Random(seed).nextInt(bound)`, bit for bit: `States.MathRandom` with a seed
 * returns the same number for the same seed, as the JVM's generator does.
 *
 * @example
 * ```ts
 * javaRandomInt(42, 10); // 0, as `new Random(42).nextInt(10)` in Java
 * ```
 */
const MULTIPLIER = 0x5deece66dn;
const MASK = (1n << 48n) - 1n;

/** The first `nextInt(bound)` of a Java Random seeded with `seed` (bound > 0). */
export function javaRandomInt(seed: number, bound: number): number {
  let state = (BigInt(seed) ^ MULTIPLIER) & MASK;
  const next = (bits: bigint): number => {
    state = (state * MULTIPLIER + 0xbn) & MASK;
    return Number(BigInt.asIntN(32, state >> (48n - bits)));
  };
  if ((bound & -bound) === bound) return Number((BigInt(bound) * BigInt(next(31n))) >> 31n);
  for (;;) {
    const bits = next(31n);
    const value = bits % bound;
    if (bits - value + (bound - 1) < 2 ** 31) return value;
  }
}

/** The first `nextDouble()` of a Java Random seeded with `seed`. */
export function javaRandomDouble(seed: number): number {
  let state = (BigInt(seed) ^ MULTIPLIER) & MASK;
  const next = (bits: bigint): bigint => {
    state = (state * MULTIPLIER + 0xbn) & MASK;
    return state >> (48n - bits);
  };
  const high = next(26n);
  const low = next(27n);
  return Number((high << 27n) + low) / 2 ** 53;
}
