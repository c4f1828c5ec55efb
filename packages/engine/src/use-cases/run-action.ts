/**
 * The action-runner function: an action task arrives, core's `decideAction` says whether an
 * attempt starts (`ActionStarted`), is answered again (a redelivery) or waits on; a started
 * attempt runs in the background (`runActionAttempt`) and its outcome is recorded with
 * `decideActionOutcome` and answered to the task. A task carrying `progress` is a poll of a
 * long wait (docs/execution.md, "Long waits"): `decidePoll` says whether the provider is asked
 * again; an attempt whose provider answers `InProgress` is answered with `decideInProgress`
 * (the state machine waits, then polls), and no event is appended.
 *
 * @example
 * ```ts
 * sfn.registerHandler('pipewright-action-runner', (payload) => runAction(ctx, payload));
 * ```
 */
import {
  type ActionToRun,
  decideAction,
  decideActionOutcome,
  decideInProgress,
  decidePoll,
  type NewExecutionEvent,
  type Pipeline,
  type TaskPayloadOf,
} from '@pipewright/core';
import type { EngineContext } from '../engine-context.ts';
import { taskKey } from '../ports/task-tokens.ts';
import { runActionAttempt } from '../run-action-attempt.ts';

/**
 * Answers one action task: starts its attempt, or answers again for one that ended.
 *
 * @example
 * ```ts
 * await runAction(ctx, { kind: 'action', pipeline: 'web-app', executionId, stage: 'Build', action: 'Compile', attempt: 0, taskToken });
 * ```
 */
export async function runAction(ctx: EngineContext, payload: TaskPayloadOf<'action'>): Promise<void> {
  const pipeline = await ctx.log.definition(payload.executionId, payload.pipeline);
  ctx.log.remember(payload.executionId, pipeline.name);
  await ctx.log.tokens.put(taskKey(payload), payload.taskToken);
  const { progress } = payload;
  if (progress !== undefined) {
    // A poll of a long wait: the attempt goes on, no new ActionStarted.
    const at = ctx.log.at();
    const d = await ctx.log.decide(payload.executionId, pipeline.name, (view) =>
      decidePoll(view, pipeline, { ...payload, progress }, { at }),
    );
    if (d.run !== undefined && !ctx.runs.ids().has(d.run.actionExecutionId))
      startRun(ctx, pipeline, payload, d.run, progress.state);
    await ctx.log.reply(payload, d.reply);
    return;
  }
  const rollbackTarget = await ctx.conditions.rollbackTarget(await ctx.log.view(payload.executionId));
  const at = ctx.log.at();
  const d = await ctx.log.decide(payload.executionId, pipeline.name, (view) =>
    decideAction(view, pipeline, payload, {
      at,
      running: ctx.runs.ids(),
      ...(ctx.options.inProgressRunsElsewhere === true ? { inProgressRunsElsewhere: true } : {}),
      ...(rollbackTarget === undefined ? {} : { rollbackTarget }),
    }),
  );
  if (d.run !== undefined) startRun(ctx, pipeline, payload, d.run);
  await ctx.log.reply(payload, d.reply);
}

/** Runs the attempt in the background; its outcome is recorded and answered when it ends. */
function startRun(
  ctx: EngineContext,
  pipeline: Pipeline,
  payload: TaskPayloadOf<'action'>,
  run: ActionToRun,
  progress?: Readonly<Record<string, unknown>>,
): void {
  const where = { executionId: payload.executionId, stage: run.stageName };
  ctx.runs.start(run.actionExecutionId, where, async (signal, recorded) => {
    try {
      const { result, approval, inProgress } = await runActionAttempt({
        pipeline,
        executionId: payload.executionId,
        run,
        signal,
        options: { ...ctx.options, defer: (work) => deferred(ctx, work) },
        newId: () => ctx.log.newId(),
        ...(progress === undefined ? {} : { progress }),
      });
      const at = ctx.log.at();
      if (inProgress !== undefined) {
        // The provider's long wait goes on: the state machine waits, then polls (decidePoll).
        const d = await ctx.log.decide(payload.executionId, pipeline.name, (view) =>
          decideInProgress(view, run, inProgress, { at }),
        );
        recorded();
        await ctx.log.reply(payload, d.reply);
        return;
      }
      const d = await ctx.log.decide(payload.executionId, pipeline.name, (view) =>
        decideActionOutcome(view, pipeline, run, result, {
          at,
          ...(approval === undefined ? {} : { approvalId: approval.approvalId }),
        }),
      );
      recorded();
      await announceApproval(ctx, pipeline, payload.executionId, run, d.events);
      await ctx.log.reply(payload, d.reply);
    } catch (e) {
      ctx.log.warn(
        `action ${run.stageName}/${run.actionName} of ${payload.executionId}: ${(e as Error).message}`,
      );
      ctx.options.onRunError?.(e instanceof Error ? e : new Error(String(e)));
    }
  });
}

/** Runs `work` once the current turn of the event loop is over (tracked: `idle()` waits for it). */
function deferred(ctx: EngineContext, work: () => Promise<void>): void {
  ctx.runs.track(new Promise<void>((resolve) => setImmediate(resolve)).then(work));
}

/** Tells `onApprovalRequested` about an approval that now waits (to print or send its link). */
async function announceApproval(
  ctx: EngineContext,
  pipeline: Pipeline,
  executionId: string,
  run: ActionToRun,
  events: readonly NewExecutionEvent[],
): Promise<void> {
  const requested = events.find((e) => e.type === 'ApprovalRequested');
  const notify = ctx.options.onApprovalRequested;
  if (requested?.type !== 'ApprovalRequested' || notify === undefined) return;
  const { approvalId, expiresAt, customData, externalEntityLink } = requested.data;
  await notify({
    pipeline: pipeline.name,
    executionId,
    approvalId,
    stageName: run.stageName,
    actionName: run.actionName,
    expiresAt,
    ...(customData === undefined ? {} : { customData }),
    ...(externalEntityLink === undefined ? {} : { externalEntityLink }),
  });
}
