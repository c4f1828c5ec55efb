/**
 * The engine's kernel: an execution's event stream as the one place use cases read, decide
 * and append. It reads and folds the stream (a bounded cache keeps each view and folds only
 * the events appended since), lets a pure decider from core say what happens, appends the
 * decided events with `expectedVersion` (deciding again after a concurrent append), and
 * answers waiting tasks through the {@link TaskTokenStore} and {@link Orchestrator} ports.
 * Every use case (`use-cases/*.ts`) is a plain function over it.
 *
 * @example
 * ```ts
 * const log = new ExecutionLog({ store, pipelines, tokens, orchestrator });
 * const d = await log.decide(executionId, 'web-app', (view) => decideStop(view, input, { at: log.at() }));
 * await log.reply({ executionId, kind: 'action', stage: 'Build', action: 'Compile', attempt: 0 }, d.reply);
 * ```
 */
import { randomUUID } from 'node:crypto';
import {
  ConcurrencyConflictError,
  type Decision,
  type EventRecord,
  type EventStore,
  type ExecutionView,
  executionStream,
  foldExecution,
  foldExecutionFrom,
  type Pipeline,
  parseStoredEvent,
  type TaskReply,
} from '@pipewright/core';
import { BoundedMap } from './bounded-map.ts';
import { backOffAfterConflict } from './conflict-backoff.ts';
import { UnknownExecutionError, UnknownPipelineError } from './errors.ts';
import { KeyedLock } from './keyed-lock.ts';
import type { Orchestrator, TaskSendResult } from './ports/orchestrator.ts';
import { MemoryTaskTokens, type TaskTokenStore, taskKey } from './ports/task-tokens.ts';

/** Where the engine finds a pipeline's definition (the version an execution runs). @example `{ get: (name) => pipelines.get(name) }` */
export interface PipelineSource {
  /** The definition of `version`, or the latest one without it. */
  get(name: string, version?: number): Pipeline | Promise<Pipeline>;
}

/** A task the engine answers, named as {@link taskKey} names it. @example `{ executionId: '7f0c', kind: 'action', stage: 'Build', action: 'Compile', attempt: 0 }` */
export interface TaskRef {
  executionId: string;
  kind: string;
  stage?: string;
  action?: string;
  attempt: number;
}

/** What the kernel is built from. @example `{ store, pipelines, tokens, orchestrator }` */
export interface ExecutionLogPorts {
  store: EventStore;
  /** Definitions by name and version; `undefined` folds without one (a reader with no definitions). */
  pipelines: { get(name: string, version?: number): Pipeline | undefined | Promise<Pipeline | undefined> };
  /** Where waiting tasks' tokens are kept (default: in memory). */
  tokens?: TaskTokenStore;
  /** Answers waiting tasks; without it (a process that only records decisions) nothing is answered. */
  orchestrator?: Orchestrator;
  now?: () => Date;
  newId?: () => string;
  /** Told about every batch of events appended, in order, per execution. */
  onEvents?: (records: readonly EventRecord[]) => void;
  onWarning?: (message: string) => void;
  /** Executions whose view, pipeline and version are kept in memory (default 2,000). */
  cacheSize?: number;
}

/** Executions whose view, pipeline and version the kernel keeps in memory (the rest is read again). */
const CACHED_EXECUTIONS = 2_000;

/** The kernel. Built once per engine (or per request where only a store is at hand). */
export class ExecutionLog {
  readonly store: EventStore;
  readonly tokens: TaskTokenStore;
  readonly #ports: ExecutionLogPorts;
  readonly #locks = new KeyedLock();
  readonly #views: BoundedMap<string, ExecutionView>;
  readonly #pipelineOf: BoundedMap<string, string>;
  readonly #versionOf: BoundedMap<string, number>;

  constructor(ports: ExecutionLogPorts) {
    this.#ports = ports;
    this.store = ports.store;
    this.tokens = ports.tokens ?? new MemoryTaskTokens();
    const size = ports.cacheSize ?? CACHED_EXECUTIONS;
    this.#views = new BoundedMap(size);
    this.#pipelineOf = new BoundedMap(size);
    this.#versionOf = new BoundedMap(size);
  }

