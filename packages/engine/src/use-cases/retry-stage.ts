/**
 * Retry a failed stage (RetryStageExecution): core's `decideRetryStage` records `StageRetried`
 * with the actor, and the stage's waiting `S.failed` task is answered (RETRY_FAILED_ACTIONS |
 * RETRY_ALL_ACTIONS). With a locking execution mode the lock the failure released is taken
 * again first (SUPERSEDED: the stage's; QUEUED: the first stage's; `decideRetryLock`).
 *
 * @example
 * ```ts
 * await retryStage(ctx, executionId, { stageName: 'Build', retryMode: 'FAILED_ACTIONS', actor });
 * ```
 */
import {
  type Decision,
  decideRetryLock,
  decideRetryStage,
  ExecutionStateError,
  type ExecutionView,
  type Pipeline,
  type RetryStageInput,
  retryLockStage,
} from '@pipewright/core';
import type { EngineContext } from '../engine-context.ts';
import { decideOnPipelineStream, readPipelineStream } from '../pipeline-stream.ts';
import { taskKey } from '../ports/task-tokens.ts';
import { release } from './stage-lock.ts';

/**
 * Retries the stage; returns the execution's view. Throws `ExecutionStateError` when the
 * retry is not allowed or the failed stage is not waiting for a decision in this process.
 *
 * @example
 * ```ts
 * const view = await retryStage(ctx, executionId, { stageName: 'Deploy', retryMode: 'ALL_ACTIONS', actor });
 * ```
 */
export async function retryStage(
  ctx: EngineContext,
  executionId: string,
  input: RetryStageInput,
): Promise<ExecutionView> {
  const { log } = ctx;
  const pipeline = await ctx.options.pipelines.get(await log.pipelineNameOf(executionId));
  const before = await log.view(executionId);
  decideRetryStage(before, pipeline, input, { at: log.at() }); // refuses before taking anything
  const failedAttempt = before.stages.find((s) => s.stageName === input.stageName)?.stageAttempt ?? 0;
  const task = { executionId, kind: 'stageFailed', stage: input.stageName, attempt: failedAttempt };
  if ((await log.tokens.get(taskKey(task))) === undefined) {
    throw new ExecutionStateError(
      `stage ${input.stageName} of execution ${executionId} is not waiting for a decision: its failed-stage task is no longer open (it timed out, or the execution was stopped) or its state machine runs in another server; release the change again to start a new execution`,
    );
  }
  const lockStage = await retakeLock(ctx, pipeline, executionId, input.stageName, failedAttempt + 1);
  let decision: Decision;
  try {
    decision = await log.decide(executionId, pipeline.name, (view) =>
      decideRetryStage(view, pipeline, { ...input, stageAttempt: failedAttempt }, { at: log.at() }),
    );
  } catch (e) {
    if (lockStage !== undefined)
      await release(ctx, pipeline, executionId, lockStage, failedAttempt + 1, 'RetryRefused');
    throw e;
  }
  await log.reply(task, decision.reply);
  return log.view(executionId);
}

/**
 * Takes again the lock a retried stage needs; returns the locked stage when it appended
 * `StageLockAcquired`. The stage failure releases the execution's locks just after
 * `StageFailed`: a release still pending is waited for (up to a second), so it cannot undo this.
 */
async function retakeLock(
  ctx: EngineContext,
  pipeline: Pipeline,
  executionId: string,
  stageName: string,
  stageAttempt: number,
): Promise<string | undefined> {
  const lockStage = retryLockStage(pipeline, stageName);
  if (!ctx.executionModes || lockStage === undefined) return undefined;
  const { store } = ctx.log;
  const heldByMe = async () => {
    const { view } = await readPipelineStream(store, pipeline);
    const lock = view.stageLocks.find((l) => l.stageName === lockStage);
    return lock?.heldBy?.pipelineExecutionId === executionId;
  };
  for (let round = 0; round < 100 && (await heldByMe()); round++) {
    await new Promise((done) => setTimeout(done, 10));
  }
  let appended = false;
  await ctx.log.serialize(`pipeline:${pipeline.name}`, () =>
    decideOnPipelineStream(store, pipeline, ({ view, lastHolders }) => {
      const lastEntered = lastHolders[lockStage];
      const events = decideRetryLock(pipeline, view, {
        executionId,
        stageName,
        stageAttempt,
        at: ctx.log.at(),
        ...(lastEntered === undefined ? {} : { lastEntered }),
      });
      appended = events.length > 0;
      return events;
    }),
  );
  return appended ? lockStage : undefined;
}
