/**
 * Reading a pipeline's own stream (`pipeline-<name>`) and appending a decision to it with
 * optimistic concurrency: read, fold, decide, append with `expectedVersion`; a concurrent
 * append makes it read and decide again. Gates (stage locks, transitions), operator controls
 * and pipeline versions use it.
 *
 * A read costs the same whatever the stream's history: every append here stores the fold on
 * the stream's head (`AppendOptions.snapshot`), and a read takes the head and folds only the
 * events after its snapshot — none, unless a writer that stores no snapshot appended since. A
 * stream without a snapshot (a log written before snapshots) is folded from its first event
 * once; the next append here stores one.
 *
 * @example
 * ```ts
 * const after = await decideOnPipelineStream(store, pipeline, ({ view }) => decideEnableTransition(pipeline, view, input, { at }));
 * ```
 */
import {
  ConcurrencyConflictError,
  type EventRecord,
  type EventStore,
  foldPipelineStream,
  inboundExecutionSupersededId,
  type NewEventRecord,
  type NewPipelineEvent,
  type Pipeline,
  type PipelineStreamView,
  parseStoredEvent,
  pipelineStream,
  type StreamSnapshot,
} from '@pipewright/core';
import { backOffAfterConflict } from './conflict-backoff.ts';

/** The snapshot format this engine writes; a snapshot of another format is not read (the stream is folded instead). @example `SNAPSHOT_FORMAT; // 1` */
export const SNAPSHOT_FORMAT = 1;

/**
 * A pipeline stream as the engine needs it: its fold, the execution that took each stage's lock
 * last, and the latest definition version recorded.
 *
 * @example
 * ```ts
 * const { view, lastHolders, latest } = await readPipelineStream(store, pipeline);
 * ```
 */
export interface PipelineStreamRead {
  view: PipelineStreamView;
  /** By stage: the execution that took the stage's lock last (holding it or not). */
  lastHolders: Record<string, string>;
  /** The latest `PipelineVersionCreated`: its version and the definition's SHA-256. */
  latest?: { version: number; sha256: string };
}

interface PipelineSnapshot extends PipelineStreamRead {
  format: typeof SNAPSHOT_FORMAT;
}

/** Folds `records` (the events after `from`) on `from`. */
function foldOn(pipeline: Pipeline, from: PipelineStreamRead | undefined, records: readonly EventRecord[]) {
  const view = foldPipelineStream(
    pipeline,
    records.map((r) => parseStoredEvent(r)),
    from?.view,
  );
  const lastHolders = { ...from?.lastHolders };
  let latest = from?.latest;
  for (const r of records) {
    const data = r.data as {
      stageName?: unknown;
      pipelineExecutionId?: unknown;
      version?: unknown;
      sha256?: unknown;
    };
    if (
      r.type === 'StageLockAcquired' &&
      typeof data.stageName === 'string' &&
      typeof data.pipelineExecutionId === 'string'
    ) {
      lastHolders[data.stageName] = data.pipelineExecutionId;
    } else if (
      r.type === 'PipelineVersionCreated' &&
      typeof data.version === 'number' &&
      typeof data.sha256 === 'string'
    ) {
      latest = { version: data.version, sha256: data.sha256 };
    }
  }
  const read: PipelineStreamRead = { view, lastHolders };
  if (latest !== undefined) read.latest = latest;
  return read;
}

/** The snapshot on the head, when it is one this engine wrote for this pipeline. */
function fromSnapshot(
  pipeline: Pipeline,
  snapshot: StreamSnapshot | undefined,
): PipelineStreamRead | undefined {
  const data = snapshot?.data as Partial<PipelineSnapshot> | undefined;
  if (
    snapshot === undefined ||
    data?.format !== SNAPSHOT_FORMAT ||
    data.view?.pipelineName !== pipeline.name ||
    data.view.lastSeq !== snapshot.version
  ) {
    return undefined;
  }
  const read: PipelineStreamRead = { view: data.view, lastHolders: data.lastHolders ?? {} };
  if (data.latest !== undefined) read.latest = data.latest;
  return read;
}

/**
 * Reads a pipeline's stream: its head (with the snapshot) and the events after the snapshot.
 *
 * @example
 * ```ts
 * const { view } = await readPipelineStream(store, pipeline);
 * view.transitions.Deploy?.enabled;
 * ```
 */
export async function readPipelineStream(store: EventStore, pipeline: Pipeline): Promise<PipelineStreamRead> {
  const stream = pipelineStream(pipeline.name);
  const head = await store.head(stream);
  const from = fromSnapshot(pipeline, head.snapshot);
  if (from !== undefined && from.view.lastSeq >= head.version) return foldOn(pipeline, from, []);
  const records = await store.read(stream, { fromSeq: (from?.view.lastSeq ?? 0) + 1 });
  return foldOn(pipeline, from, records);
}

/**
 * Appends `events` after the stream as `read` (`expectedVersion`: its last seq), with the fold
 * through them as the head's snapshot; returns that fold. Throws `ConcurrencyConflictError`
 * when the stream moved on.
 *
 * @example
 * ```ts
 * const read = await readPipelineStream(store, pipeline);
 * const after = await appendToPipelineStream(store, pipeline, read, decided);
 * ```
 */
export async function appendToPipelineStream(
  store: EventStore,
  pipeline: Pipeline,
  read: PipelineStreamRead,
  events: readonly NewEventRecord[],
): Promise<PipelineStreamRead> {
  const stream = pipelineStream(pipeline.name);
  const records = events.map((e, i): EventRecord => ({ ...e, stream, seq: read.view.lastSeq + i + 1 }));
  const after = foldOn(pipeline, read, records);
  const snapshot: PipelineSnapshot = { format: SNAPSHOT_FORMAT, ...after };
  const result = await store.append(stream, events, { expectedVersion: read.view.lastSeq, snapshot });
  // Some were stored already (a redelivery): the fold above is not the stream's; read it.
  return result.duplicates.length === 0 ? after : readPipelineStream(store, pipeline);
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
      return await appendToPipelineStream(store, pipeline, stream, events);
    } catch (e) {
      if (e instanceof ConcurrencyConflictError && (await backOffAfterConflict(round))) continue;
      throw e;
    }
  }
}

/**
 * The execution that superseded `executionId` in front of `stageName`
 * (`InboundExecutionSuperseded`), found by the event's deterministic id: one item read whatever
 * the stream's history. `undefined` when none did. Superseded is final: such an execution never
 * waits, enters or supersedes again. (An execution is superseded only in front of the stage
 * whose gate it waits at, so its gate asks about that stage.)
 *
 * @example
 * ```ts
 * await supersededBy(store, pipeline, '7f0c', 'Deploy'); // '9a1b'
 * ```
 */
export async function supersededBy(
  store: EventStore,
  pipeline: Pipeline,
  executionId: string,
  stageName: string,
): Promise<string | undefined> {
  const id = inboundExecutionSupersededId(pipeline.name, stageName, executionId);
  const found = await store.find(pipelineStream(pipeline.name), id);
  const by = (found?.data as { supersededBy?: unknown } | undefined)?.supersededBy;
  return typeof by === 'string' ? by : undefined;
}
