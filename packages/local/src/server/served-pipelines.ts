/**
 * Which pipeline each file of a served directory holds, and what a new look at the directory
 * changes: pipelines added, changed and removed, and the problems to report. A file that does
 * not load keeps its last good pipelines; a pipeline whose file is gone stops being served
 * (its running executions finish); a second file naming a pipeline already served is refused.
 *
 * @example
 * ```ts
 * const served = new ServedPipelines();
 * const change = served.plan([{ file: '/p/web.yaml', pipelines: [pipeline] }]);
 * served.commit(change);
 * ```
 */
import { existsSync } from 'node:fs';
import type { Pipeline } from '@pipewright/core';

/** One pipeline file after reading it: its valid pipelines, or what is wrong with it. */
export type LoadedFile =
  | { readonly file: string; readonly pipelines: readonly Pipeline[] }
  | { readonly file: string; readonly problems: readonly string[] };

/** A served pipeline and the file it comes from. */
export interface ServedPipeline {
  readonly pipeline: Pipeline;
  /** The absolute path of its file. */
  readonly file: string;
}

/** What a look at the directory changes; apply it with {@link ServedPipelines.commit}. */
export interface DirectoryChange {
  /** Every pipeline served from now on, by name (replace definitions with their versioned ones). */
  readonly next: Map<string, ServedPipeline>;
  /** Pipelines whose file now holds a valid definition (new or maybe changed). */
  readonly loaded: readonly ServedPipeline[];
  /** Pipelines no longer served: their file is gone or no longer names them. */
  readonly removed: readonly ServedPipeline[];
  /** What to tell the user, one line each (`file: what is wrong; what happens`). */
  readonly problems: readonly string[];
}

/** The pipelines a server serves, by name. */
export class ServedPipelines {
  #byName = new Map<string, ServedPipeline>();

  /** The pipeline served under `name`, unless its file has been deleted since. */
  get(name: string): ServedPipeline | undefined {
    const served = this.#byName.get(name);
    return served !== undefined && existsSync(served.file) ? served : undefined;
  }

  /** Every served pipeline whose file is still there, in name order. */
  all(): ServedPipeline[] {
    return [...this.#byName.values()]
      .filter((s) => existsSync(s.file))
      .sort((a, b) => a.pipeline.name.localeCompare(b.pipeline.name));
  }

  /** The pipeline served under `name` until now, whether or not its file is still there. */
  previous(name: string): ServedPipeline | undefined {
    return this.#byName.get(name);
  }

  /**
   * What the directory's files, read now, change. `files` are all of the directory's pipeline
   * files in a stable order: when two new files name one pipeline, the first keeps it.
   */
  plan(files: readonly LoadedFile[]): DirectoryChange {
    const present = new Set(files.map((f) => f.file));
    const next = new Map<string, ServedPipeline>();
    const problems: string[] = [];
    // Files that do not load keep their last good pipelines, so their names stay taken.
    for (const loaded of files) {
      if (!('problems' in loaded)) continue;
      let kept = false;
      for (const served of this.#byName.values()) {
        if (served.file !== loaded.file) continue;
        next.set(served.pipeline.name, served);
        kept = true;
      }
      problems.push(
        ...loaded.problems,
        kept
          ? `${loaded.file} is invalid: the last good version keeps running`
          : `${loaded.file} is invalid and not served; fix it and it is served at once`,
      );
    }
    const valid = files.filter((f): f is Extract<LoadedFile, { pipelines: unknown }> => 'pipelines' in f);
    const holder = (name: string): string | undefined => {
      const before = this.#byName.get(name);
      if (before === undefined || !present.has(before.file)) return undefined;
      const still = valid.find((f) => f.file === before.file);
      return still === undefined || still.pipelines.some((p) => p.name === name) ? before.file : undefined;
    };
    const loaded: ServedPipeline[] = [];
    for (const { file, pipelines } of valid) {
      for (const pipeline of pipelines) {
        const owner = next.get(pipeline.name)?.file ?? holder(pipeline.name);
        if (owner !== undefined && owner !== file) {
          problems.push(
            `${file}: pipeline "${pipeline.name}" is already served from ${owner}; this file is not served — give one of them another name`,
          );
          continue;
        }
        const served = { pipeline, file };
        next.set(pipeline.name, served);
        loaded.push(served);
      }
    }
    const removed = [...this.#byName.values()].filter((s) => next.get(s.pipeline.name) === undefined);
    return { next, loaded, removed, problems };
  }

  /** Serves what `change` planned. */
  commit(change: DirectoryChange): void {
    this.#byName = new Map(change.next);
  }
}
