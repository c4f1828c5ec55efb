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
  type Pipeline,
  pipelineStream,
  pipelineVersionCreated,
} from '@pipewright/core';
import { backOffAfterConflict } from './conflict-backoff.ts';

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

/** Versions read so far, per store and pipeline: versions never change once written, so only newer records are read. */
const known = new WeakMap<EventStore, Map<string, { all: VersionData[]; streamVersion: number }>>();

async function versions(
  store: EventStore,
  name: string,
): Promise<{ all: VersionData[]; streamVersion: number }> {
  let byName = known.get(store);
  if (byName === undefined) {
    byName = new Map();
    known.set(store, byName);
  }
  const cached = byName.get(name) ?? { all: [], streamVersion: 0 };
  const records = await store.read(pipelineStream(name), { fromSeq: cached.streamVersion + 1 });
  if (records.length === 0) return cached;
  const added = records.filter((r) => r.type === 'PipelineVersionCreated').map((r) => r.data as VersionData);
  const next = { all: [...cached.all, ...added], streamVersion: records.at(-1)?.seq ?? cached.streamVersion };
  byName.set(name, next);
  return next;
}

/**
 * Records the definition as the pipeline's latest version unless it already is; returns the
 * definition with its `version` set.
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
    const { all, streamVersion } = await versions(store, pipeline.name);
    const latest = all.at(-1);
    if (latest?.sha256 === sha256) {
      return { pipeline: { ...pipeline, version: latest.version }, version: latest.version, created: false };
    }
    const version = (latest?.version ?? 0) + 1;
    const definition = { ...pipeline, version };
    try {
      await store.append(
        pipelineStream(pipeline.name),
        [pipelineVersionCreated({ pipelineName: pipeline.name, at, version, sha256, definition })],
        { expectedVersion: streamVersion },
      );
      return { pipeline: definition, version, created: true };
    } catch (e) {
      if (e instanceof ConcurrencyConflictError && (await backOffAfterConflict(round))) continue;
      throw e;
    }
  }
}

/**
 * The definition of one version of a pipeline (the latest when `version` is omitted), or
 * `undefined` when the stream has none.
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
  const { all } = await versions(store, name);
  const found = version === undefined ? all.at(-1) : all.find((v) => v.version === version);
  return found?.definition;
}
