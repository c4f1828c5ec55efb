/**
 * Start an execution (StartPipelineExecution): `decideStart` records
 * `PipelineExecutionStarted` (trigger, resolved variables), then the state machine starts.
 * Starting the same execution id twice starts it once (the start event's id is deterministic
 * and the orchestrator names its execution by the id).
 *
 * @example
 * ```ts
 * const { executionId } = await start(ctx, { pipeline: 'web-app', variables: { DEPLOY_ENV: 'prod' } });
 * ```
 */
import {
  type Decision,
  decideStart,
  type EventActor,
  type ExecutionTrigger,
  type Pipeline,
  type SourceRevision,
} from '@pipewright/core';
import type { EngineContext } from '../engine-context.ts';

/** What starting an execution takes. @example `{ pipeline: 'web-app', variables: { DEPLOY_ENV: 'prod' } }` */
export interface StartRequest {
  pipeline: string;
  /** Values of the pipeline's declared variables. */
  variables?: Record<string, string>;
  trigger?: ExecutionTrigger;
  actor?: EventActor;
  /** The execution id (default: a new UUID). Starting the same id twice starts it once. */
  executionId?: string;
  /** Revisions the source actions fetch instead of their branch's head (a webhook's commit). */
  sourceRevisions?: SourceRevision[];
}

/**
 * Starts an execution. Throws `VariableResolutionError` for bad variables.
 *
 * @example
 * ```ts
 * await start(ctx, { pipeline: 'web-app' });
 * ```
 */
export async function start(ctx: EngineContext, request: StartRequest): Promise<{ executionId: string }> {
  const pipeline = await ctx.options.pipelines.get(request.pipeline);
  const executionId = request.executionId ?? ctx.log.newId();
  await startExecution(ctx, pipeline, executionId, () =>
    decideStart({
      pipeline,
      pipelineVersion: pipeline.version ?? 1,
      executionId,
      at: ctx.log.at(),
      trigger: request.trigger ?? { triggerType: 'StartPipelineExecution' },
      overrides: request.variables ?? {},
      ...(request.actor === undefined ? {} : { actor: request.actor }),
      ...(request.sourceRevisions === undefined ? {} : { sourceRevisions: request.sourceRevisions }),
    }),
  );
  return { executionId };
}

/**
 * Appends a start decision to the execution's stream and starts its state machine. Both steps
 * are idempotent, so a redelivery after a crash between them still starts the execution.
 *
 * @example
 * ```ts
 * await startExecution(ctx, pipeline, executionId, () => decideStart({ ... }));
 * ```
 */
export async function startExecution(
  ctx: EngineContext,
  pipeline: Pipeline,
  executionId: string,
  decide: () => Decision,
): Promise<void> {
  ctx.log.remember(executionId, pipeline.name);
  await ctx.log.decide(executionId, pipeline.name, () => decide());
  await ctx.options.orchestrator.startExecution({ pipeline: pipeline.name, executionId });
}
