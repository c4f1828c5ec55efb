/**
 * The action attempts one engine is running, and the background work `idle()` waits for: stop
 * and a failed stage abort or wait for an execution's runs; a Lambda waits until nothing is in
 * flight before it returns.
 *
 * @example
 * ```ts
 * const runs = new ActionRuns();
 * runs.start('a1', { executionId: '7f0c', stage: 'Build' }, async (signal) => provider.run({ signal, ... }));
 * runs.abort(['a1'], 'the execution was stopped');
 * await runs.idle();
 * ```
 */

/** One run in flight. */
interface Run {
  executionId: string;
  stage: string;
  controller: AbortController;
  done: Promise<void>;
  /** false once its outcome is recorded (it no longer counts as running). */
  active: boolean;
}

/** Runs in flight, by action execution id. */
export class ActionRuns {
  readonly #runs = new Map<string, Run>();
  readonly #inflight = new Set<Promise<void>>();

  /**
   * Starts `work` as the run of `actionExecutionId`. It counts as running until `work` calls
   * `recorded` (its outcome is in the log) and is waited for until it settles.
   */
  start(
    actionExecutionId: string,
    where: { executionId: string; stage: string },
    work: (signal: AbortSignal, recorded: () => void) => Promise<void>,
  ): void {
    const controller = new AbortController();
    const run: Run = { ...where, controller, done: Promise.resolve(), active: true };
    this.#runs.set(actionExecutionId, run);
    run.done = work(controller.signal, () => {
      run.active = false;
    }).finally(() => {
      run.active = false;
      if (this.#runs.get(actionExecutionId) === run) this.#runs.delete(actionExecutionId);
    });
    this.track(run.done);
  }

  /** The action execution ids running now. */
  ids(): Set<string> {
    const ids = new Set<string>();
    for (const [id, run] of this.#runs) if (run.active) ids.add(id);
    return ids;
  }

  /** Aborts the given runs (their providers end them and record the failure). */
  abort(actionExecutionIds: Iterable<string>, reason: string): void {
    for (const id of actionExecutionIds) {
      const run = this.#runs.get(id);
      if (run?.active === true) run.controller.abort(new Error(reason));
    }
  }

  /** Aborts every run. */
  abortAll(reason: string): void {
    this.abort(this.#runs.keys(), reason);
  }

  /** Resolves when the execution's runs (of one stage, when given) have settled. */
  async settled(executionId: string, stage?: string): Promise<void> {
    const mine = [...this.#runs.values()].filter(
      (r) => r.executionId === executionId && (stage === undefined || r.stage === stage),
    );
    await Promise.allSettled(mine.map((r) => r.done));
  }

  /** Work started in the background that {@link idle} waits for. */
  track(work: Promise<void>): void {
    this.#inflight.add(work);
    void work.finally(() => this.#inflight.delete(work));
  }

  /** Resolves when nothing of this engine is in flight. */
  async idle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }
}
