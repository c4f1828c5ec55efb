/**
 * Record the end of an execution whose state machine ended without the engine recording it
 * (Step Functions' "Execution Status Change": FAILED, TIMED_OUT, ABORTED) with core's
 * `decideOrchestratorEnd`, and release its stage locks so a queue behind it moves on. An end
 * already recorded changes nothing.
 *
 * @example
 * ```ts
 * await recordOrchestratorEnd(ctx, '7f0c', { status: 'FAILED', error: 'Lambda.Unknown', cause: '…' });
 * ```
 */
import { decideOrchestratorEnd, type ExecutionView, type OrchestratorEnd } from '@pipewright/core';
import type { EngineContext } from '../engine-context.ts';
import { release } from './stage-lock.ts';

/**
 * Records the end and releases the locks; returns the execution's view.
 *
 * @example
 * ```ts
 * const view = await recordOrchestratorEnd(ctx, executionId, { status: 'ABORTED' });
 * ```
 */
export async function recordOrchestratorEnd(
  ctx: EngineContext,
  executionId: string,
  end: OrchestratorEnd,
): Promise<ExecutionView> {
  const pipelineName = await ctx.log.pipelineNameOf(executionId);
  const pipeline = await ctx.log.definition(executionId, pipelineName);
  const at = ctx.log.at();
  await ctx.log.decide(executionId, pipelineName, (view) => decideOrchestratorEnd(view, end, { at }));
  const view = await ctx.log.view(executionId);
  // Released whenever the execution has ended, not only when this call recorded the end: a
  // redelivery after a crash between the two still frees the queue (releasing is idempotent).
  if (view.endedAt !== undefined) {
    const attempt = Math.max(0, ...view.stages.map((s) => s.stageAttempt));
    const reason = end.status === 'ABORTED' ? 'Stopped' : 'Failed';
    await release(ctx, pipeline, executionId, undefined, attempt, reason);
  }
  return view;
}
