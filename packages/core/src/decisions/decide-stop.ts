/**
 * Stopping an execution (CodePipeline's StopPipelineExecution): `ExecutionStopping` with who
 * asked and whether in-progress actions are abandoned; once nothing runs any more,
 * `ExecutionStopped`.
 *
 * @example
 * ```ts
 * decideStop(view, { abandon: true, reason: 'wrong branch', actor }, { at }).events[0]?.type; // 'ExecutionStopping'
 * ```
 */
import { ExecutionStateError } from '../errors.ts';
import { actionAbandoned } from '../events/action-events.ts';
import type { EventActor } from '../events/event-parts.ts';
import { executionStopped } from '../events/execution-events.ts';
import { executionStopping } from '../events/operator-events.ts';
import type { ExecutionView } from '../projections/execution-view.ts';
import type { DecisionContext } from './decide-stage-boundary.ts';
import type { Decision } from './decision.ts';

/** A stop request. @example `{ abandon: false, reason: 'freeze', actor: { kind: 'user', id: 'alice' } }` */
export interface StopInput {
  abandon: boolean;
  reason?: string;
  actor: EventActor;
}

/**
 * Decides a stop request. Throws `ExecutionStateError` when the execution already ended.
 * The decision's `abort` lists the in-progress action executions (all of them when
 * abandoning; none when the stop waits for them).
 *
 * @example
 * ```ts
 * const { events, abort } = decideStop(view, { abandon: true, actor }, { at });
 * ```
 */
export function decideStop(view: ExecutionView, input: StopInput, ctx: DecisionContext): Decision {
  if (view.endedAt !== undefined) {
    throw new ExecutionStateError(
      `execution ${view.pipelineExecutionId} already ended (${view.status}); there is nothing to stop`,
    );
  }
  const reason = input.reason?.slice(0, 200);
  const events = [
    executionStopping({
      executionId: view.pipelineExecutionId,
      at: ctx.at,
      actor: input.actor,
      abandon: input.abandon,
      ...(reason === undefined ? {} : { reason }),
    }),
  ];
  const inProgress = view.stages.flatMap((s) =>
    s.actions.flatMap((a) =>
      a.attempts.filter((t) => t.status === 'InProgress').map((t) => t.actionExecutionId),
    ),
  );
  return { events, abort: input.abandon ? inProgress : [] };
}

/**
 * Decides the end of a stop, called once the runner's own action runs have settled:
 * `ExecutionStopped`, after `ActionAbandoned` for what is still in progress (a waiting
 * approval) when abandoning; nothing while a stop-and-wait still has actions in progress.
 *
 * @example
 * ```ts
 * decideStopped(view, { at }).events.length; // 1 when nothing runs any more
 * ```
 */
export function decideStopped(view: ExecutionView, ctx: DecisionContext): Decision {
  if (view.endedAt !== undefined || view.status !== 'Stopping') return { events: [] };
  const reason = view.stopTrigger?.reason;
  const left = view.stages.flatMap((s) =>
    s.actions.flatMap((a) =>
      a.attempts
        .filter((t) => t.status === 'InProgress')
        .map((t) => ({ stageName: s.stageName, actionName: a.actionName, ...t })),
    ),
  );
  if (left.length > 0 && view.stopTrigger?.abandon !== true) return { events: [] };
  const abandoned = left.map((t) =>
    actionAbandoned({
      executionId: view.pipelineExecutionId,
      at: ctx.at,
      stageName: t.stageName,
      actionName: t.actionName,
      stageAttempt: t.stageAttempt,
      attempt: t.attempt,
      actionExecutionId: t.actionExecutionId,
      reason: reason ?? 'the execution was stopped',
    }),
  );
  return {
    events: [
      ...abandoned,
      executionStopped({
        executionId: view.pipelineExecutionId,
        at: ctx.at,
        ...(reason === undefined ? {} : { reason }),
      }),
    ],
  };
}
