/**
 * Evaluating a state's JSONata fields inside a run: a `States.QueryEvaluationError` is recorded
 * as an `EvaluationFailed` history event (as Step Functions does) before it propagates.
 *
 * @example
 * ```ts
 * const args = await evaluateField(ctx, thread, site, state.Arguments, { states, variables }, 'Arguments', name);
 * ```
 */
import { StatesError } from './errors.ts';
import type { EvaluationScope } from './jsonata-evaluator.ts';
import { BAIL } from './jsonata-fast.ts';
import { emitOnce, locateError, type RunContext, type Thread } from './run-context.ts';

/**
 * Evaluates one field's templates: at once when the fast path answers, else through JSONata; on
 * a query error emits EvaluationFailed and rethrows.
 */
export function evaluateField(
  ctx: RunContext,
  thread: Thread,
  site: string,
  value: unknown,
  scope: EvaluationScope,
  field: string,
  stateName: string,
): unknown {
  const fast = ctx.evaluator.tryFast(value, scope);
  if (fast !== BAIL) return fast;
  return recordingFailure(ctx, thread, site, stateName, () =>
    ctx.evaluator.evaluate(value, scope, field, stateName),
  );
}

/** Runs a slow (JSONata) evaluation; on a query error emits EvaluationFailed and rethrows. */
async function recordingFailure(
  ctx: RunContext,
  thread: Thread,
  site: string,
  stateName: string,
  evaluate: () => Promise<unknown>,
): Promise<unknown> {
  try {
    return await evaluate();
  } catch (raw) {
    const e = locateError(raw, stateName, thread);
    if (e instanceof StatesError) {
      emitOnce(ctx, thread, {
        type: 'EvaluationFailed',
        site,
        evaluationFailedEventDetails: { error: e.error, cause: e.errorCause, state: stateName },
      });
    }
    throw e;
  }
}
