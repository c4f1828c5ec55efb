/**
 * Stage transitions (Disable/EnableStageTransition) and the gate's transition step. Core's
 * `decideDisableTransition`, `decideEnableTransition` and `decideTransitionGate` decide; the
 * transition state lives in the pipeline's stream. Gates waiting at a disabled transition are
 * known in this process (`ctx.transitionWaiters`) or found from the newest executions' logs and
 * the task token store (a gate held by another Lambda).
 *
 * @example
 * ```ts
 * await disableTransition(ctx, 'web-app', { stageName: 'Deploy', reason: 'freeze', actor, requestId });
 * if (!(await passTransition(ctx, pipeline, gatePayload))) return; // waits at the transition
 * ```
 */
import {
  decideDisableTransition,
  decideEnableTransition,
  decideTransitionGate,
  type ExecutionView,
  isClosed,
  type Pipeline,
  type TaskPayloadOf,
  type TransitionChange,
  type TransitionDisable,
  type TransitionState,
  transitionOf,
} from '@pipewright/core';
import type { EngineContext } from '../engine-context.ts';
import { decideOnPipelineStream, readPipelineStream } from '../pipeline-stream.ts';
import { taskKey } from '../ports/task-tokens.ts';
import { supersede } from './stage-lock.ts';

/** How many of a pipeline's newest executions are looked at for gates held by other processes. */
const WAITER_SCAN_LIMIT = 200;

/** A gate waiting at a disabled transition, with its execution's start time. */
interface Waiter {
  gate: TaskPayloadOf<'gate'>;
  startedAt: string;
}

/**
 * Disables a stage's inbound transition: records `TransitionDisabled` with the actor and
 * reason. Throws `ExecutionStateError` for an unknown stage or a missing or too long reason.
 *
 * @example
 * ```ts
 * const state = await disableTransition(ctx, 'web-app', { stageName: 'Deploy', reason: 'freeze', actor, requestId: 'r-1' });
 * ```
 */
export async function disableTransition(
  ctx: EngineContext,
  pipelineName: string,
  input: TransitionDisable,
): Promise<TransitionState> {
  const pipeline = await ctx.options.pipelines.get(pipelineName);
  const after = await ctx.log.serialize(`transitions:${pipeline.name}`, () =>
    decideOnPipelineStream(ctx.log.store, pipeline, ({ view }) =>
      decideDisableTransition(pipeline, view, input, { at: ctx.log.at() }),
    ),
  );
  return transitionOf(after.view, input.stageName);
}

/**
 * Enables a stage's inbound transition and wakes the gates waiting on it, oldest first, each
 * through the execution mode's lock again; in SUPERSEDED mode only the newest goes on and
 * older ones are superseded. Throws `ExecutionStateError` for an unknown stage.
 *
 * @example
 * ```ts
 * await enableTransition(ctx, 'web-app', { stageName: 'Deploy', actor, requestId: 'r-2' });
 * ```
 */
export async function enableTransition(
  ctx: EngineContext,
  pipelineName: string,
  input: TransitionChange,
): Promise<TransitionState> {
  const pipeline = await ctx.options.pipelines.get(pipelineName);
  const { state, woken } = await ctx.log.serialize(`transitions:${pipeline.name}`, async () => {
    const after = await decideOnPipelineStream(ctx.log.store, pipeline, ({ view }) =>
      decideEnableTransition(pipeline, view, input, { at: ctx.log.at() }),
    );
    const state = transitionOf(after.view, input.stageName);
    const waiting = await waiters(ctx, pipeline.name, input.stageName);
    for (const w of waiting) ctx.transitionWaiters.delete(w.gate.executionId);
    const newest = waiting.at(-1);
    if (pipeline.executionMode !== 'SUPERSEDED' || newest === undefined) {
      return { state, woken: waiting.map((w) => w.gate) };
    }
    // As CodePipeline: on enable, the latest waiting execution enters; older ones are superseded.
    for (const older of waiting.slice(0, -1))
      await supersede(ctx, pipeline, older.gate.executionId, newest.gate.executionId, input.stageName);
    return { state, woken: [newest.gate] };
  });
  // Oldest first, each through the lock again (QUEUED keeps first in, first out).
  for (const gate of woken) {
    await ctx
      .wake(gate)
      .catch((e: Error) => ctx.log.warn(`waking ${gate.executionId} at ${gate.stage}: ${e.message}`));
  }
  return state;
}

/**
 * The gate's transition step: true when the gate may go on to the lock; false while the
 * stage's inbound transition is disabled (after `StageWaiting`, gate `Transition`) or when
 * a newer execution waiting there superseded this one (SUPERSEDED).
 *
 * @example
 * ```ts
 * if (!(await passTransition(ctx, pipeline, gatePayload))) return;
 * ```
 */
