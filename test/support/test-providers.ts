/** Action providers for tests that run pipelines of `<Category>/Fake` and `Approval/Manual` actions. */
import type { ActionCategory } from '@pipewright/core';
import type { ActionOutcome, ActionProvider, ActionRun } from '@pipewright/engine';

/**
 * A succeeded outcome with no artifacts and no variables.
 *
 * @example
 * ```ts
 * const fake = new FakeProvider({ Flaky: (_run, call) => (call === 1 ? failed('flaky') : SUCCEEDED) });
 * ```
 */
export const SUCCEEDED: ActionOutcome = { status: 'Succeeded', outputArtifacts: [], outputVariables: {} };

/**
 * A failed outcome (`JobFailed`) with `message`.
 *
 * @example
 * ```ts
 * const fake = new FakeProvider({ Test: () => failed('Test exited with 1') });
 * ```
 */
export const failed = (message: string): ActionOutcome => ({
  status: 'Failed',
  error: { type: 'JobFailed', message },
});

/** What a {@link FakeProvider} action does on its `call`-th run (1 first). */
export type Behaviour = (run: ActionRun, call: number) => ActionOutcome | Promise<ActionOutcome>;

/**
 * Runs `<Category>/Fake` actions (Source, Build, Test, Deploy, Invoke): each does what
 * `behaviours` says for its name, {@link SUCCEEDED} otherwise; counts calls per action name and
 * keeps every run.
 *
 * @example
 * ```ts
 * const fake = new FakeProvider({ Fast: () => failed('boom') });
 * // … run a pipeline …
 * expect(fake.calls.get('Fast')).toBe(1);
 * ```
 */
export class FakeProvider implements ActionProvider {
  readonly categories: readonly ActionCategory[] = ['Source', 'Build', 'Test', 'Deploy', 'Invoke'];
  readonly provider = 'Fake';
  /** Calls so far per action name (a test may preset one to skip ahead). */
  readonly calls = new Map<string, number>();
  readonly runs: ActionRun[] = [];
  readonly #behaviours: Record<string, Behaviour>;

  constructor(behaviours: Record<string, Behaviour> = {}) {
    this.#behaviours = behaviours;
  }

  async run(run: ActionRun): Promise<ActionOutcome> {
    const call = (this.calls.get(run.action.name) ?? 0) + 1;
    this.calls.set(run.action.name, call);
    this.runs.push(run);
    return (this.#behaviours[run.action.name] ?? (() => SUCCEEDED))(run, call);
  }
}

/**
 * `Approval/Manual`: every approval waits for a decision.
 *
 * @example
 * ```ts
 * await openRuntimeWith(cleanups, 'pw-engine-', pipeline, { providers: [new FakeProvider(), manualApprovals] });
 * ```
 */
export const manualApprovals: ActionProvider = {
  categories: ['Approval'],
  provider: 'Manual',
  async run() {
    return { status: 'Waiting' };
  },
};
