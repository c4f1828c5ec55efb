/** Real local runtimes (SQLite event log, the states runtime) for integration tests. */
import { join } from 'node:path';
import type { Pipeline } from '@pipewright/core';
import { type LocalRuntime, type LocalRuntimeOptions, openLocalRuntime } from '@pipewright/local';
import type { Cleanups } from './cleanups.ts';
import { tempDir } from './temp-dirs.ts';

/** Options of {@link openRuntimeIn}: everything but the state directory. */
export type TestRuntimeOptions = Omit<LocalRuntimeOptions, 'stateDir'>;

/**
 * Opens a local runtime whose state directory is `<dir>/.pipewright`, closed when `cleanups` run.
 *
 * @example
 * ```ts
 * const runtime = await openRuntimeIn(cleanups, dir, { providers: [new FakeProvider()] });
 * ```
 */
export async function openRuntimeIn(
  cleanups: Cleanups,
  dir: string,
  options: TestRuntimeOptions,
): Promise<LocalRuntime> {
  const runtime = await openLocalRuntime({ stateDir: join(dir, '.pipewright'), ...options });
  cleanups.add(() => runtime.close());
  return runtime;
}

/** What {@link openRuntimeWith} opened. */
export interface OpenedRuntime {
  runtime: LocalRuntime;
  /** The temp dir: the project directory, holding the state directory `.pipewright`. */
  dir: string;
  /** The pipeline as registered (with its version). */
  pipeline: Pipeline;
}

/**
 * A runtime in a fresh temp dir (`<prefix>XXXXXX`) with `pipeline` added, the dir as its project
 * directory; closed and removed when `cleanups` run.
 *
 * @example
 * ```ts
 * const { runtime } = await openRuntimeWith(cleanups, 'pw-engine-', pipeline, { providers });
 * const { executionId } = await runtime.engine.start({ pipeline: pipeline.name });
 * ```
 */
export async function openRuntimeWith(
  cleanups: Cleanups,
  prefix: string,
  pipeline: Pipeline,
  options: TestRuntimeOptions,
): Promise<OpenedRuntime> {
  const dir = await tempDir(cleanups, prefix);
  const runtime = await openRuntimeIn(cleanups, dir, options);
  return { runtime, dir, pipeline: await runtime.addPipeline(pipeline, dir) };
}
