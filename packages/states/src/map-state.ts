/**
 * The Map state ("Map workflow state"; "Using Map state in Inline mode"/"Distributed mode").
 *
 * - **INLINE** (default): each item runs the `ItemProcessor` in its own variable scope (reading
 *   the outer variables, assigning none of them), at most `MaxConcurrency` at a time (0: no
 *   limit). History: `MapStateStarted` (`length`), `MapIterationStarted`/`Succeeded`/`Failed`
 *   per item, `MapStateSucceeded`/`MapStateFailed`. The first failed iteration stops the others
 *   and the Map fails with its error.
 * - **DISTRIBUTED**: each item (or `ItemBatcher` batch) is a child workflow whose events stay out
 *   of the parent history (`MapRunStarted`, `MapRunSucceeded`/`MapRunFailed`); children cannot
 *   read outer variables; failures are tolerated up to `ToleratedFailureCount` /
 *   `ToleratedFailurePercentage`, beyond which the Map fails with
 *   `States.ExceedToleratedFailureThreshold`. A failed child's entry in the result is its
 *   `{ Error, Cause }`. `ItemReader` and `ResultWriter` call the handler registered under their
 *   `Resource`.
 *
 * @example
 * ```ts
 * // { "Type": "Map", "Items": "{% $states.input.files %}", "MaxConcurrency": 2,
 * //   "ItemProcessor": { "StartAt": "Lint", "States": { … } }, "End": true }
 * ```
 */
import { Cancelled, CancelScope } from './cancellation.ts';
import { StatesError } from './errors.ts';
import type { HistoryEvent } from './history.ts';
import { applyPath } from './jsonpath-io.ts';
import {
  batchItems,
  callHandler,
  itemInput,
  type MapLimits,
  type MapScope,
  mapLimits,
  readItems,
} from './map-items.ts';
import { ReplayIndex } from './replay-index.ts';
import { exitWithResult, registerRetryingRunner } from './retry-catch.ts';
import { runBranch } from './run-branch.ts';
import { emitOnce, type RunContext, stateContext, type Thread, VariableScope } from './run-context.ts';

registerRetryingRunner(
  'Map',
  (ctx, thread, name, state, site, input, { entered, variables, jsonata }) =>
    async (attempt, retryCount) => {
      const attemptSite = `${site}@${attempt}`;
      const context = stateContext(ctx, name, entered, retryCount);
      const effective = jsonata
        ? input
        : applyPath(state.InputPath, input, { input, context, variables }, name);
      const s: MapScope = { ctx, thread, name, site, state, jsonata, input: effective, context, variables };
      const limits = await mapLimits(s);
      const items = await readItems(s);
      const inputs: unknown[] = [];
      for (const [i, item] of items.entries()) inputs.push(await itemInput(s, item, i));
      const distributed = (state.ItemProcessor ?? state.Iterator)?.ProcessorConfig?.Mode === 'DISTRIBUTED';
      let result: unknown = distributed
        ? await runDistributed(
            s,
            attemptSite,
            limits.batcher ? batchItems(inputs, limits.batcher, limits.batcher.batchInput) : inputs,
            limits,
          )
        : await runInline(s, attemptSite, inputs, limits.maxConcurrency);
      if (state.ResultWriter)
        result = await callHandler(s, state.ResultWriter, 'States.ResultWriterFailed', { Results: result });
      return exitWithResult(ctx, thread, name, state, site, input, result, context, variables, jsonata);
    },
);

