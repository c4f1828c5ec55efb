/**
 * Execution modes at the stage gate (SUPERSEDED, QUEUED): take the stage lock or wait for it,
 * supersede older executions, release locks and wake the gate waiting next. Locks and queues
 * are kept in the pipeline's stream (`StageLocks`, core's `decideStageLock` and
 * `decideStageRelease`); the execution's side is recorded through the kernel.
 *
 * @example
 * ```ts
 * if (!(await passLock(ctx, pipeline, gatePayload))) return; // waits for the lock, or was superseded
 * await release(ctx, pipeline, executionId, 'Build', 0, 'Succeeded');
 * ```
 */
import {
  executionSuperseded,
  isClosed,
  type LockDecision,
  lockedStage,
  type Pipeline,
  stageWaiting,
  type TaskPayloadOf,
} from '@pipewright/core';
import type { EngineContext } from '../engine-context.ts';
import { taskKey } from '../ports/task-tokens.ts';

/** Takes (or queues for) the gate's lock and supersedes whom the decision says; 'superseded' when this execution lost. */
async function acquire(
  ctx: EngineContext,
  pipeline: Pipeline,
  payload: TaskPayloadOf<'gate'>,
  startedAt: string,
): Promise<LockDecision['kind']> {
  const { executionId } = payload;
  const decision = await ctx.log.serialize(`pipeline:${pipeline.name}`, () =>
    ctx.locks.acquire(pipeline, {
      executionId,
      stageName: payload.stage,
      stageAttempt: payload.attempt,
      startedAt,
    }),
  );
  if (decision.kind === 'superseded') {
    await supersede(ctx, pipeline, executionId, decision.by, payload.stage);
    return decision.kind;
  }
  for (const older of decision.superseded) await supersede(ctx, pipeline, older, executionId, payload.stage);
  if (decision.kind === 'wait') await recordWaiting(ctx, pipeline, payload, decision.holder);
  return decision.kind;
}

/** Records that the gate waits for the lock (nothing when a newer execution superseded it meanwhile). */
async function recordWaiting(
  ctx: EngineContext,
  pipeline: Pipeline,
  payload: TaskPayloadOf<'gate'>,
  holder: string,
): Promise<void> {
  const { executionId } = payload;
  if (ctx.lockWaiters.get(executionId) === payload) return;
  ctx.lockWaiters.set(executionId, payload);
  const at = ctx.log.at();
  await ctx.log.decide(executionId, pipeline.name, (current) => ({
    events: isClosed(current)
      ? []
      : [
          stageWaiting({
            executionId,
            at,
            stageName: payload.stage,
            stageAttempt: payload.attempt,
            gate: 'Lock',
            reason: `execution ${holder} holds the stage (${pipeline.executionMode})`,
            lockHolder: holder,
          }),
        ],
  }));
}

/** true when the gate may go on; false while it waits for the lock or was superseded. */
export async function passLock(
  ctx: EngineContext,
  pipeline: Pipeline,
  payload: TaskPayloadOf<'gate'>,
): Promise<boolean> {
  if (!ctx.executionModes || lockedStage(pipeline, payload.stage) === undefined) return true;
  const { executionId } = payload;
  const view = await ctx.log.view(executionId);
  if (isClosed(view)) return false;
  const startedAt = view.startedAt ?? ctx.log.at();
  const first = await acquire(ctx, pipeline, payload, startedAt);
  if (first === 'enter') {
    ctx.lockWaiters.delete(executionId);
    return true;
  }
  if (first === 'superseded') return false;
  // Another process (another Lambda) may have released the lock between our acquire and the
  // StageWaiting above, and found no waiting gate to wake: ask once more.
  const again = await acquire(ctx, pipeline, payload, startedAt);
  if (again !== 'enter' || ctx.lockWaiters.get(executionId) !== payload) return false;
  ctx.lockWaiters.delete(executionId);
  return true;
}

/**
 * Ends an execution that a newer one replaced in front of a stage (SUPERSEDED).
 *
 * @example
 * ```ts
 * await supersede(ctx, pipeline, olderId, newerId, 'Deploy');
 * ```
 */
export async function supersede(
  ctx: EngineContext,
  pipeline: Pipeline,
  executionId: string,
  by: string,
  stageName: string,
): Promise<void> {
  ctx.lockWaiters.delete(executionId);
  const at = ctx.log.at();
  await ctx.log.decide(executionId, pipeline.name, (view) => ({
    events:
      view.endedAt === undefined
        ? [executionSuperseded({ executionId, at, supersededBy: by, stageName })]
        : [],
  }));
  await ctx.options.orchestrator.stopExecution({
    executionId,
    error: 'Pipewright.Superseded',
    cause: `superseded by ${by} in front of ${stageName}`,
  });
}

/**
 * Releases an execution's lock on a stage (all its locks without `stageName`) and wakes the
 * execution waiting next, when this process holds its gate or the task token store has it.
 *
 * @example
 * ```ts
 * await release(ctx, pipeline, executionId, undefined, 0, 'Stopped');
 * ```
 */
export async function release(
  ctx: EngineContext,
  pipeline: Pipeline,
  executionId: string,
  stageName: string | undefined,
  stageAttempt: number,
  reason: string,
): Promise<void> {
  if (!ctx.executionModes || pipeline.executionMode === 'PARALLEL') return;
  const next = await ctx.log.serialize(`pipeline:${pipeline.name}`, () =>
    ctx.locks.release(pipeline, {
      executionId,
      ...(stageName === undefined ? {} : { stageName }),
      stageAttempt,
      reason,
    }),
  );
  if (next === undefined) return;
  const gate = ctx.lockWaiters.get(next) ?? (await waitingGateFromLog(ctx, pipeline.name, next));
  if (gate === undefined) return;
  ctx.lockWaiters.delete(gate.executionId);
  // Not awaited (the caller may hold locks the woken gate needs), but tracked: `idle()` waits
  // for it, so a Lambda does not freeze before the woken gate is answered.
  ctx.runs.track(
    ctx.wake(gate).then(
      () => undefined,
      (e: Error) => ctx.log.warn(`waking ${gate.executionId} at ${gate.stage}: ${e.message}`),
    ),
  );
}

/**
 * The gate an execution waits at for a stage lock, rebuilt from its log and the task token
 * store: where the gate's task is held by another process (each Lambda is one), the releasing
 * process still wakes it.
 */
async function waitingGateFromLog(
  ctx: EngineContext,
  pipeline: string,
  executionId: string,
): Promise<TaskPayloadOf<'gate'> | undefined> {
  ctx.log.remember(executionId, pipeline);
  const view = await ctx.log.view(executionId);
  const stage = view.stages.find((s) => s.waiting?.gate === 'Lock');
  if (stage === undefined || isClosed(view)) return undefined;
  const task = { executionId, kind: 'gate', stage: stage.stageName, attempt: stage.stageAttempt } as const;
  const taskToken = await ctx.log.tokens.get(taskKey(task));
  return taskToken === undefined ? undefined : { ...task, pipeline, taskToken };
}
