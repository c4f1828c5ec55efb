/**
 * The engine's side of execution modes: decides and appends stage locks and queues in the
 * pipeline's stream (conditional appends, retried on a concurrent append; one head read and
 * its snapshot per decision, whatever the history), remembers which
 * gates wait, and says whom to wake or supersede. The rules are core's
 * (`decideStageLock`, `decideStageRelease`).
 *
 * @example
 * ```ts
 * const locks = new StageLocks(store, now);
 * const d = await locks.acquire(pipeline, { executionId, stageName, stageAttempt, startedAt });
 * ```
 */
import {
  ConcurrencyConflictError,
  decideStageLock,
  decideStageRelease,
  type EventStore,
  executionStream,
  type LockDecision,
  type NewEventRecord,
  type Pipeline,
  type PipelineStreamView,
} from '@pipewright/core';
import { backOffAfterConflict } from './conflict-backoff.ts';
import {
  appendToPipelineStream,
  type PipelineStreamRead,
  readPipelineStream,
  supersededBy,
} from './pipeline-stream.ts';

/** Stage locks and queues of the pipelines one engine runs. */
export class StageLocks {
  readonly #store: EventStore;
  readonly #now: () => string;
  readonly #startedAt = new Map<string, string>();

  constructor(store: EventStore, now: () => string) {
    this.#store = store;
    this.#now = now;
  }

  /** Decides and records the gate's lock for one execution. */
  async acquire(
    pipeline: Pipeline,
    request: { executionId: string; stageName: string; stageAttempt: number; startedAt: string },
  ): Promise<LockDecision> {
    this.#startedAt.set(request.executionId, request.startedAt);
    for (let round = 0; ; round++) {
      // Superseded is final. A gate that asks again after a newer execution replaced it (its
      // second look, a redelivered task, or a decision another process appended meanwhile)
      // neither takes a lock nor supersedes anyone: deciding as if it had just arrived would
      // let it supersede the newer execution (start times tie within a millisecond) or take
      // a lock that fell free, which no one would ever release. Looked up by the record's id
      // (one item whatever the stream's history) after the head is read, so a record within
      // the read is found and one appended after it makes the conditional append fail.
      const read = await readPipelineStream(this.#store, pipeline);
      const by = await supersededBy(this.#store, pipeline, request.executionId, request.stageName);
      if (by !== undefined) return { kind: 'superseded', by, events: [] };
      await this.#learnStartTimes(read.view);
      const decision = decideStageLock(pipeline, read.view, { ...request, at: this.#now() }, (id) =>
        this.#startedAt.get(id),
      );
      if (await this.#append(pipeline, read, decision.events, round)) return decision;
    }
  }

  /** Releases an execution's lock on a stage (all its locks without `stageName`); returns whom to wake. */
  async release(
    pipeline: Pipeline,
    request: { executionId: string; stageName?: string; stageAttempt: number; reason: string },
  ): Promise<string | undefined> {
    for (let round = 0; ; round++) {
      const read = await readPipelineStream(this.#store, pipeline);
      const { events, next } = decideStageRelease(pipeline, read.view, { ...request, at: this.#now() });
      if (await this.#append(pipeline, read, events, round)) return next;
    }
  }

  /** true when appended (or nothing to append); false to decide again after a concurrent append. */
  async #append(
    pipeline: Pipeline,
    read: PipelineStreamRead,
    events: readonly NewEventRecord[],
    round: number,
  ): Promise<boolean> {
    if (events.length === 0) return true;
    try {
      await appendToPipelineStream(this.#store, pipeline, read, events);
      return true;
    } catch (e) {
      if (e instanceof ConcurrencyConflictError && (await backOffAfterConflict(round))) return false;
      throw e;
    }
  }

  async #learnStartTimes(view: PipelineStreamView): Promise<void> {
    for (const lock of view.stageLocks) {
      for (const q of lock.queue) {
        if (this.#startedAt.has(q.pipelineExecutionId)) continue;
        const [first] = await this.#store.read(executionStream(q.pipelineExecutionId), { limit: 1 });
        if (first !== undefined) this.#startedAt.set(q.pipelineExecutionId, first.at);
      }
    }
  }
}