  /** The time now, as events record it. */
  at(): string {
    return (this.#ports.now?.() ?? new Date()).toISOString();
  }

  /** A new id (executions, approvals). */
  newId(): string {
    return this.#ports.newId?.() ?? randomUUID();
  }

  /** Reports a problem that does not stop the use case. */
  warn(message: string): void {
    this.#ports.onWarning?.(message);
  }

  /** Tells the kernel which pipeline an execution belongs to (saves a read). */
  remember(executionId: string, pipelineName: string): void {
    this.#pipelineOf.set(executionId, pipelineName);
  }

  /** The pipeline an execution belongs to; throws `UnknownExecutionError` when the log has no such execution. */
  async pipelineNameOf(executionId: string): Promise<string> {
    const known = this.#pipelineOf.get(executionId);
    if (known !== undefined) return known;
    const name = (await this.#first(executionId))?.pipelineName;
    if (typeof name !== 'string') throw new UnknownExecutionError(executionId);
    this.#pipelineOf.set(executionId, name);
    return name;
  }

  /** The definition version the execution runs (recorded when it started), so a changed file never changes a running execution. */
  async definition(executionId: string, pipelineName: string): Promise<Pipeline> {
    const found = await this.#definitionOrNone(executionId, pipelineName);
    if (found === undefined) throw new UnknownPipelineError(pipelineName);
    return found;
  }

  /** The execution's current view (folded from its events). */
  async view(executionId: string): Promise<ExecutionView> {
    const pipelineName = await this.pipelineNameOf(executionId);
    return this.serialize(executionId, () => this.#refresh(executionId, pipelineName));
  }

  /**
   * Decide, append with `expectedVersion`, and decide again on the log as it is after a
   * concurrent append — under the execution's in-process lock. The first decision is made on
   * the cached view (no read): an append that succeeds proves the view was current. A decision
   * that appends nothing, or throws, is made again on a freshly read view before it stands.
   * A decider's throw on the fresh view propagates with nothing appended.
   */
  async decide(
    executionId: string,
    pipelineName: string,
    decide: (view: ExecutionView) => Decision,
  ): Promise<Decision> {
    return this.serialize(executionId, async () => {
      let view = this.#views.get(executionId);
      let fresh = view === undefined;
      view ??= await this.#refresh(executionId, pipelineName);
      let redecided = false;
      for (let round = 0; ; round++) {
        const decision = fresh ? decide(view) : this.#tryDecide(decide, view);
        if (decision === undefined || (decision.events.length === 0 && !fresh)) {
          view = await this.#refresh(executionId, pipelineName);
          fresh = true;
          continue;
        }
        if (decision.events.length === 0) return decision;
        try {
          const result = await this.store.append(executionStream(executionId), decision.events, {
            expectedVersion: view.lastSeq,
            pipeline: pipelineName,
          });
          if (result.appended.length > 0) this.#ports.onEvents?.(result.appended);
          // Every event was already stored: another process may have made this very decision
          // first (a redelivered task) — its commands are that process's. Decide once more on
          // the log that now holds them; a decision that only repeats facts stands.
          if (result.appended.length === 0 && result.duplicates.length > 0 && !redecided) {
            redecided = true;
            view = await this.#refresh(executionId, pipelineName);
            fresh = true;
            continue;
          }
          this.#absorb(executionId, view, result.appended);
          return decision;
        } catch (e) {
          if (!(e instanceof ConcurrencyConflictError) || !(await backOffAfterConflict(round))) throw e;
          view = await this.#refresh(executionId, pipelineName);
          fresh = true;
        }
      }
    });
  }

  /** Answers a waiting task when this process holds its token; `undefined` when there is nothing to send. */
  async reply(task: TaskRef, reply: TaskReply | undefined): Promise<TaskSendResult | undefined> {
    const orchestrator = this.#ports.orchestrator;
    if (reply === undefined || orchestrator === undefined) return undefined;
    const key = taskKey(task);
    const token = await this.tokens.get(key);
    if (token === undefined) return undefined;
    const sent =
      reply.kind === 'success'
        ? await orchestrator.sendTaskSuccess(token, reply.output)
        : await orchestrator.sendTaskFailure(token, reply.error, reply.cause);
    if ((await this.tokens.get(key)) === token) await this.tokens.delete(key);
    if (sent === 'closed') this.warn(`the ${task.kind} task of ${task.executionId} had already closed`);
    return sent;
  }

  /** Runs `work` after every earlier work of the same key (an in-process lock). */
  serialize<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.#locks.run(key, work);
  }

  /** The decision on a cached view, or `undefined` when the decider refused (decided again on a fresh view). */
  #tryDecide(decide: (view: ExecutionView) => Decision, view: ExecutionView): Decision | undefined {
    try {
      return decide(view);
    } catch {
      return undefined;
    }
  }

  /**
   * Folds what this kernel just appended into its cached view (no read back). Anything
   * unexpected (a gap, a record the fold refuses) drops the cached view instead: the next
   * refresh reads the stream again, and the append that succeeded stands.
   */
  #absorb(executionId: string, view: ExecutionView, appended: readonly EventRecord[]): void {
    if (appended.length === 0) return;
    if (appended[0]?.seq !== view.lastSeq + 1) {
      this.#views.delete(executionId);
      return;
    }
    try {
      const events = appended.map((r) => parseStoredEvent(r));
      this.#views.set(executionId, foldExecutionFrom(view, events));
    } catch {
      this.#views.delete(executionId);
    }
  }

  /** The view, brought up to date with the events appended since it was last read. */
  async #refresh(executionId: string, pipelineName: string): Promise<ExecutionView> {
    let view = this.#views.get(executionId);
    if (view === undefined) view = foldExecution([], await this.#definitionOrNone(executionId, pipelineName));
    const records = await this.store.read(executionStream(executionId), { fromSeq: view.lastSeq + 1 });
    if (records.length > 0)
      view = foldExecutionFrom(
        view,
        records.map((r) => parseStoredEvent(r)),
      );
    this.#views.set(executionId, view);
    return view;
  }

  async #definitionOrNone(executionId: string, pipelineName: string): Promise<Pipeline | undefined> {
    let version = this.#versionOf.get(executionId);
    if (version === undefined) {
      const recorded = (await this.#first(executionId))?.pipelineVersion;
      if (typeof recorded === 'number') {
        version = recorded;
        this.#versionOf.set(executionId, version);
      }
    }
    return this.#ports.pipelines.get(pipelineName, version);
  }

  async #first(
    executionId: string,
  ): Promise<{ pipelineName?: unknown; pipelineVersion?: unknown } | undefined> {
    const [first] = await this.store.read(executionStream(executionId), { limit: 1 });
    return first?.data as { pipelineName?: unknown; pipelineVersion?: unknown } | undefined;
  }
}
