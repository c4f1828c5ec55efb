/**
 * The pipelines a local runtime runs: the latest version of each (with the directory its
 * actions run in) and, read back from the pipeline stream on first use, earlier versions that
 * running executions still run.
 */
import { resolve } from 'node:path';
import type { Pipeline } from '@pipewright/core';
import { pipelineDefinition, UnknownPipelineError } from '@pipewright/engine';
import type { SqliteEventStore } from '../event-store/sqlite-event-store.ts';

/**
 * The registered pipelines of a local runtime.
 *
 * @example
 * ```ts
 * const pipelines = new LocalPipelines(store);
 * pipelines.add(versioned, 'examples/web-app');
 * await pipelines.definition('web-app', 3); // version 3, read back from the log
 * ```
 */
export class LocalPipelines {
  readonly #store: SqliteEventStore;
  readonly #latest = new Map<string, { pipeline: Pipeline; projectDir: string }>();
  /** Earlier versions that running executions still run, read back from the pipeline stream. */
  readonly #versions = new Map<string, Pipeline>();

  constructor(store: SqliteEventStore) {
    this.#store = store;
  }

  /** Registers (or replaces) the latest version of a pipeline. */
  add(pipeline: Pipeline, projectDir: string): void {
    this.#latest.set(pipeline.name, { pipeline, projectDir: resolve(projectDir) });
  }

  /** The names of the registered pipelines. */
  names(): string[] {
    return [...this.#latest.keys()];
  }

  /** The directory a pipeline's actions run in; throws {@link UnknownPipelineError}. */
  projectDir(name: string): string {
    return this.#get(name).projectDir;
  }

  /** The latest version, or the given earlier one; throws {@link UnknownPipelineError}. */
  async definition(name: string, version?: number): Promise<Pipeline> {
    const latest = this.#get(name).pipeline;
    if (version === undefined || version === latest.version) return latest;
    const key = `${name}@${version}`;
    let older = this.#versions.get(key);
    if (older === undefined) {
      older = await pipelineDefinition(this.#store, name, version);
      if (older === undefined) throw new UnknownPipelineError(`${name} version ${version}`);
      this.#versions.set(key, older);
    }
    return older;
  }

  #get(name: string) {
    const found = this.#latest.get(name);
    if (found === undefined) throw new UnknownPipelineError(name);
    return found;
  }
}
