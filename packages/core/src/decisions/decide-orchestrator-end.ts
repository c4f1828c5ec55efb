/**
 * An execution whose state machine ended without the engine recording the end: Step Functions
 * reports it ("Step Functions Execution Status Change": `FAILED`, `TIMED_OUT`, `ABORTED`) when a
 * function kept failing past its retries, the execution ran past its time, or someone stopped it
 * outside Pipewright. The log then records the end — `ExecutionStopped` for a stop (requested
 * here or not), `ExecutionFailed` otherwise — so no view shows it `InProgress` for ever. An
 * execution whose end is already recorded changes nothing (the usual case: a stop, a superseded
 * execution, a `FAIL` decision all record their end first).
 *
 * @example
 * ```ts
 * decideOrchestratorEnd(view, { status: 'FAILED', error: 'Lambda.Unknown', cause: 'timeout' }, { at }).events[0]?.type;
 * // 'ExecutionFailed'
 * ```
 */
import { executionFailed, executionStopped } from '../events/execution-events.ts';
import type { ExecutionView } from '../projections/execution-view.ts';
import type { DecisionContext } from './decide-stage-boundary.ts';
import type { Decision } from './decision.ts';

/** How the state machine ended, as Step Functions says. @example `{ status: 'TIMED_OUT' }` */
export interface OrchestratorEnd {
  status: 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  error?: string;
  cause?: string;
}

/** Longest cause kept in the event (Step Functions allows 32 KiB). */
const MAX_CAUSE = 2_000;

/**
 * Decides what the log records for a state machine that ended on its own.
 *
 * @example
 * ```ts
 * decideOrchestratorEnd(closedView, { status: 'ABORTED' }, { at }).events; // []
 * ```
 */
export function decideOrchestratorEnd(
  view: ExecutionView,
  end: OrchestratorEnd,
  ctx: DecisionContext,
): Decision {
  if (view.endedAt !== undefined || view.pipelineExecutionId === '') return { events: [] };
  const executionId = view.pipelineExecutionId;
  const stageName = view.stages.find((s) => s.status === 'InProgress')?.stageName;
  if (end.status === 'ABORTED') {
    const reason =
      view.status === 'Stopping'
        ? (view.stopTrigger?.reason ?? 'the execution was stopped')
        : 'its state machine was stopped outside Pipewright (Step Functions StopExecution)';
    return { events: [executionStopped({ executionId, at: ctx.at, reason })] };
  }
  const cause = (end.cause ?? '').slice(0, MAX_CAUSE);
  const message =
    end.status === 'TIMED_OUT'
      ? 'the state machine ran longer than its time limit'
      : `the state machine failed${end.error ? ` (${end.error})` : ''}${cause ? `: ${cause}` : ''}; check the functions' logs, then release the change again`;
  return {
    events: [
      executionFailed({
        executionId,
        at: ctx.at,
        ...(stageName === undefined ? {} : { stageName }),
        error: {
          code: end.error ?? (end.status === 'TIMED_OUT' ? 'States.Timeout' : 'States.Failed'),
          message,
        },
      }),
    ],
  };
}
