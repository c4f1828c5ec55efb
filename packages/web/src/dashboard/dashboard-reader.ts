/**
 * What the dashboard reads, kept folded between requests: execution views (the fold of each
 * execution's stream against the definition version it ran, exactly as `readExecution`
 * folds it), each pipeline's own stream (its definition versions, transitions and every
 * trigger received) and each pipeline's list of executions.
 *
 * Nothing is ever read twice: a cached view is brought up to date by reading its stream from
 * the event after the last one folded (`read(stream, { fromSeq })`). Where the store's
 * appends are heard ({@link DashboardReader.noteAppended}, fed from `WebDeps.changes`), a
 * cached view whose stream nothing was appended to is not even read again (it is checked
 * again after {@link REVALIDATE_MS}, in case another process appended); without the feed
 * every use reads from the last event on.
 *
 * @example
 * ```ts
 * const reader = new DashboardReader({ store, pipelines }, { heard: true });
 * changes.subscribe((records) => reader.noteAppended(records));
 * const view = await reader.view('7f0c');
 * ```
 */
import {
  type EventRecord,
  type EventStore,
  type ExecutionListEntry,
  type ExecutionView,
  executionStream,
  foldExecution,
  foldExecutionFrom,
  foldPipelineStream,
  isKnownEvent,
  type Pipeline,
  parseStoredEvent,
  pipelineStream,
  type StoredEvent,
  type TransitionState,
  type TriggerView,
  triggerStream,
  triggerView,
} from '@pipewright/core';
import { UnknownExecutionError } from '@pipewright/engine';
import type { WebPipelines } from '../deps.ts';

/** Execution views kept at most (least recently used ones are dropped). */
export const MAX_CACHED_VIEWS = 5_000;
/** A view that was not read for this long is read again even when no append was heard (ms). */
export const REVALIDATE_MS = 5_000;
/** Executions listed per pipeline at most (the history pages page through them). */
export const MAX_LISTED = 10_000;

const LIST_PAGE = 1_000;

/** A pipeline's own stream, folded for the dashboard. @example `digest.triggers.at(-1)?.reason` */
export interface PipelineDigest {
  name: string;
  /** The last `seq` read. */
  lastSeq: number;
  /** The last `seq` read of the pipeline's trigger stream. */
  triggersSeq: number;
  /** Every definition version recorded, by version. */
  versions: Map<number, Pipeline>;
  /** Every trigger received, oldest first. */
  triggers: TriggerView[];
  /** Inbound transition of each stage that ever changed. */
  transitions: Record<string, TransitionState>;
}

interface DigestState extends PipelineDigest {
  transitionEvents: StoredEvent[];
}

interface CachedView {
  view: ExecutionView;
  pipeline: string;
  readAt: number;
}

interface CachedList {
  entries: ExecutionListEntry[];
  readAt: number;
  more: boolean;
}

/** Where the reader reads. @example `{ store, pipelines }` */
export interface ReaderDeps {
  store: EventStore;
  pipelines: WebPipelines;
}

/**
 * The cached, incremental reader.
 *
 * @example
 * ```ts
 * const reader = new DashboardReader(deps, { heard: false });
 * const { entries } = await reader.executions('web-app');
 * ```
 */
export class DashboardReader {
  readonly #deps: ReaderDeps;
  readonly #heard: boolean;
  readonly #now: () => number;
  readonly #views = new Map<string, CachedView>();
  readonly #reading = new Map<string, Promise<ExecutionView>>();
  readonly #digests = new Map<string, DigestState>();
  readonly #digesting = new Map<string, Promise<DigestState>>();
  readonly #lists = new Map<string, CachedList>();
  /** The highest `seq` heard appended, per stream (only streams the reader holds). */
  readonly #heardSeq = new Map<string, number>();
  /** The pipeline of each execution seen, to route appended events to pipelines. */
  readonly #pipelineOf = new Map<string, string>();

  constructor(deps: ReaderDeps, options: { heard: boolean; now?: () => number }) {
    this.#deps = deps;
    this.#heard = options.heard;
    this.#now = options.now ?? Date.now;
  }

  /** True when appends are heard (cached reads are trusted until one is). */
  get heard(): boolean {
    return this.#heard;
  }

