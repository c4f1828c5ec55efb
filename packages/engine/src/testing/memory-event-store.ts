/**
 * An event store in memory, for unit tests of the engine's use cases: the port's semantics
 * (sequence numbers, `expectedVersion`, duplicate ids skipped, listing executions) without a
 * database, plus a hook to make a test's race happen exactly where it wants it.
 *
 * @example
 * ```ts
 * const store = new MemoryEventStore();
 * store.beforeAppend = async (stream) => { await store.append(stream, [other], { expectedVersion: 'any' }); };
 * ```
 */
import {
  type AppendOptions,
  type AppendResult,
  ConcurrencyConflictError,
  type EventRecord,
  type EventStore,
  type ExecutionPage,
  type ListExecutionsOptions,
  type NewEventRecord,
} from '@pipewright/core';

/** The in-memory event store. */
export class MemoryEventStore implements EventStore {
  readonly #streams = new Map<string, EventRecord[]>();
  readonly #pipelineOf = new Map<string, string>();
  /** Appends made (calls, including duplicates and conflicts), for assertions. */
  appendCalls = 0;
  /**
   * Called before each append is checked, once per call; clear it inside to act once. A test
   * appends here to simulate another process winning the race, or throws to simulate an outage.
   */
  beforeAppend: ((stream: string, events: readonly NewEventRecord[]) => void | Promise<void>) | undefined;

  async append(
    stream: string,
    events: readonly NewEventRecord[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    this.appendCalls += 1;
    await this.beforeAppend?.(stream, events);
    const records = this.#streams.get(stream) ?? [];
    const version = records.length;
    const known = new Set(records.map((r) => r.id));
    const duplicates = events.filter((e) => known.has(e.id)).map((e) => e.id);
    if (duplicates.length === events.length && events.length > 0)
      return { version, appended: [], duplicates };
    if (options.expectedVersion !== 'any' && options.expectedVersion !== version) {
      throw new ConcurrencyConflictError(stream, options.expectedVersion, version);
    }
    const appended = events
      .filter((e) => !known.has(e.id))
      .map((e, i): EventRecord => ({ ...structuredClone(e), stream, seq: version + i + 1 }));
    records.push(...appended);
    this.#streams.set(stream, records);
    if (options.pipeline !== undefined && !this.#pipelineOf.has(stream))
      this.#pipelineOf.set(stream, options.pipeline);
    return { version: records.length, appended: structuredClone(appended), duplicates };
  }

  async read(stream: string, options: { fromSeq?: number; limit?: number } = {}): Promise<EventRecord[]> {
    const from = Math.max(1, options.fromSeq ?? 1);
    const all = this.#streams.get(stream) ?? [];
    return structuredClone(
      all.slice(from - 1, options.limit === undefined ? undefined : from - 1 + options.limit),
    );
  }

  async version(stream: string): Promise<number> {
    return this.#streams.get(stream)?.length ?? 0;
  }

  async listExecutions(pipeline: string, options: ListExecutionsOptions = {}): Promise<ExecutionPage> {
    const all = [...this.#pipelineOf]
      .filter(([, p]) => p === pipeline)
      .map(([stream]) => ({
        executionId: stream.slice('execution-'.length),
        stream,
        pipeline,
        startedAt: this.#streams.get(stream)?.[0]?.at ?? '',
      }))
      .sort((a, b) =>
        a.startedAt === b.startedAt
          ? b.executionId.localeCompare(a.executionId)
          : a.startedAt < b.startedAt
            ? 1
            : -1,
      );
    const start = options.cursor === undefined ? 0 : Number(options.cursor);
    const limit = Math.min(options.limit ?? 50, 1_000);
    const executions = all.slice(start, start + limit);
    return start + limit < all.length ? { executions, nextCursor: String(start + limit) } : { executions };
  }

  async close(): Promise<void> {}
}
