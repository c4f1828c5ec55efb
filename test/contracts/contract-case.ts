/**
 * What every port's contract suite shares: its cases are a table of named functions over the
 * adapter factory, registered as tests; an adapter may skip a case only with a reason, shown in
 * the test's name (as Hono's router suite does).
 *
 * @example
 * ```ts
 * const CASES: ContractCases<TaskTokenStore> = { 'gives back what was put': async (make) => { ... } };
 * describe('TaskTokenStore contract: memory', () => registerCases(CASES, makeAdapter, skip));
 * ```
 */
import { expect, it } from 'vitest';

/** Cases an adapter cannot run, by name, each with the reason. */
export type ContractSkips = Readonly<Record<string, string>>;

/** A suite's cases: name → the case, given the factory of fresh adapters (or harnesses). */
export type ContractCases<A> = Readonly<Record<string, (makeAdapter: () => Promise<A>) => Promise<void>>>;

/**
 * Registers each case as a test, except those `skip` names: a test that states the reason
 * instead (and fails on an empty one). A skip naming no case is an error, so none goes stale.
 *
 * @example
 * ```ts
 * registerCases(CASES, makeAdapter, { 'streams while open': 'S3 writes the log on close' });
 * ```
 */
export function registerCases<A>(
  cases: ContractCases<A>,
  makeAdapter: () => Promise<A>,
  skip: ContractSkips = {},
): void {
  for (const name of Object.keys(skip)) {
    if (!(name in cases)) throw new Error(`skip names no case of this suite: "${name}"`);
  }
  for (const [name, run] of Object.entries(cases)) {
    const reason = skip[name];
    if (reason !== undefined) it(`${name} (not run: ${reason})`, () => expect(reason.trim()).not.toBe(''));
    else it(name, () => run(makeAdapter));
  }
}
