/**
 * What every port's contract suite shares: a test that an adapter may skip only with a reason
 * (shown in the test's name, as Hono's router suite does).
 *
 * @example
 * ```ts
 * const test = contractCase(options.skip);
 * test('gives back what was put', async () => { ... });
 * ```
 */
import { expect, it } from 'vitest';

/** Cases an adapter cannot run, by name, each with the reason. */
export type ContractSkips = Readonly<Record<string, string>>;

/**
 * `it`, unless `skip` names the case: then a test that states the reason (and fails on an empty one).
 *
 * @example
 * ```ts
 * contractCase({ 'streams while open': 'S3 writes the log on close' })('streams while open', run);
 * ```
 */
export function contractCase(skip: ContractSkips = {}): (name: string, fn: () => Promise<void>) => void {
  return (name, fn) => {
    const reason = skip[name];
    if (reason !== undefined) it(`${name} (not run: ${reason})`, () => expect(reason.trim()).not.toBe(''));
    else it(name, fn);
  };
}
