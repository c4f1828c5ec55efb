/**
 * An event store in memory, for unit tests of the engine's use cases: the port's semantics as
 * the SQLite and DynamoDB adapters have them (sequence numbers, `expectedVersion`, duplicate ids
 * skipped — within a batch too —, a pipeline's `execution-` streams listed newest first with
 * keyset cursors, a snapshot kept on a stream's head) without a database, plus a hook to make a test's race happen exactly where it
 * wants it. It passes `test/contracts/event-store.contract.ts`.
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
  type ExecutionListEntry,
  type ExecutionPage,
  InvalidCursorError,
  type ListExecutionsOptions,
  type NewEventRecord,
  type StreamHead,
  type StreamSnapshot,
} from '@pipewright/core';

const MAX_PAGE = 1000;

/** The in-memory event store. */
export class MemoryEventStore implements EventStore {
  readonly #streams = new Map<string, EventRecord[]>();
  /** Execution streams appended with a pipeline, as they were when created (the listing's rows). */
  readonly #executions = new Map<string, ExecutionListEntry>();
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
    const duplicates: string[] = [];
    const fresh: NewEventRecord[] = [];
    for (const event of events) {
      if (known.has(event.id)) duplicates.push(event.id);
      else fresh.push(event);
      known.add(event.id);
    }
    if (fresh.length === 0) return { version, appended: [], duplicates };
    if (options.expectedVersion !== 'any' && options.expectedVersion !== version) {
      throw new ConcurrencyConflictError(stream, options.expectedVersion, version);
    }
    const appended = fresh.map(
      (e, i): EventRecord => ({ ...structuredClone(e), stream, seq: version + i + 1 }),
    );
    if (version === 0) this.#created(stream, options.pipeline, appended[0]?.at ?? '');
    records.push(...appended);
    this.#streams.set(stream, records);
    if (options.snapshot !== undefined && appended.length === events.length) {
      this.#snapshots.set(stream, { version: records.length, data: structuredClone(options.snapshot) });
    }
    return { version: records.length, appended: structuredClone(appended), duplicates };
  }

  /** Notes a new stream: an `execution-` stream with a pipeline is listed from now on. */
  #created(stream: string, pipeline: string | undefined, startedAt: string): void {
    if (pipeline === undefined || !stream.startsWith('execution-')) return;
    this.#executions.set(stream, {
      executionId: stream.slice('execution-'.length),
      stream,
      pipeline,
      startedAt,
    });
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
    const limit = Math.min(Math.max(1, options.limit ?? 50), MAX_PAGE);
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    const rows = [...this.#executions.values()]
      .filter((e) => e.pipeline === pipeline && (after === undefined || byStart(e, after) < 0))
      .sort((a, b) => byStart(b, a));
    const executions = structuredClone(rows.slice(0, limit));
    const last = executions.at(-1);
    return rows.length > limit && last ? { executions, nextCursor: encodeCursor(last) } : { executions };
  }

  async close(): Promise<void> {}
}

type ListPosition = Pick<ExecutionListEntry, 'startedAt' | 'stream'>;

/** Orders by start time, then stream (code units), as the SQLite index does: < 0 when `a` comes first. */
function byStart(a: ListPosition, b: ListPosition): number {
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? -1 : 1;
  return a.stream === b.stream ? 0 : a.stream < b.stream ? -1 : 1;
}

/** The cursor after `last`: its start time and stream, as the SQLite and DynamoDB stores write it. */
function encodeCursor(last: ListPosition): string {
  return Buffer.from(JSON.stringify([last.startedAt, last.stream])).toString('base64url');
}

function decodeCursor(cursor: string): ListPosition {
  try {
    const [startedAt, stream] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof startedAt === 'string' && typeof stream === 'string') {
      return { startedAt, stream };
    }
  } catch {
    // not base64url JSON: refused below
  }
  throw new InvalidCursorError(
    `invalid cursor "${cursor}": pass the nextCursor of the previous page unchanged`,
  );
}
