/**
 * Execution modes at the stage gate, decided on the pipeline's own stream (the locks and
 * queues live there, written with conditional appends):
 * - PARALLEL: no lock; every execution enters at once.
 * - SUPERSEDED: one execution per stage; a later one waits in front of it, and a newer waiting
 *   execution replaces an older one (which ends Superseded).
 * - QUEUED: one execution in the pipeline at a time, first in first out: the first stage's
 *   lock is held from the first gate to the execution's end.
 *
 * @example
 * ```ts
 * const d = decideStageLock(pipeline, streamView, { executionId, stageName: 'Deploy', stageAttempt: 0, startedAt, at });
 * if (d.kind === 'enter') append(pipelineStream(pipeline.name), d.events);
 * ```
 */
import type { PipelineStreamEvent } from '../events/event-catalog.ts';
import type { NewEvent } from '../events/event-envelope.ts';
import {
  executionDequeued,
  executionQueued,
  inboundExecutionSuperseded,
  stageLockAcquired,
  stageLockReleased,
} from '../events/pipeline-stream-events.ts';
import type { Pipeline } from '../model/pipeline.ts';
import type { PipelineStreamView } from '../projections/pipeline-stream-view.ts';

/** A pipeline-stream event before it is appended. @example `const e: NewPipelineEvent = stageLockAcquired({ … })` */
export type NewPipelineEvent = NewEvent<PipelineStreamEvent>;

/** What the gate asks about. @example `{ executionId: '9a1b', stageName: 'Deploy', stageAttempt: 0, startedAt, at }` */
export interface LockRequest {
  executionId: string;
  stageName: string;
  stageAttempt: number;
  /** When the execution started (newer executions supersede older ones). */
  startedAt: string;
  at: string;
}

/**
 * The lock decision: enter (after appending `events`), wait (queued behind `holder`), or
 * be superseded by a newer execution. `superseded` lists the executions this decision
 * supersedes; the shell ends each of them.
 */
export type LockDecision =
  | { kind: 'enter'; events: NewPipelineEvent[]; superseded: string[] }
  | { kind: 'wait'; events: NewPipelineEvent[]; holder: string; superseded: string[] }
  | { kind: 'superseded'; events: NewPipelineEvent[]; by: string };

/**
 * The stage whose lock an execution needs at `stageName`'s gate, or `undefined` when the
 * mode needs none there.
 *
 * @example
 * ```ts
 * lockedStage(queuedPipeline, 'Deploy'); // undefined: QUEUED locks only the first stage
 * ```
 */
export function lockedStage(pipeline: Pipeline, stageName: string): string | undefined {
  if (pipeline.executionMode === 'PARALLEL') return undefined;
  if (pipeline.executionMode === 'QUEUED') {
    return pipeline.stages[0]?.name === stageName ? stageName : undefined;
  }
  return stageName;
}

/**
 * Decides the gate's lock.
 *
 * @example
 * ```ts
 * decideStageLock(pipeline, view, request).kind; // 'enter' | 'wait' | 'superseded'
 * ```
 */
export function decideStageLock(
  pipeline: Pipeline,
  view: PipelineStreamView,
  request: LockRequest,
  startedAt: (executionId: string) => string | undefined,
): LockDecision {
  const stage = lockedStage(pipeline, request.stageName);
  if (stage === undefined) return { kind: 'enter', events: [], superseded: [] };
  const me = request.executionId;
  const lock = view.stageLocks.find((l) => l.stageName === stage) ?? { stageName: stage, queue: [] };
  if (lock.heldBy?.pipelineExecutionId === me) return { kind: 'enter', events: [], superseded: [] };
  const base = { pipelineName: pipeline.name, at: request.at, stageName: stage };
  const ref = { ...base, pipelineExecutionId: me, stageAttempt: request.stageAttempt };
  const queued = lock.queue.some((q) => q.pipelineExecutionId === me);
  const others = lock.queue.filter((q) => q.pipelineExecutionId !== me);

  if (pipeline.executionMode === 'SUPERSEDED') {
    const newer = (id: string) => (startedAt(id) ?? '') > request.startedAt;
    const newest = others.find((q) => newer(q.pipelineExecutionId));
    if (newest !== undefined) {
      const by = newest.pipelineExecutionId;
      return {
        kind: 'superseded',
        by,
        events: queued
          ? [inboundExecutionSuperseded({ ...base, pipelineExecutionId: me, supersededBy: by })]
          : [],
      };
    }
    const superseding = others.map((q) =>
      inboundExecutionSuperseded({ ...base, pipelineExecutionId: q.pipelineExecutionId, supersededBy: me }),
    );
    const superseded = others.map((q) => q.pipelineExecutionId);
    if (lock.heldBy === undefined) {
      return { kind: 'enter', events: [...superseding, stageLockAcquired(ref)], superseded };
    }
    return {
      kind: 'wait',
      holder: lock.heldBy.pipelineExecutionId,
      events: [...superseding, ...(queued ? [] : [executionQueued(ref)])],
      superseded,
    };
  }

  // QUEUED: first in, first out.
  const first = lock.queue[0]?.pipelineExecutionId;
  if (lock.heldBy === undefined && (first === undefined || first === me)) {
    return { kind: 'enter', events: [stageLockAcquired(ref)], superseded: [] };
  }
  return {
    kind: 'wait',
    holder: lock.heldBy?.pipelineExecutionId ?? first ?? '',
    events: queued ? [] : [executionQueued(ref)],
    superseded: [],
  };
}

/**
 * Releases the lock an execution holds for `stageName` (SUPERSEDED: when it leaves or fails
 * the stage; QUEUED: the first stage's lock, when the execution ends), and names the
 * execution to wake: the next in the queue.
 *
 * @example
 * ```ts
 * const { events, next } = decideStageRelease(pipeline, view, { executionId, stageName: 'Build', stageAttempt: 0, at, reason: 'Succeeded' });
 * ```
 */
export function decideStageRelease(
  pipeline: Pipeline,
  view: PipelineStreamView,
  request: {
    executionId: string;
    /** The stage whose lock to release; all the execution's locks when omitted (the execution ended). */
    stageName?: string;
    stageAttempt: number;
    at: string;
    reason: string;
  },
): { events: NewPipelineEvent[]; next?: string } {
  const events: NewPipelineEvent[] = [];
  let next: string | undefined;
  for (const lock of view.stageLocks) {
    const base = { pipelineName: pipeline.name, at: request.at, stageName: lock.stageName };
    const queued = lock.queue.some((q) => q.pipelineExecutionId === request.executionId);
    if (queued) {
      events.push(
        executionDequeued({
          ...base,
          pipelineExecutionId: request.executionId,
          stageAttempt: request.stageAttempt,
          reason: request.reason,
        }),
      );
    }
    const mine = request.stageName === undefined || lock.stageName === request.stageName;
    if (!mine || lock.heldBy?.pipelineExecutionId !== request.executionId) continue;
    events.push(
      stageLockReleased({
        ...base,
        pipelineExecutionId: request.executionId,
        stageAttempt: lock.heldBy.stageAttempt,
        reason: request.reason,
      }),
    );
    const waiting = lock.queue.filter((q) => q.pipelineExecutionId !== request.executionId);
    next = (pipeline.executionMode === 'SUPERSEDED' ? waiting.at(-1) : waiting[0])?.pipelineExecutionId;
  }
  return next === undefined ? { events } : { events, next };
}
