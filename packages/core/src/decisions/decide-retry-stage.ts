/**
 * Retrying a failed stage (CodePipeline's RetryStageExecution): `StageRetried` with who asked
 * and the answer to the stage's waiting `S.failed` task — `RETRY_FAILED_ACTIONS` (only the
 * failed actions run again; the others' outputs are reused) or `RETRY_ALL_ACTIONS` (the stage
 * runs again from its gate). With an execution mode that locks stages, the retried execution
 * takes the stage's lock again first ({@link decideRetryLock}): its failure released it.
 *
 * @example
 * ```ts
 * const d = decideRetryStage(view, pipeline, { stageName: 'Build', retryMode: 'FAILED_ACTIONS', actor }, { at });
 * d.reply; // { kind: 'success', output: { decision: 'RETRY_FAILED_ACTIONS' } }
 * ```
 */
import { ExecutionStateError } from '../errors.ts';
import type { EventActor } from '../events/event-parts.ts';
import { type RetryMode, stageRetried } from '../events/operator-events.ts';
import { stageLockAcquired } from '../events/pipeline-stream-events.ts';
import type { Pipeline } from '../model/pipeline.ts';
import type { ExecutionView } from '../projections/execution-view.ts';
import type { PipelineStreamView } from '../projections/pipeline-stream-view.ts';
import type { DecisionContext } from './decide-stage-boundary.ts';
import type { NewPipelineEvent } from './decide-stage-lock.ts';
import type { Decision } from './decision.ts';

/** A retry request. @example `{ stageName: 'Build', retryMode: 'ALL_ACTIONS', actor: { kind: 'user', id: 'alice' } }` */
export interface RetryStageInput {
  stageName: string;
  retryMode: RetryMode;
  actor: EventActor;
  /** The failed attempt the caller saw; refused when the stage has a later one. Default: the latest. */
  stageAttempt?: number;
}

/**
 * Decides a retry request. Throws `ExecutionStateError` (nothing to append) when the
 * execution ended or is stopping, the stage is not `Failed`, `stageAttempt` is not the
 * stage's latest attempt, an action of the stage is still in progress (ALL_ACTIONS), or no
 * action failed (FAILED_ACTIONS). The reply answers the `S.failed` task of the failed attempt.
 *
 * @example
 * ```ts
 * const { events, reply } = decideRetryStage(view, pipeline, { stageName: 'Build', retryMode: 'FAILED_ACTIONS', actor }, { at });
 * ```
 */
export function decideRetryStage(
  view: ExecutionView,
  pipeline: Pipeline,
  input: RetryStageInput,
  ctx: DecisionContext,
): Decision {
  const id = view.pipelineExecutionId;
  const { stageName, retryMode } = input;
  if (view.endedAt !== undefined) {
    throw new ExecutionStateError(
      `execution ${id} already ended (${view.status}); an ended execution cannot be retried: start a new execution`,
    );
  }
  if (view.status === 'Stopping') {
    throw new ExecutionStateError(
      `execution ${id} is stopping; a stopping execution cannot be retried: start a new execution once it stopped`,
    );
  }
  const stage = view.stages.find((s) => s.stageName === stageName);
  if (stage === undefined || !pipeline.stages.some((s) => s.name === stageName)) {
    const names = pipeline.stages.map((s) => s.name).join(', ');
    throw new ExecutionStateError(
      `pipeline ${pipeline.name} has no stage ${stageName}; its stages: ${names}`,
    );
  }
  if (stage.status !== 'Failed') {
    throw new ExecutionStateError(
      `stage ${stageName} of execution ${id} is ${stage.status}, not Failed; only a failed stage can be retried`,
    );
  }
  const failedAttempt = stage.stageAttempt;
  if (input.stageAttempt !== undefined && input.stageAttempt !== failedAttempt) {
    throw new ExecutionStateError(
      `attempt ${input.stageAttempt} of stage ${stageName} is not its latest attempt (${failedAttempt}); retry the latest attempt`,
    );
  }
  const current = stage.actions.flatMap((a) =>
    a.attempts
      .filter((t) => t.stageAttempt === failedAttempt)
      .map((t) => ({ actionName: a.actionName, status: t.status })),
  );
  const inProgress = current.filter((t) => t.status === 'InProgress').map((t) => t.actionName);
  if (retryMode === 'ALL_ACTIONS' && inProgress.length > 0) {
    throw new ExecutionStateError(
      `stage ${stageName} still has actions in progress (${inProgress.join(', ')}); retry ALL_ACTIONS once they ended, or retry FAILED_ACTIONS`,
    );
  }
  const failed = stage.actions.some((a) => a.status === 'Failed' || a.status === 'Abandoned');
  if (retryMode === 'FAILED_ACTIONS' && !failed) {
    throw new ExecutionStateError(
      `stage ${stageName} of execution ${id} has no failed actions to retry; retry it with ALL_ACTIONS`,
    );
  }
  return {
    events: [
      stageRetried({
        executionId: id,
        at: ctx.at,
        actor: input.actor,
        stageName,
        stageAttempt: failedAttempt + 1,
        retryMode,
      }),
    ],
    reply: { kind: 'success', output: { decision: `RETRY_${retryMode}` } },
  };
}

