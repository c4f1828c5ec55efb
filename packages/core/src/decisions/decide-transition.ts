/**
 * Disabling and enabling a stage's inbound transition (CodePipeline's DisableStageTransition
 * and EnableStageTransition), recorded in the pipeline's own stream with who asked. While a
 * stage's inbound transition is disabled, executions wait at its gate (`StageWaiting`, gate
 * `Transition`); enabling it lets them go on.
 *
 * @example
 * ```ts
 * decideDisableTransition(pipeline, streamView, { stageName: 'Deploy', reason: 'freeze', actor, requestId: 'r1' }, { at });
 * // [TransitionDisabled]
 * ```
 */
import { ExecutionStateError } from '../errors.ts';
import type { EventActor } from '../events/event-parts.ts';
import { transitionDisabled, transitionEnabled } from '../events/pipeline-stream-events.ts';
import { stageWaiting } from '../events/stage-events.ts';
import type { Pipeline } from '../model/pipeline.ts';
import type { ExecutionView } from '../projections/execution-view.ts';
import type { PipelineStreamView, TransitionState } from '../projections/pipeline-stream-view.ts';
import { type DecisionContext, isClosed } from './decide-stage-boundary.ts';
import type { NewPipelineEvent } from './decide-stage-lock.ts';
import type { NewExecutionEvent } from './decision.ts';
import type { TaskPayloadOf } from './task-payload.ts';

/** The longest reason CodePipeline accepts. @example `TRANSITION_REASON_MAX; // 300` */
export const TRANSITION_REASON_MAX = 300;

/** A request to enable a stage's inbound transition. @example `{ stageName: 'Deploy', actor, requestId: 'r2' }` */
export interface TransitionChange {
  stageName: string;
  actor: EventActor;
  /** The caller's request id: the same request sent twice is recorded once. */
  requestId: string;
}

/** A request to disable a stage's inbound transition. @example `{ stageName: 'Deploy', reason: 'release freeze', actor, requestId: 'r1' }` */
export interface TransitionDisable extends TransitionChange {
  /** Why, shown to everyone who sees the waiting executions (1 to 300 characters). */
  reason: string;
}

/**
 * A stage's inbound transition as the pipeline stream says (enabled when it never changed).
 *
 * @example
 * ```ts
 * transitionOf(streamView, 'Deploy').enabled; // true
 * ```
 */
export function transitionOf(view: PipelineStreamView, stageName: string): TransitionState {
  return view.transitions[stageName] ?? { enabled: true };
}

function checkRequest(pipeline: Pipeline, input: TransitionChange): void {
  if (!pipeline.stages.some((s) => s.name === input.stageName)) {
    const names = pipeline.stages.map((s) => s.name).join(', ');
    throw new ExecutionStateError(
      `pipeline ${pipeline.name} has no stage ${input.stageName}; its stages: ${names}`,
    );
  }
  if (input.requestId.trim() === '') {
    throw new ExecutionStateError('the request id is empty; send a unique id per request');
  }
}

/**
 * Decides disabling a stage's inbound transition: `TransitionDisabled`. Disabling it again
 * records the new reason. Throws `ExecutionStateError` for an unknown stage or a reason that
 * is empty or longer than 300 characters.
 *
 * @example
 * ```ts
 * decideDisableTransition(pipeline, view, { stageName: 'Deploy', reason: 'freeze', actor, requestId }, { at })[0]?.type; // 'TransitionDisabled'
 * ```
 */
export function decideDisableTransition(
  pipeline: Pipeline,
  _view: PipelineStreamView,
  input: TransitionDisable,
  ctx: DecisionContext,
): NewPipelineEvent[] {
  checkRequest(pipeline, input);
  const reason = input.reason.trim();
  if (reason === '' || reason.length > TRANSITION_REASON_MAX) {
    throw new ExecutionStateError(
      `a reason of 1 to ${TRANSITION_REASON_MAX} characters is required to disable a transition (got ${reason.length}); say why executions must wait`,
    );
  }
  return [
    transitionDisabled({
      pipelineName: pipeline.name,
      at: ctx.at,
      actor: input.actor,
      stageName: input.stageName,
      transitionType: 'Inbound',
      requestId: input.requestId,
      reason,
    }),
  ];
}

/**
 * Decides enabling a stage's inbound transition: `TransitionEnabled`, or nothing when it is
 * enabled already. Throws `ExecutionStateError` for an unknown stage.
 *
 * @example
 * ```ts
 * decideEnableTransition(pipeline, view, { stageName: 'Deploy', actor, requestId }, { at }).length; // 1 when it was disabled
 * ```
 */
export function decideEnableTransition(
  pipeline: Pipeline,
  view: PipelineStreamView,
  input: TransitionChange,
  ctx: DecisionContext,
): NewPipelineEvent[] {
  checkRequest(pipeline, input);
  if (transitionOf(view, input.stageName).enabled) return [];
  return [
    transitionEnabled({
      pipelineName: pipeline.name,
      at: ctx.at,
      actor: input.actor,
      stageName: input.stageName,
      transitionType: 'Inbound',
      requestId: input.requestId,
    }),
  ];
}

/** The transition gate's answer: go on to the lock, or wait (after appending `events`). */
export type TransitionGateDecision = { kind: 'go' } | { kind: 'wait'; events: NewExecutionEvent[] };

/**
 * Decides whether an execution at a stage's gate waits for the stage's inbound transition:
 * it waits while the transition is disabled (`StageWaiting`, gate `Transition`, the disable
 * reason), unless it entered the stage already (a retry, a redelivered gate task). A closed
 * execution waits and records nothing (its stop ends the state machine).
 *
 * @example
 * ```ts
 * decideTransitionGate(view, streamView, gatePayload, { at }).kind; // 'wait' while Deploy's transition is disabled
 * ```
 */
export function decideTransitionGate(
  view: ExecutionView,
  stream: PipelineStreamView,
  payload: TaskPayloadOf<'gate'>,
  ctx: DecisionContext,
): TransitionGateDecision {
  if (isClosed(view)) return { kind: 'wait', events: [] };
  const stage = view.stages.find((s) => s.stageName === payload.stage);
  if (stage !== undefined && stage.status !== 'NotStarted') return { kind: 'go' };
  const transition = transitionOf(stream, payload.stage);
  if (transition.enabled) return { kind: 'go' };
  return {
    kind: 'wait',
    events: [
      stageWaiting({
        executionId: payload.executionId,
        at: ctx.at,
        stageName: payload.stage,
        stageAttempt: payload.attempt,
        gate: 'Transition',
        reason: transition.disabledReason ?? 'the inbound transition is disabled',
      }),
    ],
  };
}
