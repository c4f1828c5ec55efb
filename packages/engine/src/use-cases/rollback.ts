/**
 * The engine's stage rollback (CodePipeline's RollbackStage): finds the target (the latest
 * standard execution of the current pipeline version in which the stage succeeded, or the one
 * given), checks the request with core's rules (`checkRollbackStage`, `checkRollbackTarget`)
 * and starts a new `ROLLBACK` execution that runs only that stage with the target's
 * artifacts, variables and source revisions (`decideStart` with `rollback`).
 *
 * Automatic rollbacks come from a failed stage whose decision carries the `rollback` command
 * (OnFailure result ROLLBACK, or an OnSuccess condition with result ROLLBACK): the rollback
 * execution starts (trigger `AutomatedRollback`, an id derived from the failed stage attempt,
 * so a redelivered task starts it once) and the failed execution then ends Failed.
 *
 * @example
 * ```ts
 * await rollbackStage(ctx, 'web-app', { stageName: 'Deploy', actor });
 * ```
 */
import { createHash } from 'node:crypto';
import {
  checkRollbackStage,
  checkRollbackTarget,
  type Decision,
  decideRolledBack,
  decideStart,
  type EventActor,
  type ExecutionTrigger,
  type ExecutionView,
  executionStream,
  foldExecution,
  type Pipeline,
  parseStoredEvent,
  type TaskPayloadOf,
} from '@pipewright/core';
import type { EngineContext } from '../engine-context.ts';
import { readExecution } from '../read-execution.ts';
import { startExecution } from './start.ts';

/** What rolling back a stage takes. @example `{ stageName: 'Deploy', actor: { kind: 'user', id: 'alice' } }` */
export interface RollbackStageInput {
  stageName: string;
  /** The execution whose artifacts to deploy again (default: the latest in which the stage succeeded). */
  targetExecutionId?: string;
  actor: EventActor;
}

/** The started rollback execution. @example `{ executionId: '9a1b…', targetExecutionId: '7f0c…' }` */
export interface RollbackStarted {
  executionId: string;
  targetExecutionId: string;
}

/** Executions looked at, at most, when searching for the target. */
const MAX_SCANNED = 1000;

/**
 * Rolls back a stage (RollbackStage): starts a new `ROLLBACK` execution (trigger
 * `ManualRollback` unless `how` says otherwise) that runs only that stage. Throws
 * `ExecutionStateError` when refused (PARALLEL mode, the source stage, an unknown stage, no
 * such earlier success, a target that is a rollback, ran another version or where the stage
 * did not succeed) and `UnknownExecutionError` for a target the log does not hold.
 *
 * @example
 * ```ts
 * const { executionId } = await rollbackStage(ctx, 'web-app', { stageName: 'Deploy', actor });
 * ```
 */
export async function rollbackStage(
  ctx: EngineContext,
  pipelineName: string,
  input: RollbackStageInput,
  how: { trigger: ExecutionTrigger; executionId?: string } = {
    trigger: { triggerType: 'ManualRollback', triggerDetail: input.actor.id },
  },
): Promise<RollbackStarted> {
  const { log } = ctx;
  const pipeline = await ctx.options.pipelines.get(pipelineName);
  checkRollbackStage(pipeline, input.stageName);
  const target =
    input.targetExecutionId === undefined
      ? await findTarget(ctx, pipeline, input.stageName)
      : (await readExecution(log.store, input.targetExecutionId)).view;
  checkRollbackTarget(pipeline, input.stageName, target);
  const executionId = how.executionId ?? log.newId();
  // Started already (a redelivered stage failure's automatic rollback): once only.
  if ((await log.store.version(executionStream(executionId))) === 0) {
    await startExecution(ctx, pipeline, executionId, () =>
      decideStart({
        pipeline,
        pipelineVersion: pipeline.version ?? 1,
        executionId,
        at: log.at(),
        trigger: how.trigger,
        overrides: {},
        actor: input.actor,
        rollback: { target, stageName: input.stageName },
      }),
    );
  }
  return { executionId, targetExecutionId: target.pipelineExecutionId };
}

/** The latest standard execution of the current version in which the stage succeeded. */
async function findTarget(
  ctx: EngineContext,
  pipeline: Pipeline,
  stageName: string,
): Promise<ExecutionView | undefined> {
  const { store } = ctx.log;
  const version = pipeline.version ?? 1;
  let cursor: string | undefined;
  let scanned = 0;
  do {
    const page = await store.listExecutions(pipeline.name, {
      limit: 100,
      ...(cursor === undefined ? {} : { cursor }),
    });
    for (const entry of page.executions) {
      if (++scanned > MAX_SCANNED) return undefined;
      const [first] = await store.read(executionStream(entry.executionId), { limit: 1 });
      const data = first?.data as { executionType?: unknown; pipelineVersion?: unknown } | undefined;
      if (data?.executionType !== 'STANDARD' || (data.pipelineVersion ?? 1) !== version) continue;
      const records = await store.read(executionStream(entry.executionId));
      const view = foldExecution(
        records.map((r) => parseStoredEvent(r)),
        pipeline,
      );
      if (view.stages.find((s) => s.stageName === stageName)?.status === 'Succeeded') return view;
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return undefined;
}

/**
 * Carries out a failed stage's `rollback` command: starts the automatic rollback, then ends
 * the failed execution (`decideRolledBack`) and answers its `S.failed` task with FAIL. When
 * no rollback is possible (no earlier success of the stage) the stage stays failed.
 *
 * @example
 * ```ts
 * if (d.rollback !== undefined) await afterStageFailed(ctx, pipeline, payload, d.rollback);
 * ```
 */
export async function afterStageFailed(
  ctx: EngineContext,
  pipeline: Pipeline,
  payload: TaskPayloadOf<'stageFailed'>,
  command: NonNullable<Decision['rollback']>,
): Promise<void> {
  const { log } = ctx;
  let started: RollbackStarted;
  try {
    started = await rollbackStage(
      ctx,
      pipeline.name,
      { stageName: command.stageName, actor: { kind: 'system', id: 'AutomatedRollback' } },
      {
        trigger: { triggerType: 'AutomatedRollback', triggerDetail: payload.executionId },
        executionId: automatedRollbackId(payload.executionId, command.stageName, command.stageAttempt),
      },
    );
  } catch (e) {
    log.warn(
      `stage ${command.stageName} of ${payload.executionId} was not rolled back: ${(e as Error).message}`,
    );
    return;
  }
  const d = await log.decide(payload.executionId, pipeline.name, (view) =>
    decideRolledBack(
      view,
      { stageName: command.stageName, rollbackExecutionId: started.executionId },
      { at: log.at() },
    ),
  );
  await log.reply(payload, d.reply);
}

/**
 * The id of the automatic rollback of one failed stage attempt: a UUID-shaped hash, the same
 * for every delivery of the failure.
 *
 * @example
 * ```ts
 * automatedRollbackId('7f0c', 'Deploy', 0); // 'xxxxxxxx-xxxx-5xxx-8xxx-xxxxxxxxxxxx'
 * ```
 */
export function automatedRollbackId(executionId: string, stageName: string, stageAttempt: number): string {
  const hex = createHash('sha256')
    .update(`${executionId}\0${stageName}\0${stageAttempt}\0rollback`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
