/**
 * The pipelines a deployment serves. `infra/` loads and validates the files in `pipelines/` at
 * deploy time (an invalid file fails `sst deploy` with its messages) and ships the normalized
 * definitions to every function as one JSON file ({@link DEPLOYED_PIPELINES_FILE}): a cold start
 * reads JSON, with no YAML parser or validator in the bundle. Each is recorded as a version in
 * its pipeline stream (idempotent: an unchanged definition records nothing); executions fold
 * against the version they started with, read back from the log.
 *
 * @example
 * ```ts
 * const deployed = loadDeployedPipelines(env.pipelinesDir);
 * const catalog = await recordDeployedPipelines(store, deployed, new Date().toISOString());
 * await catalog.source.get('web-app');
 * ```
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore, Pipeline } from '@pipewright/core';
import {
  type PipelineSource,
  pipelineDefinition,
  recordPipelineVersion,
  UnknownPipelineError,
} from '@pipewright/engine';
import { AwsAdapterError } from '../errors.ts';

/** The file, in the pipelines directory, holding the normalized definitions infra validated. @example `join(env.pipelinesDir, DEPLOYED_PIPELINES_FILE)` */
export const DEPLOYED_PIPELINES_FILE = 'pipelines.json';

/**
 * Reads the deployed definitions. Throws PW6503 when the file is missing or not what infra writes.
 *
 * @example
 * ```ts
 * loadDeployedPipelines('/var/task/pipelines').map((p) => p.name); // ['web-app']
 * ```
 */
export function loadDeployedPipelines(dir: string): Pipeline[] {
  const file = join(dir, DEPLOYED_PIPELINES_FILE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new AwsAdapterError(
      'PW6503',
      `cannot read the deployed pipelines (${file}): ${(e as Error).message}; put pipeline files in pipelines/ and run sst deploy`,
      { cause: e },
    );
  }
  const ok =
    Array.isArray(parsed) &&
    parsed.every(
      (p: unknown) =>
        p !== null &&
        typeof p === 'object' &&
        typeof (p as Pipeline).name === 'string' &&
        Array.isArray((p as Pipeline).stages),
    );
  if (!ok)
    throw new AwsAdapterError(
      'PW6503',
      `${file} is not a JSON array of pipeline definitions as infra writes it; run sst deploy again`,
    );
  return parsed as Pipeline[];
}

/** The deployment's pipelines, as the engine and the web app ask for them. @example `catalog.get('web-app')?.version // 1` */
export interface DeployedPipelines {
  /** For the engine: a version an execution ran (from the log), or the deployed one. */
  source: PipelineSource;
  names(): string[];
  /** The deployed (latest) definition, with its version. */
  get(name: string): Pipeline | undefined;
}

/**
 * Records each deployed pipeline as its stream's latest version (unless it already is).
 *
 * @example
 * ```ts
 * const catalog = await recordDeployedPipelines(store, [pipeline], at);
 * catalog.get('web-app')?.version; // 1
 * ```
 */
export async function recordDeployedPipelines(
  store: EventStore,
  pipelines: readonly Pipeline[],
  at: string,
): Promise<DeployedPipelines> {
  const latest = new Map<string, Pipeline>();
  for (const p of pipelines) latest.set(p.name, (await recordPipelineVersion(store, p, at)).pipeline);
  const versions = new Map<string, Pipeline>();
  const get = (name: string) => latest.get(name);
  return {
    names: () => [...latest.keys()],
    get,
    source: {
      async get(name: string, version?: number): Promise<Pipeline> {
        const current = get(name);
        if (current !== undefined && (version === undefined || version === current.version)) return current;
        const key = `${name}@${version ?? 'latest'}`;
        const cached = versions.get(key);
        if (cached !== undefined) return cached;
        const recorded = await pipelineDefinition(store, name, version);
        if (recorded === undefined) throw new UnknownPipelineError(name);
        versions.set(key, recorded);
        return recorded;
      },
    },
  };
}

/**
 * Definitions by version, read from the pipeline streams (the projector folds executions of
 * any version, including ones no longer deployed).
 *
 * @example
 * ```ts
 * const definition = recordedDefinitions(store);
 * await definition('web-app', 3);
 * ```
 */
export function recordedDefinitions(
  store: EventStore,
): (pipeline: string, version?: number) => Promise<Pipeline | undefined> {
  const cache = new Map<string, Pipeline>();
  return async (pipeline, version) => {
    const key = `${pipeline}@${version ?? 'latest'}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const found = await pipelineDefinition(store, pipeline, version);
    if (found !== undefined && version !== undefined) cache.set(key, found);
    return found;
  };
}
