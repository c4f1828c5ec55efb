/**
 * Delivers triggers to pipelines: records one `TriggerReceived` per delivery id in the
 * pipeline's trigger stream (`triggers-<name>`, apart from the stream gates read), then starts
 * the execution a matched delivery decided on. A delivery costs the same whatever the history:
 * its record is looked up by id (`EventStore.find`; also in the pipeline's stream, where logs
 * written before the trigger stream keep theirs) and appended at the stream's end, the event id
 * making a racing second record a duplicate. A redelivery answers the recorded result and starts nothing —
 * unless the recorded execution never began (the process died between the record and the
 * start), in which case it is started now with the recorded id (starts are idempotent by id).
 *
 * Deliveries fanned out to every pipeline that might want them (the local bus hands each
 * state-change event to each pipeline with an EventPattern trigger) are matched before anything
 * is read or appended (`countMisses`): a miss is only counted, per pipeline and source
 * ({@link TriggerDispatcher.missedDeliveries}), so a pipeline's stream does not grow with events
 * it can never take. Every other delivery is recorded, matched or not, with the reason.
 */
import { randomUUID } from 'node:crypto';
import {
  ConcurrencyConflictError,
  decideTrigger,
  type EventActor,
  type EventStore,
  type ExecutionTrigger,
  executionStream,
  type Pipeline,
  pipelineStream,
  recordedTrigger,
  type SourceRevision,
  type TriggerDelivery,
  type TriggerResult,
  triggerStream,
} from '@pipewright/core';
import { BoundedMap } from './bounded-map.ts';
import { backOffAfterConflict, MAX_CONFLICT_ROUNDS } from './conflict-backoff.ts';
import { UnknownPipelineError } from './errors.ts';
import { KeyedLock } from './keyed-lock.ts';

/** What the dispatcher asks to start. */
export interface TriggeredStart {
  pipeline: string;
  executionId: string;
  variables: Record<string, string>;
  trigger: ExecutionTrigger;
  actor: EventActor;
  sourceRevisions?: SourceRevision[];
}

/** Options of {@link TriggerDispatcher}. */
export interface TriggerDispatcherOptions {
  store: EventStore;
  /** The served pipelines (the current definition of each). */
  pipelines: { get(name: string): Pipeline | undefined };
  /** Starts an execution; must be idempotent by `executionId` (the engine's `start` is). */
  start(request: TriggeredStart): Promise<unknown>;
  /** New execution ids (default: random UUIDs). */
  newId?: () => string;
  /** Appends tried before giving up under constant contention (default 500, with growing random pauses). */
  maxAttempts?: number;
}

/** Options of {@link TriggerDispatcher.deliver}. @example `{ countMisses: true }` */
export interface DeliverOptions {
  /**
   * Count a delivery that matches none of the pipeline's triggers instead of recording it (for
   * events handed to every pipeline that has an EventPattern trigger, whether its pattern can
   * match or not). A match is recorded and started as always.
   */
  countMisses?: boolean;
}

/**
 * Deliveries from one source that matched none of a pipeline's triggers and were counted, not
 * recorded: what answers "why did my pipeline not run?" for them.
 *
 * @example
 * ```ts
 * triggers.missedDeliveries('web-app');
 * // [{ pipeline: 'web-app', source: 'events:aws.codepipeline/CodePipeline Stage Execution State Change', count: 233, firstAt, lastAt, lastTriggerId, lastReason }]
 * ```
 */
export interface MissedDeliveries {
  pipeline: string;
  /** Where they came from, as `TriggerReceived.source` would say (`events:<source>/<detail-type>`). */
  source: string;
  count: number;
  firstAt: string;
  lastAt: string;
  lastTriggerId: string;
  /** Why the last one matched nothing. */
  lastReason: string;
}

/** Pipelines × sources whose misses are counted (the least recently missed are dropped beyond it). */
const MISS_COUNTERS_KEPT = 1_000;

/**
 * Delivers triggers to a runtime's pipelines (the local server's and the trigger Lambda's).
 *
 * @example
 * ```ts
 * const triggers = new TriggerDispatcher({
 *   store: runtime.store,
 *   pipelines: { get: (name) => served.get(name) },
 *   start: (r) => runtime.engine.start(r),
 * });
 * await triggers.deliver('web-app', { kind: 'git', provider: 'github', triggerId: deliveryId, at, event });
 * // { triggerId, matched: true, reason: 'push to branch "main" … matches …', executionId: '…' }
 * ```
 */
export class TriggerDispatcher {
  readonly #o: TriggerDispatcherOptions;
  /** Starts under way in this process, by execution id: a concurrent redelivery waits for them. */
  readonly #starting = new Map<string, Promise<unknown>>();

  readonly #chains = new KeyedLock();

  readonly #misses = new BoundedMap<string, MissedDeliveries>(MISS_COUNTERS_KEPT);

  constructor(options: TriggerDispatcherOptions) {
    this.#o = options;
  }

