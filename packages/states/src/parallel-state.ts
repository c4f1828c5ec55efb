/**
 * The Parallel state. Every branch gets the evaluated `Arguments` (default: the state input)
 * and runs in its own variable scope: it reads the outer variables as they were when the
 * Parallel started, its own assignments stay inside it, and siblings never see each other's.
 * `$states.result` is the array of branch outputs, in branch order. When a branch fails, the
 * other branches are stopped and the Parallel fails with that branch's error (then Retry,
 * which re-runs every branch, and Catch, whose `Assign` may set outer variables).
 *
 * @example
 * ```ts
 * // { "Type": "Parallel", "Branches": [...], "Assign": { "built": "{% $states.result[0] %}" }, "Next": "Deploy" }
 * ```
 */
import { Cancelled, CancelScope } from './cancellation.ts';
import { StatesError } from './errors.ts';
import { jsonPathInput } from './jsonpath-state.ts';
import { exitWithResult, registerRetryingRunner } from './retry-catch.ts';
import { runBranch } from './run-branch.ts';
import { emitOnce, stateContext, type Thread, VariableScope } from './run-context.ts';
import { evaluateField } from './state-io.ts';

registerRetryingRunner(
  'Parallel',
  (ctx, thread, name, state, site, input, { entered, variables, jsonata }) =>
    async (attempt, retryCount) => {
      const attemptSite = `${site}@${attempt}`;
      const context = stateContext(ctx, name, entered, retryCount);
      const branchInput = !jsonata
        ? jsonPathInput(ctx, state, input, context, variables, name)
        : state.Arguments === undefined
          ? input
          : await evaluateField(
              ctx,
              thread,
              site,
              state.Arguments,
              { states: { input, context }, variables },
              'Arguments',
              name,
            );
      emitOnce(ctx, thread, { type: 'ParallelStateStarted', site: attemptSite });
      const scope = new CancelScope(thread.scope);
      const threads: Thread[] = (state.Branches ?? []).map((_, i) => ({
        prefix: `${attemptSite}/${i}/`,
        lastEventId: thread.lastEventId,
        variables: new VariableScope(thread.variables),
        scope,
      }));
      let firstError: StatesError | undefined;
      const settled = await Promise.allSettled(
        (state.Branches ?? []).map(async (branch, i) => {
          try {
            return await runBranch(ctx, branch, branchInput, threads[i] as Thread);
          } catch (e) {
            if (e instanceof StatesError && !firstError) {
              firstError = e;
              scope.cancel(new Cancelled('siblingFailed'));
            }
            throw e;
          }
        }),
      );
      thread.lastEventId = Math.max(thread.lastEventId, ...threads.map((t) => t.lastEventId));
      thread.scope.throwIfCancelled();
      if (firstError) {
        emitOnce(ctx, thread, { type: 'ParallelStateFailed', site: attemptSite });
        throw firstError;
      }
      const broken = settled.find((s) => s.status === 'rejected');
      if (broken) throw (broken as PromiseRejectedResult).reason;
      const result = settled.map((s) => (s as PromiseFulfilledResult<unknown>).value);
      emitOnce(ctx, thread, { type: 'ParallelStateSucceeded', site: attemptSite });
      return exitWithResult(ctx, thread, name, state, site, input, result, context, variables, jsonata);
    },
);
