/**
 * Reading a pipeline's own stream (`pipeline-<name>`) and appending a decision to it with
 * optimistic concurrency: read, fold, decide, append with `expectedVersion`; a concurrent
 * append makes it read and decide again. Operator controls (transitions, a retried stage's
 * lock) use it.
 *
 * @example
 * ```ts
 * const after = await decideOnPipelineStream(store, pipeline, (view) => decideEnableTransition(pipeline, view, input, { at }));
 * ```
 */
import {
  ConcurrencyConflictError,
  type EventRecord,
  type EventStore,
  foldPipelineStream,
  type NewPipelineEvent,
  type Pipeline,
  type PipelineStreamView,
  parseStoredEvent,
  pipelineStream,
} from '@pipewright/core';
import { backOffAfterConflict } from './conflict-backoff.ts';

/** A pipeline stream: its fold and its records. @example `const { view, records } = await readPipelineStream(store, pipeline)` */
export interface PipelineStreamRead {
  view: PipelineStreamView;
  records: EventRecord[];
}

/**
 * Reads and folds a pipeline's stream.
 *
 * @example
 * ```ts
 * const { view } = await readPipelineStream(store, pipeline);
 * view.transitions.Deploy?.enabled;
 * ```
 */
export async function readPipelineStream(store: EventStore, pipeline: Pipeline): Promise<PipelineStreamRead> {
  const records = await store.read(pipelineStream(pipeline.name));
  return {
    records,
    view: foldPipelineStream(
      pipeline,
      records.map((r) => parseStoredEvent(r)),
    ),
  };
}

/**
 * Decides on the pipeline stream and appends the decided events (retrying on a concurrent
 * append); returns the stream as it is afterwards. A decider's error propagates, nothing appended.
 *
 * @example
 * ```ts
 * await decideOnPipelineStream(store, pipeline, ({ view }) => decideDisableTransition(pipeline, view, input, { at }));
 * ```
 */
export async function decideOnPipelineStream(
  store: EventStore,
  pipeline: Pipeline,
  decide: (stream: PipelineStreamRead) => NewPipelineEvent[],
): Promise<PipelineStreamRead> {
  for (let round = 0; ; round++) {
    const stream = await readPipelineStream(store, pipeline);
    const events = decide(stream);
    if (events.length === 0) return stream;
    try {
      await store.append(pipelineStream(pipeline.name), events, { expectedVersion: stream.view.lastSeq });
      return readPipelineStream(store, pipeline);
    } catch (e) {
      if (e instanceof ConcurrencyConflictError && (await backOffAfterConflict(round))) continue;
      throw e;
    }
  }
}

/**
 * The execution that took a stage's lock last (`StageLockAcquired`), from the stream's history.
 *
 * @example
 * ```ts
 * lastLockHolder(records, 'Deploy'); // '9a1b'
 * ```
 */
export function lastLockHolder(records: readonly EventRecord[], stageName: string): string | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i];
    if (r?.type !== 'StageLockAcquired') continue;
    const data = r.data as { stageName?: unknown; pipelineExecutionId?: unknown };
    if (data.stageName === stageName && typeof data.pipelineExecutionId === 'string')
      return data.pipelineExecutionId;
  }
  return undefined;
}

/**
 * The execution that superseded `executionId` in front of a stage (`InboundExecutionSuperseded`),
 * from the stream's history; `undefined` when none did. Superseded is final: such an execution
 * never waits, enters or supersedes again.
 *
 * @example
 * ```ts
 * supersededBy(records, '7f0c'); // '9a1b'
 * ```
 */
export function supersededBy(records: readonly EventRecord[], executionId: string): string | undefined {
  for (const r of records) {
    if (r.type !== 'InboundExecutionSuperseded') continue;
    const data = r.data as { pipelineExecutionId?: unknown; supersededBy?: unknown };
    if (data.pipelineExecutionId === executionId && typeof data.supersededBy === 'string')
      return data.supersededBy;
  }
  return undefined;
}