/**
 * The stage whose lock a retried stage needs, or `undefined` when the execution mode locks
 * nothing there: SUPERSEDED — the stage itself; QUEUED — the pipeline's first stage (one
 * execution in the pipeline at a time); PARALLEL — none.
 *
 * @example
 * ```ts
 * retryLockStage(queuedPipeline, 'Deploy'); // 'Source'
 * ```
 */
export function retryLockStage(pipeline: Pipeline, stageName: string): string | undefined {
  if (pipeline.executionMode === 'SUPERSEDED') return stageName;
  if (pipeline.executionMode === 'QUEUED') return pipeline.stages[0]?.name;
  return undefined;
}

/** What {@link decideRetryLock} is asked. @example `{ executionId: '7f0c', stageName: 'Deploy', stageAttempt: 1, at, lastEntered: '7f0c' }` */
export interface RetryLockRequest {
  executionId: string;
  stageName: string;
  /** The new stage attempt (the failed one + 1). */
  stageAttempt: number;
  at: string;
  /** The execution that took the lock stage's lock last (from the pipeline stream's history). */
  lastEntered?: string;
}

/**
 * Takes the lock a retried stage needs again (its failure released it), or refuses with
 * `ExecutionStateError` when another execution holds it (QUEUED: another execution is in
 * progress) or, in SUPERSEDED mode, when a newer execution entered the stage since: as in
 * CodePipeline, the failed execution is then no longer retryable.
 *
 * @example
 * ```ts
 * decideRetryLock(pipeline, streamView, { executionId, stageName: 'Deploy', stageAttempt: 1, at, lastEntered: executionId });
 * // [StageLockAcquired]
 * ```
 */
export function decideRetryLock(
  pipeline: Pipeline,
  view: PipelineStreamView,
  request: RetryLockRequest,
): NewPipelineEvent[] {
  const stageName = retryLockStage(pipeline, request.stageName);
  if (stageName === undefined) return [];
  const me = request.executionId;
  const holder = view.stageLocks.find((l) => l.stageName === stageName)?.heldBy?.pipelineExecutionId;
  if (holder === me) return [];
  if (holder !== undefined) {
    throw new ExecutionStateError(
      pipeline.executionMode === 'QUEUED'
        ? `execution ${holder} is in progress in pipeline ${pipeline.name} (QUEUED: one execution at a time); retry stage ${request.stageName} after it ended`
        : `execution ${holder} is in stage ${stageName} now (SUPERSEDED): a newer execution made ${me} no longer retryable; start a new execution instead`,
    );
  }
  if (
    pipeline.executionMode === 'SUPERSEDED' &&
    request.lastEntered !== undefined &&
    request.lastEntered !== me
  ) {
    throw new ExecutionStateError(
      `execution ${request.lastEntered} entered stage ${stageName} after ${me} failed there (SUPERSEDED): ${me} is no longer retryable; start a new execution instead`,
    );
  }
  return [
    stageLockAcquired({
      pipelineName: pipeline.name,
      at: request.at,
      stageName,
      pipelineExecutionId: me,
      stageAttempt: request.stageAttempt,
    }),
  ];
}