/** Runs `count` jobs with at most `limit` at once (0: all at once); stops starting new ones once `stopped()`. */
async function pool(
  count: number,
  limit: number,
  stopped: () => boolean,
  job: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const width = limit === 0 ? count : Math.min(limit, count);
  const worker = async () => {
    while (next < count && !stopped()) await job(next++);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

async function runInline(
  s: MapScope,
  attemptSite: string,
  inputs: unknown[],
  limit: number,
): Promise<unknown[]> {
  const { ctx, thread, name, state } = s;
  const processor = state.ItemProcessor ?? state.Iterator;
  if (!processor) throw new StatesError('States.Runtime', `state '${name}' has no ItemProcessor`);
  emitOnce(ctx, thread, {
    type: 'MapStateStarted',
    site: attemptSite,
    mapStateStartedEventDetails: { length: inputs.length },
  });
  const scope = new CancelScope(thread.scope);
  const results: unknown[] = new Array(inputs.length);
  const threads: Thread[] = [];
  let firstError: StatesError | undefined;
  let broken: unknown;
  await pool(
    inputs.length,
    limit,
    () => firstError !== undefined || broken !== undefined,
    async (i) => {
      const child: Thread = {
        prefix: `${attemptSite}/${i}/`,
        lastEventId: thread.lastEventId,
        variables: new VariableScope(thread.variables),
        scope,
      };
      threads.push(child);
      const details = { name, index: i };
      emitOnce(ctx, child, {
        type: 'MapIterationStarted',
        site: `${attemptSite}/${i}`,
        mapIterationStartedEventDetails: details,
      });
      try {
        results[i] = await runBranch(ctx, processor, inputs[i], child);
        emitOnce(ctx, child, {
          type: 'MapIterationSucceeded',
          site: `${attemptSite}/${i}`,
          mapIterationSucceededEventDetails: details,
        });
      } catch (e) {
        if (e instanceof StatesError) {
          emitOnce(ctx, child, {
            type: 'MapIterationFailed',
            site: `${attemptSite}/${i}`,
            mapIterationFailedEventDetails: details,
          });
          if (!firstError) {
            firstError = e;
            scope.cancel(new Cancelled('siblingFailed'));
          }
        } else if (!(e instanceof Cancelled) || !firstError) broken ??= e;
      }
    },
  );
  thread.lastEventId = Math.max(thread.lastEventId, ...threads.map((t) => t.lastEventId));
  thread.scope.throwIfCancelled();
  if (firstError) {
    emitOnce(ctx, thread, { type: 'MapStateFailed', site: attemptSite });
    throw firstError;
  }
  if (broken) throw broken;
  emitOnce(ctx, thread, { type: 'MapStateSucceeded', site: attemptSite });
  return results;
}

/** A context whose events go to a child execution's own (discarded) history. */
function childContext(ctx: RunContext, execution: string): RunContext {
  let id = 0;
  return {
    ...ctx,
    replay: ReplayIndex.empty(),
    facts: { ...ctx.facts, executionArn: execution },
    append: (event, previousEventId) =>
      ({
        ...event,
        id: ++id,
        previousEventId,
        timestamp: new Date(ctx.clock.now()).toISOString(),
      }) as HistoryEvent,
  };
}

async function runDistributed(
  s: MapScope,
  attemptSite: string,
  inputs: unknown[],
  limits: MapLimits,
): Promise<unknown[]> {
  const { ctx, thread, name, state } = s;
  const processor = state.ItemProcessor ?? state.Iterator;
  if (!processor) throw new StatesError('States.Runtime', `state '${name}' has no ItemProcessor`);
  const label = state.Label ?? name;
  const runId = ctx.ids.uuid();
  const mapRunArn = `${ctx.facts.stateMachineArn.replace(':stateMachine:', ':mapRun:')}/${label}:${runId}`;
  emitOnce(ctx, thread, {
    type: 'MapRunStarted',
    site: attemptSite,
    mapRunStartedEventDetails: { mapRunArn },
  });
  const results: unknown[] = new Array(inputs.length);
  let failed = 0;
  const { toleratedCount: most, toleratedPercentage: share } = limits;
  const tolerated = (count: number) =>
    (most === undefined || count <= most) &&
    (share === undefined || inputs.length === 0 || (count / inputs.length) * 100 <= share) &&
    (most !== undefined || share !== undefined || count === 0);
  await pool(
    inputs.length,
    limits.maxConcurrency,
    () => !tolerated(failed),
    async (i) => {
      const child: Thread = {
        prefix: '',
        lastEventId: 0,
        variables: new VariableScope(),
        scope: new CancelScope(thread.scope),
      };
      try {
        results[i] = await runBranch(
          childContext(ctx, `${mapRunArn}:${label}-${i}`),
          processor,
          inputs[i],
          child,
        );
      } catch (e) {
        if (!(e instanceof StatesError)) throw e;
        failed++;
        results[i] = { Error: e.error, Cause: e.errorCause };
      }
    },
  );
  thread.scope.throwIfCancelled();
  if (!tolerated(failed)) {
    const cause = `The specified tolerated failure threshold was exceeded: ${failed} of ${inputs.length} items failed`;
    emitOnce(ctx, thread, {
      type: 'MapRunFailed',
      site: attemptSite,
      mapRunFailedEventDetails: { error: 'States.ExceedToleratedFailureThreshold', cause },
    });
    throw new StatesError('States.ExceedToleratedFailureThreshold', cause);
  }
  emitOnce(ctx, thread, { type: 'MapRunSucceeded', site: attemptSite });
  return results;
}
