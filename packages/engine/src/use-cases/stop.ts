/**
 * Stop an execution (StopPipelineExecution): core's `decideStop` records the request (and
 * which running actions to abort when abandoning), the state machine stops, and once nothing
 * of the execution runs any more `decideStopped` records `ExecutionStopped`; its stage locks
 * are released. Then the providers of the actions it abandoned stop what those started
 * elsewhere (`cancelAbandoned`: a deployment, a stack update, an execution).
 *
 * @example
 * ```ts
 * await stop(ctx, executionId, { abandon: true, reason: 'wrong branch', actor: { kind: 'user', id: 'alice' } });
 * ```
 */
import { decideStop, decideStopped, type ExecutionView, type StopInput } from '@pipewright/core';
import { cancelAbandoned } from '../cancel-abandoned.ts';
import type { EngineContext } from '../engine-context.ts';
import { release } from './stage-lock.ts';

/**
 * Stops the execution; returns its view. Throws `ExecutionStateError` when it already ended.
 *
 * @example
 * ```ts
 * const view = await stop(ctx, executionId, { abandon: false, actor });
 * ```
 */
export async function stop(
  ctx: EngineContext,
  executionId: string,
  input: StopInput,
): Promise<ExecutionView> {
  const { log } = ctx;
  const pipelineName = await log.pipelineNameOf(executionId);
  const d = await log.decide(executionId, pipelineName, (view) => decideStop(view, input, { at: log.at() }));
  ctx.runs.abort(d.abort ?? [], 'the execution was stopped');
  await ctx.options.orchestrator.stopExecution({
    executionId,
    error: 'Pipewright.Stopped',
    cause: input.reason ?? `stopped by ${input.actor.id}`,
  });
  await ctx.runs.settled(executionId);
  const stopped = await log.decide(executionId, pipelineName, (view) =>
    decideStopped(view, { at: log.at() }),
  );
  ctx.lockWaiters.delete(executionId);
  const pipeline = await log.definition(executionId, pipelineName);
  await cancelAbandoned({
    providers: ctx.options.providers,
    pipeline,
    view: await log.view(executionId),
    events: [...d.events, ...stopped.events],
    onWarning: (message) => log.warn(message),
  });
  await release(ctx, pipeline, executionId, undefined, 0, 'Stopped');
  return log.view(executionId);
}
