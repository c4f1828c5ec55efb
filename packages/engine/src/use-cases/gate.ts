/**
 * The stage-gate function: the gate, leave, stage-failure and finish tasks of the generated
 * state machine. A gate passes the stage's transition and lock (execution modes), the stage's
 * condition rules run, and core's deciders (`decideStageEntry`, `decideStageExit`,
 * `decideStageFailed`, `decideFinish`) say what to record and how to answer the task.
 *
 * @example
 * ```ts
 * sfn.registerHandler('pipewright-stage-gate', (payload) => gate(ctx, payload));
 * ```
 */
import {
  type Decision,
  decideFinish,
  decideStageEntry,
  decideStageExit,
  decideStageFailed,
  type Pipeline,
  rollbackSkipsStage,
  type TaskPayloadOf,
} from '@pipewright/core';
import type { EngineContext } from '../engine-context.ts';
import { taskKey } from '../ports/task-tokens.ts';
import { afterStageFailed } from './rollback.ts';
import { passLock, release } from './stage-lock.ts';
import { passTransition } from './transitions.ts';

/** A stage task: gate, leave or stage failure. */
export type StageTask = TaskPayloadOf<'gate'> | TaskPayloadOf<'leave'> | TaskPayloadOf<'stageFailed'>;

/**
 * Answers the finish task: records the end and releases the execution's locks. Returns the
 * task's output.
 *
 * @example
 * ```ts
 * const output = await finish(ctx, finishPayload); // { status: 'Succeeded' }
 * ```
 */
export async function finish(
  ctx: EngineContext,
  payload: TaskPayloadOf<'finish'>,
): Promise<Record<string, unknown>> {
  const pipeline = await ctx.log.definition(payload.executionId, payload.pipeline);
  ctx.log.remember(payload.executionId, pipeline.name);
  const at = ctx.log.at();
  const d = await ctx.log.decide(payload.executionId, pipeline.name, (view) =>
    decideFinish(view, payload, { at }),
  );
  await release(ctx, pipeline, payload.executionId, undefined, payload.attempt, 'Succeeded');
  return d.reply?.kind === 'success' ? d.reply.output : {};
}

/**
 * Answers a gate, leave or stage-failure task.
 *
 * @example
 * ```ts
 * await stageTask(ctx, { kind: 'gate', pipeline: 'web-app', executionId, stage: 'Build', attempt: 0, taskToken });
 * ```
 */
export async function stageTask(ctx: EngineContext, payload: StageTask): Promise<void> {
  const pipeline = await ctx.log.definition(payload.executionId, payload.pipeline);
  ctx.log.remember(payload.executionId, pipeline.name);
  const at = ctx.log.at();
  await ctx.log.tokens.put(taskKey(payload), payload.taskToken);
  // As CodePipeline: actions of the stage still running finish (and record their outcome)
  // before the stage counts as failed; a FAILED_ACTIONS retry then reuses them.
  if (payload.kind === 'stageFailed') await ctx.runs.settled(payload.executionId, payload.stage);
  if (payload.kind === 'gate' && !(await passGate(ctx, pipeline, payload))) return;
  // Stage conditions: their I/O rules run now; core evaluates the rest and records them.
  const inputs = await ctx.conditions.inputs(pipeline, payload);
  const decidedAt = ctx.log.at();
  const d = await ctx.log.decide(payload.executionId, pipeline.name, (view) => {
    if (payload.kind === 'gate')
      return decideStageEntry(view, pipeline, payload, { at: decidedAt, ...inputs });
    if (payload.kind === 'leave')
      return decideStageExit(view, pipeline, payload, { at: decidedAt, ...inputs });
    return decideStageFailed(view, pipeline, payload, {
      at,
      running: ctx.runs.ids(),
      policy: ctx.options.failurePolicy ?? 'wait',
      ...inputs,
    });
  });
  ctx.runs.abort(d.abort ?? [], 'the stage failed');
  await releaseAfter(ctx, pipeline, payload, d);
  await ctx.log.reply(payload, d.reply);
  if (payload.kind === 'stageFailed' && d.rollback !== undefined)
    await afterStageFailed(ctx, pipeline, payload, d.rollback);
}

/**
 * The gate's execution-mode steps. A rollback execution skips the stages it does not roll
 * back: no transition, no stage lock (QUEUED still queues at the first stage: one execution
 * in the pipeline at a time).
 */
async function passGate(
  ctx: EngineContext,
  pipeline: Pipeline,
  payload: TaskPayloadOf<'gate'>,
): Promise<boolean> {
  const skips = rollbackSkipsStage(await ctx.log.view(payload.executionId), payload.stage);
  if (!skips && !(await passTransition(ctx, pipeline, payload))) return false;
  if ((!skips || pipeline.executionMode === 'QUEUED') && !(await passLock(ctx, pipeline, payload)))
    return false;
  return true;
}

/** SUPERSEDED releases a stage's lock when the stage is left (or skipped); a failure releases every lock. */
async function releaseAfter(
  ctx: EngineContext,
  pipeline: Pipeline,
  payload: StageTask,
  d: Decision,
): Promise<void> {
  const skipped = d.reply?.kind === 'success' && d.reply.output.decision === 'SKIP';
  if (
    pipeline.executionMode === 'SUPERSEDED' &&
    ((payload.kind === 'leave' && d.reply?.kind !== 'failure') || (payload.kind === 'gate' && skipped))
  ) {
    const reason = skipped ? 'Skipped' : 'Succeeded';
    await release(ctx, pipeline, payload.executionId, payload.stage, payload.attempt, reason);
  } else if (payload.kind === 'stageFailed') {
    // As CodePipeline: a failure releases the lock, so later executions are not held up.
    await release(ctx, pipeline, payload.executionId, undefined, payload.attempt, 'Failed');
  }
}
