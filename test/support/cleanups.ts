/**
 * Clean-up bookkeeping for tests: whatever a test sets up (temp dirs, runtimes, servers, child
 * processes) registers how to undo it, and a vitest hook undoes everything, last in first out.
 */

/** One thing to undo. */
export type Cleanup = () => Promise<void> | void;

/** A stack of clean-ups, run last added first. */
export interface Cleanups {
  /** Registers `cleanup` to run when the stack is run. */
  add(cleanup: Cleanup): void;
  /** Runs (and forgets) every registered clean-up, last added first. */
  run(): Promise<void>;
}

/**
 * A clean-up stack that `hook` (vitest's `afterEach` or `afterAll`, called at a file's top
 * level) runs.
 *
 * @example
 * ```ts
 * const cleanups = cleanupsAfter(afterEach);
 * const server = await startSomething();
 * cleanups.add(() => server.close());
 * ```
 */
export function cleanupsAfter(hook: (run: () => Promise<void>) => void): Cleanups {
  const stack: Cleanup[] = [];
  const cleanups: Cleanups = {
    add: (cleanup) => {
      stack.push(cleanup);
    },
    run: async () => {
      for (const cleanup of stack.splice(0).reverse()) await cleanup();
    },
  };
  hook(() => cleanups.run());
  return cleanups;
}
