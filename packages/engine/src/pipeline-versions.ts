/**
 * Pipeline versions in the pipeline's own stream: a definition gets a new version
 * (`PipelineVersionCreated`, CodePipeline's structure version) when its content changes, and
 * every execution records the version it ran, so its view can always be folded against the
 * definition it ran — even after the file changed.
 *
 * @example
 * ```ts
 * const { version } = await recordPipelineVersion(store, pipeline, new Date().toISOString());
 * const definition = await pipelineDefinition(store, 'web-app', version);
 * ```
 */
import { createHash } from 'node:crypto';
import {
  ConcurrencyConflictError,
  type EventStore,
  eventId,
  type Pipeline,
  pipelineStream,
  pipelineVersionCreated,
} from '@pipewright/core';
import { BoundedMap } from './bounded-map.ts';
import { backOffAfterConflict } from './conflict-backoff.ts';
import { appendToPipelineStream, readPipelineStream, SNAPSHOT_FORMAT } from './pipeline-stream.ts';

/** JSON with object keys sorted, so equal definitions give equal text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/**
 * The SHA-256 of a definition's content (its `version` field left out).
 *
 * @example
 * ```ts
 * definitionSha256(pipeline).length; // 64
 * ```
 */
export function definitionSha256(pipeline: Pipeline): string {
  const { version: _version, ...content } = pipeline;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

interface VersionData {
  version: number;
  sha256: string;
  definition: Pipeline;
}

/** Definitions read so far, per store, by `<pipeline>:<version>`: a version never changes once written. */
const known = new WeakMap<EventStore, BoundedMap<string, Pipeline>>();

function cacheOf(store: EventStore): BoundedMap<string, Pipeline> {
  let cache = known.get(store);
  if (cache === undefined) {
    cache = new BoundedMap(DEFINITIONS_KEPT);
    known.set(store, cache);
  }
  return cache;
}

/** Definitions kept per store (every pipeline's current one and a few older ones, in a large project). */
const DEFINITIONS_KEPT = 1_000;

/**
 * Records the definition as the pipeline's latest version unless it already is; returns the
 * definition with its `version` set. Reads the stream's head and its snapshot (which knows the
 * latest version's hash): a cold start costs the same whatever the history.
 *
 * @example
 * ```ts
 * const { pipeline: versioned, created } = await recordPipelineVersion(store, pipeline, at);
 * ```
 */
export async function recordPipelineVersion(
  store: EventStore,
  pipeline: Pipeline,
  at: string,
): Promise<{ pipeline: Pipeline; version: number; created: boolean }> {
  const sha256 = definitionSha256(pipeline);
  for (let round = 0; ; round++) {
    const read = await readPipelineStream(store, pipeline);
    const latest = read.latest;
    if (latest?.sha256 === sha256) {
      return { pipeline: { ...pipeline, version: latest.version }, version: latest.version, created: false };
    }
    const version = (latest?.version ?? 0) + 1;
    const definition = { ...pipeline, version };
    try {
      await appendToPipelineStream(store, pipeline, read, [
        pipelineVersionCreated({ pipelineName: pipeline.name, at, version, sha256, definition }),
      ]);
      cacheOf(store).set(`${pipeline.name}:${version}`, definition);
      return { pipeline: definition, version, created: true };
    } catch (e) {
      if (e instanceof ConcurrencyConflictError && (await backOffAfterConflict(round))) continue;
      throw e;
    }
  }
}

/** The latest version number, from the head's snapshot and the events after it (all of them without a snapshot). */
async function latestVersion(store: EventStore, name: string): Promise<number | undefined> {
  const stream = pipelineStream(name);
  const head = await store.head(stream);
  const data = head.snapshot?.data as { format?: unknown; latest?: { version: number } } | undefined;
  const usable = data?.format === SNAPSHOT_FORMAT;
  let latest = usable ? data?.latest?.version : undefined;
  const after = usable ? (head.snapshot?.version ?? 0) : 0;
  if (after >= head.version) return latest;
  for (const r of await store.read(stream, { fromSeq: after + 1 })) {
    if (r.type === 'PipelineVersionCreated') latest = (r.data as VersionData).version;
  }
  return latest;
}

/**
 * The definition of one version of a pipeline (the latest when `version` is omitted), or
 * `undefined` when the stream has none. One lookup of the version's event by its id.
 *
 * @example
 * ```ts
 * (await pipelineDefinition(store, 'web-app', 2))?.stages.length;
 * ```
 */
export async function pipelineDefinition(
  store: EventStore,
  name: string,
  version?: number,
): Promise<Pipeline | undefined> {
  const wanted = version ?? (await latestVersion(store, name));
  if (wanted === undefined) return undefined;
  const cache = cacheOf(store);
  const cached = cache.get(`${name}:${wanted}`);
  if (cached !== undefined) return cached;
  const found = await store.find(pipelineStream(name), eventId([name, wanted, 'PipelineVersionCreated']));
  const definition = (found?.data as VersionData | undefined)?.definition;
  if (definition !== undefined) cache.set(`${name}:${wanted}`, definition);
  return definition;
}