  /**
   * Records the delivery for `pipelineName` and starts the execution it matched (with
   * `countMisses`, a delivery that matches nothing is counted instead of recorded).
   *
   * @throws {UnknownPipelineError} when no such pipeline is served.
   */
  async deliver(
    pipelineName: string,
    delivery: TriggerDelivery,
    options: DeliverOptions = {},
  ): Promise<TriggerResult> {
    const pipeline = this.#o.pipelines.get(pipelineName);
    if (pipeline === undefined) throw new UnknownPipelineError(pipelineName);
    if (options.countMisses === true) {
      // Match first: a pure decision, no read, no append. The id is only used by a match.
      const probe = decideTrigger(pipeline, delivery, '');
      if (probe.start === undefined) return this.#countMiss(pipeline.name, delivery, probe);
    }
    const outcome = await this.#chains.run(JSON.stringify([pipeline.name, delivery.triggerId]), () =>
      this.#record(pipeline, delivery),
    );
    if (outcome.kind === 'recorded') return this.#resume(pipeline, delivery, outcome.result);
    if (outcome.start !== undefined) await this.#begin({ pipeline: pipeline.name, ...outcome.start });
    return outcome.result;
  }

  /**
   * Records the delivery in the pipeline's trigger stream. Deliveries of one id are recorded one
   * at a time in this process; another process's record of the same id makes ours a duplicate,
   * and its result is answered.
   */
  async #record(
    pipeline: Pipeline,
    delivery: TriggerDelivery,
  ): Promise<
    | { kind: 'recorded'; result: TriggerResult }
    | { kind: 'new'; result: TriggerResult; start?: ReturnType<typeof decideTrigger>['start'] }
  > {
    const maxAttempts = this.#o.maxAttempts ?? MAX_CONFLICT_ROUNDS;
    for (let attempt = 1; ; attempt++) {
      const decision = decideTrigger(pipeline, delivery, (this.#o.newId ?? randomUUID)());
      const recorded = await this.#recorded(pipeline.name, decision.events[0].id, delivery.triggerId);
      if (recorded !== undefined) return { kind: 'recorded', result: recorded };
      try {
        const appended = await this.#o.store.append(triggerStream(pipeline.name), decision.events, {
          expectedVersion: 'any',
        });
        // Another delivery of the same id recorded it between our read and our append.
        if (appended.duplicates.length > 0) continue;
      } catch (error) {
        if (
          error instanceof ConcurrencyConflictError &&
          attempt < maxAttempts &&
          (await backOffAfterConflict(attempt - 1))
        ) {
          continue;
        }
        throw error;
      }
      return decision.start === undefined
        ? { kind: 'new', result: decision.result }
        : { kind: 'new', result: decision.result, start: decision.start };
    }
  }

  /** The result recorded for a delivery: in the trigger stream, or in the pipeline's (older logs). */
  async #recorded(pipeline: string, eventId: string, triggerId: string): Promise<TriggerResult | undefined> {
    const found =
      (await this.#o.store.find(triggerStream(pipeline), eventId)) ??
      (await this.#o.store.find(pipelineStream(pipeline), eventId));
    return found === undefined ? undefined : recordedTrigger([found], triggerId);
  }

  /**
   * The misses counted for `pipelineName` (every pipeline's without it), most recent last.
   *
   * @example
   * ```ts
   * triggers.missedDeliveries('web-app')[0]?.count; // 233
   * ```
   */
  missedDeliveries(pipelineName?: string): MissedDeliveries[] {
    return [...this.#misses.values()]
      .filter((m) => pipelineName === undefined || m.pipeline === pipelineName)
      .map((m) => ({ ...m }));
  }

  #countMiss(
    pipeline: string,
    delivery: TriggerDelivery,
    decision: ReturnType<typeof decideTrigger>,
  ): TriggerResult {
    const source = decision.events[0].data.source ?? delivery.kind;
    const key = JSON.stringify([pipeline, source]);
    const before = this.#misses.get(key);
    this.#misses.set(key, {
      pipeline,
      source,
      count: (before?.count ?? 0) + 1,
      firstAt: before?.firstAt ?? delivery.at,
      lastAt: delivery.at,
      lastTriggerId: delivery.triggerId,
      lastReason: decision.result.reason,
    });
    return decision.result;
  }

  /** A recorded match whose execution never began is started now, decided again with the recorded id. */
  async #resume(
    pipeline: Pipeline,
    delivery: TriggerDelivery,
    recorded: TriggerResult,
  ): Promise<TriggerResult> {
    const executionId = recorded.executionId;
    if (!recorded.matched || executionId === undefined) return recorded;
    const underway = this.#starting.get(executionId);
    if (underway !== undefined) {
      await underway.catch(() => undefined);
      return recorded;
    }
    // Beyond its start event, the execution's state machine runs. With the start event alone, the
    // process may have died (or StartExecution failed) between the two: start it again — the
    // engine's start, and StartExecution for the same name and input, happen once.
    if ((await this.#o.store.version(executionStream(executionId))) > 1) return recorded;
    const again = decideTrigger(pipeline, delivery, executionId);
    if (again.start !== undefined) await this.#begin({ pipeline: pipeline.name, ...again.start });
    return recorded;
  }

  async #begin(request: TriggeredStart): Promise<void> {
    const started = this.#o.start(request);
    this.#starting.set(request.executionId, started);
    try {
      await started;
    } finally {
      this.#starting.delete(request.executionId);
    }
  }
}
