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
  InvalidCursorError,
  type ListExecutionsOptions,
  type NewEventRecord,
  type StreamHead,
  type StreamSnapshot,
} from '@pipewright/core';

/** The in-memory event store. */
export class MemoryEventStore implements EventStore {
  readonly #streams = new Map<string, EventRecord[]>();
  readonly #pipelineOf = new Map<string, string>();
  readonly #snapshots = new Map<string, StreamSnapshot>();
  /** Items returned to reads (events read, a head, an event found), for assertions on what a use case reads. */
  itemsRead = 0;
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
    const fresh: NewEventRecord[] = [];
    const duplicates: string[] = [];
    for (const e of events) {
      if (known.has(e.id)) duplicates.push(e.id);
      else fresh.push(e);
      known.add(e.id);
    }
    if (fresh.length === 0 && events.length > 0) return { version, appended: [], duplicates };
    if (options.expectedVersion !== 'any' && options.expectedVersion !== version) {
      throw new ConcurrencyConflictError(stream, options.expectedVersion, version);
    }
    const appended = fresh.map(
      (e, i): EventRecord => ({ ...structuredClone(e), stream, seq: version + i + 1 }),
    );
    records.push(...appended);
    this.#streams.set(stream, records);
    if (options.snapshot !== undefined && appended.length === events.length) {
      this.#snapshots.set(stream, { version: records.length, data: structuredClone(options.snapshot) });
    }
    if (options.pipeline !== undefined && stream.startsWith('execution-') && !this.#pipelineOf.has(stream))
      this.#pipelineOf.set(stream, options.pipeline);
    return { version: records.length, appended: structuredClone(appended), duplicates };
  }

  async read(stream: string, options: { fromSeq?: number; limit?: number } = {}): Promise<EventRecord[]> {
    const from = Math.max(1, options.fromSeq ?? 1);
    const all = this.#streams.get(stream) ?? [];
    const records = all.slice(from - 1, options.limit === undefined ? undefined : from - 1 + options.limit);
    this.itemsRead += records.length;
    return structuredClone(records);
  }

  async version(stream: string): Promise<number> {
    return this.#streams.get(stream)?.length ?? 0;
  }

  async head(stream: string): Promise<StreamHead> {
    const snapshot = this.#snapshots.get(stream);
    const version = this.#streams.get(stream)?.length ?? 0;
    if (version > 0) this.itemsRead += 1;
    return snapshot === undefined ? { version } : { version, snapshot: structuredClone(snapshot) };
  }

  async find(stream: string, id: string): Promise<EventRecord | undefined> {
    const found = this.#streams.get(stream)?.find((r) => r.id === id);
    if (found !== undefined) this.itemsRead += 1;
    return found === undefined ? undefined : structuredClone(found);
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
    if (!Number.isSafeInteger(start) || start < 0 || String(start) !== (options.cursor ?? '0')) {
      throw new InvalidCursorError(
        `invalid cursor "${options.cursor}": pass the nextCursor of the previous page unchanged`,
      );
    }
    const limit = Math.min(options.limit ?? 50, 1_000);
    const executions = all.slice(start, start + limit);
    return start + limit < all.length ? { executions, nextCursor: String(start + limit) } : { executions };
  }

  async close(): Promise<void> {}
}
