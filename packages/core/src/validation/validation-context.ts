import type { Diagnostic } from '../model/diagnostic.ts';
import type { LoadedPipeline } from '../model/loaded-pipeline.ts';
import type { Path } from '../model/path.ts';
import type { Pipeline } from '../model/pipeline.ts';

/**
 * What every rule file gets: the pipeline, a way to report, and whether a path holds an
 * unresolved CloudFormation intrinsic (pattern and format checks skip those).
 *
 * @example
 * ```ts
 * const ctx = new ValidationContext(loaded);
 * ctx.error('duplicate-stage-name', ['stages', 1, 'name'], 'stage name "Build" is used twice; rename one');
 * ctx.diagnostics[0]?.location; // { file: 'pipeline.yaml', line: 9, col: 11 }
 * ```
 */
export class ValidationContext {
  readonly pipeline: Pipeline;
  readonly diagnostics: Diagnostic[] = [];
  readonly #loaded: LoadedPipeline;

  constructor(loaded: LoadedPipeline) {
    this.#loaded = loaded;
    this.pipeline = loaded.pipeline;
  }

  /** True when `path` or one of its ancestors is an unresolved intrinsic. */
  isUnresolved(path: Path): boolean {
    return this.#loaded.unresolved.some(
      (u) => u.length <= path.length && u.every((part, i) => part === path[i]),
    );
  }

  /** Reports an error at a model path. */
  error(code: string, path: Path, message: string): void {
    this.#report('error', code, path, message);
  }

  /** Reports a warning (does not fail validation). */
  warn(code: string, path: Path, message: string): void {
    this.#report('warning', code, path, message);
  }

  #report(severity: Diagnostic['severity'], code: string, path: Path, message: string): void {
    const d: Diagnostic = { severity, code, path: [...path], message };
    let located: ReturnType<LoadedPipeline['sourceMap']['locate']>;
    try {
      located = this.#loaded.sourceMap.locate(path);
    } catch {
      located = undefined;
    }
    if (located) {
      const file = this.#loaded.file ?? located.file;
      d.location = { ...(file === undefined ? {} : { file }), line: located.line, col: located.col };
    }
    this.diagnostics.push(d);
  }
}
