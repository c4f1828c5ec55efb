/**
 * Crash recovery: after a restart, every execution the event log shows open gets its state
 * machine back from the journal and continues. Recorded task outcomes are reused (an action
 * that succeeded does not run again). Open tasks are dispatched again; the engine then fails
 * an action the crash interrupted and runs it again, and keeps waiting on a pending approval
 * with the same approval id. An execution that cannot be resumed is failed, with the reason.
 *
 * @example
 * ```ts
 * const ids = await resumeExecutions({ store, orchestrator, pipelines: ['web-app'], functionNames, executionModes: true, now });
 * ```
 */
import {
  type AslDefinition,
  compilePipeline,
  decideStageRelease,
  decideStopped,
  type EventRecord,
  type ExecutionView,
  executionFailed,
  executionStream,
  type NewEventRecord,
  type Pipeline,
} from '@pipewright/core';
import { decideOnPipelineStream, readExecution } from '@pipewright/engine';
import { CLOSING_EVENT_TYPES, type HistoryEvent } from '@pipewright/states';
import type { SqliteEventStore } from '../event-store/sqlite-event-store.ts';
import type { FunctionNames, LocalOrchestrator } from '../orchestrator/local-orchestrator.ts';

/** The events that end an execution in the log. */
export const EXECUTION_END_EVENT_TYPES = [
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionStopped',
  'ExecutionSuperseded',
  'ExecutionCancelled',
] as const;

/** What {@link resumeExecutions} works with. */
export interface ResumeContext {
  store: SqliteEventStore;
  orchestrator: LocalOrchestrator;
  /** The pipelines whose executions to resume (the registered ones). */
  pipelines: readonly string[];
  functionNames: FunctionNames;
  /** Whether stage locks are in use (an execution ended here releases its locks). */
  executionModes: boolean;
  now: () => string;
  onEvents?: (records: readonly EventRecord[]) => void;
  onWarning?: (message: string) => void;
}

interface Found {
  executionId: string;
  pipelineName: string;
  view: ExecutionView;
}

type Plan =
  | (Found & {
      kind: 'resume';
      pipeline: Pipeline;
      executionArn: string;
      definition: AslDefinition;
      journal: HistoryEvent[];
    })
  | (Found & { kind: 'end'; pipeline?: Pipeline; reason: string })
  | { kind: 'skip' };

/**
 * Resumes every open execution of `pipelines` not already running here; returns the ids of
 * those whose state machine continues. Executions that cannot be resumed are ended first (so
 * the stage locks they held are free before the resumed ones ask for them).
 *
 * @example
 * ```ts
 * const resumed = await resumeExecutions(context); // ['7f0c…', …]
 * ```
 */
export async function resumeExecutions(ctx: ResumeContext): Promise<string[]> {
  const plans: Extract<Plan, { kind: 'resume' }>[] = [];
  for (const name of ctx.pipelines) {
    for (const executionId of await ctx.store.listOpenExecutions(name, EXECUTION_END_EVENT_TYPES)) {
      if (ctx.orchestrator.has(executionId)) continue;
      const plan = await planResume(ctx, name, executionId);
      if (plan.kind === 'resume') plans.push(plan);
      else if (plan.kind === 'end') await endExecution(ctx, plan);
    }
  }
  const resumed: string[] = [];
  for (const plan of plans) {
    try {
      await ctx.orchestrator.resumeExecution(plan);
      resumed.push(plan.executionId);
    } catch (e) {
      await endExecution(ctx, { ...plan, kind: 'end', reason: (e as Error).message });
    }
  }
  return resumed;
}

async function planResume(ctx: ResumeContext, pipelineName: string, executionId: string): Promise<Plan> {
  const { view, pipeline } = await readExecution(ctx.store, executionId);
  if (view.endedAt !== undefined) return { kind: 'skip' };
  const base = { executionId, pipelineName, view, ...(pipeline === undefined ? {} : { pipeline }) };
  if (view.status === 'Stopping') return { kind: 'end', ...base, reason: 'it was stopping' };
  if (pipeline === undefined) {
    return {
      kind: 'end',
      ...base,
      reason: `the pipeline's stream has no definition version ${view.pipelineVersion ?? '(unknown)'}`,
    };
  }
  const { executionArn, events } = ctx.store.journal.read(executionId);
  if (executionArn === undefined || events[0]?.type !== 'ExecutionStarted') {
    return {
      kind: 'end',
      ...base,
      reason: 'its state machine history is missing (the process stopped before the state machine started)',
    };
  }
  const last = events.at(-1);
  if (last !== undefined && CLOSING_EVENT_TYPES.includes(last.type)) {
    const details =
      last.executionFailedEventDetails ??
      last.executionAbortedEventDetails ??
      last.executionTimedOutEventDetails;
    return {
      kind: 'end',
      ...base,
      reason: `its state machine had already ended (${last.type}${details ? `: ${details.error} ${details.cause}` : ''})`,
    };
  }
  const definition = compilePipeline(pipeline, { resources: ctx.functionNames });
  return { kind: 'resume', ...base, pipeline, executionArn, definition, journal: events };
}

/** Ends an execution that cannot go on: finishes a stop it was in, else fails it with the reason. */
async function endExecution(ctx: ResumeContext, plan: Extract<Plan, { kind: 'end' }>): Promise<void> {
  const { executionId, view } = plan;
  const at = ctx.now();
  const stopped = view.status === 'Stopping' ? decideStopped(view, { at }).events : [];
  const events: NewEventRecord[] =
    stopped.length > 0
      ? stopped
      : [
          executionFailed({
            executionId,
            at,
            error: {
              code: 'ResumeFailed',
              message: `the state machine of execution ${executionId} could not be resumed after a restart: ${plan.reason}. Start the pipeline again.`,
            },
          }),
        ];
  try {
    const result = await ctx.store.append(executionStream(executionId), events, {
      expectedVersion: view.lastSeq,
      pipeline: plan.pipelineName,
    });
    if (result.appended.length > 0) ctx.onEvents?.(result.appended);
    if (plan.pipeline !== undefined) await releaseLocks(ctx, plan.pipeline, executionId, stopped.length > 0);
  } catch (e) {
    ctx.onWarning?.(`ending execution ${executionId} after a restart: ${(e as Error).message}`);
  }
}

/** Releases the stage locks an ended execution held (the engine does so when it ends one itself). */
async function releaseLocks(
  ctx: ResumeContext,
  pipeline: Pipeline,
  executionId: string,
  stopped: boolean,
): Promise<void> {
  if (!ctx.executionModes || pipeline.executionMode === 'PARALLEL') return;
  // Through the engine's pipeline stream: the head's snapshot, the fold after it, a new snapshot.
  await decideOnPipelineStream(
    ctx.store,
    pipeline,
    ({ view }) =>
      decideStageRelease(pipeline, view, {
        executionId,
        stageAttempt: 0,
        at: ctx.now(),
        reason: stopped ? 'Stopped' : 'Failed',
      }).events,
  );
}