  /**
   * Takes note of appended events; returns the pipelines they concern (`*` when an event of
   * an execution the reader has never seen might concern any).
   */
  noteAppended(records: readonly EventRecord[]): Set<string> {
    const pipelines = new Set<string>();
    for (const r of records) {
      const own = /^(pipeline|triggers)-/.exec(r.stream)?.[0];
      if (own !== undefined) {
        const name = r.stream.slice(own.length);
        const digested = pipelineStream(name);
        if (this.#digests.has(digested) || this.#digesting.has(digested)) this.#hear(r);
        pipelines.add(name);
        continue;
      }
      if (!r.stream.startsWith('execution-')) continue;
      const id = r.stream.slice('execution-'.length);
      if (this.#views.has(id) || this.#reading.has(id)) this.#hear(r);
      const data = r.data as { pipelineName?: unknown } | null;
      if (r.seq === 1 && typeof data?.pipelineName === 'string') {
        this.#remember(id, data.pipelineName);
        this.#listed(r, id, data.pipelineName);
      }
      pipelines.add(this.#pipelineOf.get(id) ?? '*');
    }
    return pipelines;
  }

  #hear(record: EventRecord): void {
    this.#heardSeq.set(record.stream, Math.max(this.#heardSeq.get(record.stream) ?? 0, record.seq));
  }

  /** The pipeline an execution belongs to, when the reader has seen it. */
  pipelineOf(executionId: string): string | undefined {
    return this.#pipelineOf.get(executionId);
  }

  #remember(executionId: string, pipeline: string): void {
    if (this.#pipelineOf.size >= MAX_CACHED_VIEWS * 10) this.#pipelineOf.clear();
    this.#pipelineOf.set(executionId, pipeline);
  }

  #fresh(stream: string, lastSeq: number, readAt: number): boolean {
    if (!this.#heard) return false;
    if (this.#now() - readAt > REVALIDATE_MS) return false;
    return (this.#heardSeq.get(stream) ?? 0) <= lastSeq;
  }

  /**
   * The execution's view, folded against the definition version it ran. Throws
   * `UnknownExecutionError` when the log has no such execution.
   */
  view(executionId: string): Promise<ExecutionView> {
    const cached = this.#views.get(executionId);
    if (
      cached !== undefined &&
      this.#fresh(executionStream(executionId), cached.view.lastSeq, cached.readAt)
    ) {
      this.#views.delete(executionId);
      this.#views.set(executionId, cached);
      return Promise.resolve(cached.view);
    }
    const underway = this.#reading.get(executionId);
    if (underway !== undefined) return underway;
    const reading = this.#readView(executionId, cached).finally(() => this.#reading.delete(executionId));
    this.#reading.set(executionId, reading);
    return reading;
  }

  async #readView(executionId: string, cached: CachedView | undefined): Promise<ExecutionView> {
    const readAt = this.#now();
    const stream = executionStream(executionId);
    const records = await this.#deps.store.read(stream, { fromSeq: (cached?.view.lastSeq ?? 0) + 1 });
    let view: ExecutionView;
    let pipeline: string;
    if (cached === undefined) {
      const first = records[0];
      if (first === undefined) throw new UnknownExecutionError(executionId);
      const data = first.data as { pipelineName?: unknown; pipelineVersion?: unknown };
      pipeline = typeof data.pipelineName === 'string' ? data.pipelineName : '';
      const definition =
        pipeline === ''
          ? undefined
          : await this.definition(
              pipeline,
              typeof data.pipelineVersion === 'number' ? data.pipelineVersion : undefined,
            );
      view = foldExecution(
        records.map((r) => parseStoredEvent(r)),
        definition,
      );
    } else {
      pipeline = cached.pipeline;
      view =
        records.length === 0
          ? cached.view
          : foldExecutionFrom(
              cached.view,
              records.map((r) => parseStoredEvent(r)),
            );
    }
    if (pipeline !== '') this.#remember(executionId, pipeline);
    this.#views.delete(executionId);
    this.#views.set(executionId, { view, pipeline, readAt });
    if (this.#views.size > MAX_CACHED_VIEWS) {
      const oldest = this.#views.keys().next().value;
      if (oldest !== undefined) {
        this.#views.delete(oldest);
        this.#heardSeq.delete(executionStream(oldest));
      }
    }
    return view;
  }

  /** The execution's view as last folded, without reading anything; `undefined` when not held. */
  cached(executionId: string): ExecutionView | undefined {
    return this.#views.get(executionId)?.view;
  }

  /** Views of several executions, in the order given; unknown ones are left out. */
  async views(executionIds: readonly string[]): Promise<ExecutionView[]> {
    const views = await Promise.all(
      executionIds.map((id) =>
        this.view(id).catch((e: unknown) => {
          if (e instanceof UnknownExecutionError) return undefined;
          throw e;
        }),
      ),
    );
    return views.filter((v): v is ExecutionView => v !== undefined);
  }

  /**
   * A pipeline's executions, newest first (by start time, then id, as the store lists them):
   * at most `max` (default and at most {@link MAX_LISTED}), and whether there are more.
   */
  async executions(
    pipeline: string,
    max: number = MAX_LISTED,
  ): Promise<{ entries: ExecutionListEntry[]; more: boolean }> {
    const limit = Math.min(max, MAX_LISTED);
    const cached = this.#lists.get(pipeline);
    if (cached !== undefined && this.#heard && this.#now() - cached.readAt <= REVALIDATE_MS) {
      return { entries: cached.entries.slice(0, limit), more: cached.more || cached.entries.length > limit };
    }
    const readAt = this.#now();
    const want = this.#heard ? MAX_LISTED : limit;
    const entries: ExecutionListEntry[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await this.#deps.store.listExecutions(pipeline, {
        limit: Math.min(LIST_PAGE, want + 1 - entries.length),
        ...(cursor === undefined ? {} : { cursor }),
      });
      entries.push(...page.executions);
      if (entries.length > want || page.nextCursor === undefined) break;
      cursor = page.nextCursor;
    }
    const more = entries.length > want;
    if (more) entries.length = want;
    for (const e of entries) this.#remember(e.executionId, pipeline);
    if (this.#heard) this.#lists.set(pipeline, { entries, readAt, more });
    return { entries: entries.slice(0, limit), more: more || entries.length > limit };
  }

  /** A new execution heard: into its pipeline's cached list, in the store's order. */
  #listed(record: EventRecord, executionId: string, pipeline: string): void {
    const list = this.#lists.get(pipeline);
    if (list === undefined || list.entries.some((e) => e.executionId === executionId)) return;
    const entry: ExecutionListEntry = { executionId, stream: record.stream, pipeline, startedAt: record.at };
    const before = (e: ExecutionListEntry) =>
      e.startedAt < entry.startedAt || (e.startedAt === entry.startedAt && e.stream < entry.stream);
    const at = list.entries.findIndex(before);
    if (at === -1) list.entries.push(entry);
    else list.entries.splice(at, 0, entry);
    if (list.entries.length > MAX_LISTED) {
      list.entries.length = MAX_LISTED;
      list.more = true;
    }
  }

  /** A pipeline's own stream, folded (read from the last event on). */
  digest(pipeline: string): Promise<PipelineDigest> {
    const stream = pipelineStream(pipeline);
    const cached = this.#digests.get(stream);
    const readAt = this.#digestReadAt.get(stream) ?? 0;
    if (
      cached !== undefined &&
      this.#fresh(stream, cached.lastSeq, readAt) &&
      this.#fresh(triggerStream(pipeline), cached.triggersSeq, readAt)
    ) {
      return Promise.resolve(cached);
    }
    const underway = this.#digesting.get(stream);
    if (underway !== undefined) return underway;
    const reading = this.#readDigest(pipeline, cached).finally(() => this.#digesting.delete(stream));
    this.#digesting.set(stream, reading);
    return reading;
  }

  readonly #digestReadAt = new Map<string, number>();

  async #readDigest(pipeline: string, cached: DigestState | undefined): Promise<DigestState> {
    const stream = pipelineStream(pipeline);
    const readAt = this.#now();
    const digest: DigestState = cached ?? {
      name: pipeline,
      lastSeq: 0,
      triggersSeq: 0,
      versions: new Map(),
      triggers: [],
      transitions: {},
      transitionEvents: [],
    };
    // Triggers: those of a log written before they had their own stream are in the pipeline's.
    const [records, triggers] = await Promise.all([
      this.#deps.store.read(stream, { fromSeq: digest.lastSeq + 1 }),
      this.#deps.store.read(triggerStream(pipeline), { fromSeq: digest.triggersSeq + 1 }),
    ]);
    let transitionsChanged = false;
    for (const record of records) {
      if (record.seq <= digest.lastSeq) continue;
      digest.lastSeq = record.seq;
      if (record.type === 'PipelineVersionCreated') {
        const data = record.data as { version?: unknown; definition?: unknown };
        if (
          typeof data.version === 'number' &&
          typeof data.definition === 'object' &&
          data.definition !== null
        ) {
          digest.versions.set(data.version, data.definition as Pipeline);
        }
      } else if (record.type === 'TransitionDisabled' || record.type === 'TransitionEnabled') {
        digest.transitionEvents.push(parseStoredEvent(record));
        transitionsChanged = true;
      } else pushTrigger(digest.triggers, record);
    }
    for (const record of triggers) {
      if (record.seq <= digest.triggersSeq) continue;
      digest.triggersSeq = record.seq;
      pushTrigger(digest.triggers, record);
    }
    if (transitionsChanged) {
      const definition =
        this.#deps.pipelines.get(pipeline) ?? [...digest.versions.values()].at(-1) ?? emptyPipeline(pipeline);
      digest.transitions = foldPipelineStream(definition, digest.transitionEvents).transitions;
    }
    this.#digests.set(stream, digest);
    this.#digestReadAt.set(stream, readAt);
    return digest;
  }

  /**
   * A pipeline's definition: the version given (the latest when none), from its stream, or
   * the served one when the stream holds none.
   */
  async definition(pipeline: string, version?: number): Promise<Pipeline | undefined> {
    const served = this.#deps.pipelines.get(pipeline);
    if (served !== undefined && (version === undefined || served.version === version)) return served;
    const digest = await this.digest(pipeline);
    if (version === undefined) return [...digest.versions.values()].at(-1);
    return digest.versions.get(version);
  }
}

/** Adds a `TriggerReceived` record to the digest's triggers (anything else is passed over). */
function pushTrigger(triggers: TriggerView[], record: EventRecord): void {
  const event = record.type === 'TriggerReceived' ? parseStoredEvent(record) : undefined;
  if (event !== undefined && isKnownEvent(event) && event.type === 'TriggerReceived')
    triggers.push(triggerView(event));
}

function emptyPipeline(name: string): Pipeline {
  return { name, executionMode: 'PARALLEL', pipelineType: 'V2', variables: [], triggers: [], stages: [] };
}
