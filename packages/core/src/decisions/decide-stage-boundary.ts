/**
 * The stage boundaries: entering a stage at its gate, leaving it, and finishing the
 * execution after the last stage.
 *
 * Execution-mode locks, disabled transitions and BeforeEntry conditions hold an execution at
 * the gate; they come with the serve runtime. Here the gate enters at once.
 *
 * @example
 * ```ts
 * decideGate(view, payload, { at }).reply; // { kind: 'success', output: { decision: 'ENTER' } }
 * ```
 */
import { executionSucceeded } from '../events/execution-events.ts';
import { stageStarted, stageSucceeded } from '../events/stage-events.ts';
import type { ExecutionView } from '../projections/execution-view.ts';
import type { Decision } from './decision.ts';
import type { TaskPayloadOf } from './task-payload.ts';

/** The time (and who) a decision is made at. @example `{ at: '2026-01-02T03:04:05.000Z' }` */
export interface DecisionContext {
  at: string;
}

const OVER = new Set(['Succeeded', 'Stopped', 'Superseded', 'Cancelled']);

/**
 * True when nothing may start any more in the execution: it ended, or a stop was requested.
 *
 * @example
 * ```ts
 * if (isClosed(view)) return { events: [] };
 * ```
 */
export function isClosed(view: ExecutionView): boolean {
  return view.endedAt !== undefined || OVER.has(view.status) || view.status === 'Stopping';
}

/**
 * Decides the stage gate: `StageStarted` and ENTER. A closed execution gets no reply (the
 * stop ends the state machine).
 *
 * @example
 * ```ts
 * decideGate(view, { kind: 'gate', pipeline, executionId, stage: 'Build', attempt: 0, taskToken }, { at });
 * ```
 */
export function decideGate(
  view: ExecutionView,
  payload: TaskPayloadOf<'gate'>,
  ctx: DecisionContext,
): Decision {
  if (isClosed(view)) return { events: [] };
  const stage = view.stages.find((s) => s.stageName === payload.stage);
  // Entered already, by this gate or by the retry that led to it: a redelivery records nothing.
  const started =
    stage !== undefined && stage.status !== 'NotStarted' && stage.stageAttempt >= payload.attempt;
  return {
    events: started
      ? []
      : [
          stageStarted({
            executionId: payload.executionId,
            at: ctx.at,
            stageName: payload.stage,
            stageAttempt: payload.attempt,
          }),
        ],
    reply: { kind: 'success', output: { decision: 'ENTER' } },
  };
}

/**
 * Decides leaving a stage whose actions all succeeded: `StageSucceeded`.
 *
 * @example
 * ```ts
 * decideLeave(view, payload, { at }).events[0]?.type; // 'StageSucceeded'
 * ```
 */
export function decideLeave(
  view: ExecutionView,
  payload: TaskPayloadOf<'leave'>,
  ctx: DecisionContext,
): Decision {
  if (isClosed(view)) return { events: [] };
  return {
    events: [
      stageSucceeded({
        executionId: payload.executionId,
        at: ctx.at,
        stageName: payload.stage,
        stageAttempt: payload.attempt,
      }),
    ],
    reply: { kind: 'success', output: {} },
  };
}

/**
 * Decides the end of an execution whose last stage succeeded: `ExecutionSucceeded`.
 *
 * @example
 * ```ts
 * decideFinish(view, payload, { at }).events[0]?.type; // 'ExecutionSucceeded'
 * ```
 */
export function decideFinish(
  view: ExecutionView,
  payload: TaskPayloadOf<'finish'>,
  ctx: DecisionContext,
): Decision {
  if (view.endedAt !== undefined) return { events: [], reply: { kind: 'success', output: {} } };
  return {
    events: [executionSucceeded({ executionId: payload.executionId, at: ctx.at })],
    reply: { kind: 'success', output: {} },
  };
}