export async function passTransition(
  ctx: EngineContext,
  pipeline: Pipeline,
  payload: TaskPayloadOf<'gate'>,
): Promise<boolean> {
  if (!ctx.executionModes) return true;
  const { executionId } = payload;
  return ctx.log.serialize(`transitions:${pipeline.name}`, async () => {
    const view = await ctx.log.view(executionId);
    const { view: stream } = await readPipelineStream(ctx.log.store, pipeline);
    const at = ctx.log.at();
    const open = !isClosed(view);
    if (!open || decideTransitionGate(view, stream, payload, { at }).kind === 'go') {
      ctx.transitionWaiters.delete(executionId);
      return open;
    }
    if (await supersededWhileWaiting(ctx, pipeline, payload, view)) return false;
    ctx.transitionWaiters.set(executionId, payload);
    await ctx.log.decide(executionId, pipeline.name, (current) => {
      const d = decideTransitionGate(current, stream, payload, { at });
      return { events: d.kind === 'wait' ? d.events : [] };
    });
    // Another process (another Lambda) may have enabled the transition between our read and
    // the StageWaiting above, and found no waiting gate to wake: look once more.
    const { view: after } = await readPipelineStream(ctx.log.store, pipeline);
    const now = await ctx.log.view(executionId);
    if (
      ctx.transitionWaiters.get(executionId) === payload &&
      !isClosed(now) &&
      decideTransitionGate(now, after, payload, { at: ctx.log.at() }).kind === 'go'
    ) {
      ctx.transitionWaiters.delete(executionId);
      return true;
    }
    return false;
  });
}

/**
 * As CodePipeline (SUPERSEDED): executions waiting at a disabled transition are still
 * superseded. true when a newer waiting execution superseded this one; older ones it supersedes.
 */
async function supersededWhileWaiting(
  ctx: EngineContext,
  pipeline: Pipeline,
  payload: TaskPayloadOf<'gate'>,
  view: ExecutionView,
): Promise<boolean> {
  if (pipeline.executionMode !== 'SUPERSEDED') return false;
  const { executionId } = payload;
  const others = (await waiters(ctx, pipeline.name, payload.stage)).filter(
    (w) => w.gate.executionId !== executionId,
  );
  const mine = view.startedAt ?? ctx.log.at();
  const newer = others.find((w) => w.startedAt > mine);
  if (newer !== undefined) {
    ctx.transitionWaiters.delete(executionId);
    await supersede(ctx, pipeline, executionId, newer.gate.executionId, payload.stage);
    return true;
  }
  for (const older of others) {
    ctx.transitionWaiters.delete(older.gate.executionId);
    await supersede(ctx, pipeline, older.gate.executionId, executionId, payload.stage);
  }
  return false;
}

/**
 * Gates waiting at the transition whose task another process holds (each Lambda is one): the
 * newest executions' logs say which wait there, the task token store holds their tokens.
 */
async function waitersInLog(ctx: EngineContext, pipelineName: string, stageName: string): Promise<Waiter[]> {
  const found: Waiter[] = [];
  const page = await ctx.log.store.listExecutions(pipelineName, { limit: WAITER_SCAN_LIMIT });
  for (const entry of page.executions) {
    if (ctx.transitionWaiters.has(entry.executionId)) continue;
    const view = await ctx.log.view(entry.executionId);
    const stage = view.stages.find((s) => s.stageName === stageName);
    if (isClosed(view) || stage?.waiting?.gate !== 'Transition') continue;
    const task = {
      executionId: entry.executionId,
      kind: 'gate',
      stage: stageName,
      attempt: stage.stageAttempt,
    } as const;
    const taskToken = await ctx.log.tokens.get(taskKey(task));
    if (taskToken !== undefined)
      found.push({ gate: { ...task, pipeline: pipelineName, taskToken }, startedAt: view.startedAt ?? '' });
  }
  return found;
}

/** The open executions waiting at a stage's disabled transition, oldest first; closed ones are forgotten. */
async function waiters(ctx: EngineContext, pipelineName: string, stageName: string): Promise<Waiter[]> {
  const found: Waiter[] = [];
  for (const gate of [...ctx.transitionWaiters.values()]) {
    if (gate.pipeline !== pipelineName || gate.stage !== stageName) continue;
    const view = await ctx.log.view(gate.executionId);
    if (isClosed(view)) ctx.transitionWaiters.delete(gate.executionId);
    else found.push({ gate, startedAt: view.startedAt ?? '' });
  }
  const known = new Set(found.map((w) => w.gate.executionId));
  for (const waiter of await waitersInLog(ctx, pipelineName, stageName))
    if (!known.has(waiter.gate.executionId)) found.push(waiter);
  return found.sort((a, b) =>
    a.startedAt === b.startedAt
      ? a.gate.executionId.localeCompare(b.gate.executionId)
      : a.startedAt < b.startedAt
        ? -1
        : 1,
  );
}
