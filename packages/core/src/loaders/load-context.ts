import type { Diagnostic, SourceLocation } from '../model/diagnostic.ts';
import { formatPath, type Path } from '../model/path.ts';
import type { SourceMap } from '../model/source-map.ts';
import type { ShapeCheckContext } from './check-shape.ts';
import { Intrinsic } from './intrinsic.ts';
import type { PositionIndex } from './parse-document.ts';

/**
 * What a loader needs while turning one document into pipelines: positions, collected
 * diagnostics, and per pipeline a source map and the list of unresolved intrinsics.
 *
 * @example
 * ```ts
 * const ctx = new LoadContext(parsed.positions, 'pipeline.yaml');
 * ctx.locate(['stages', 0]); // { file: 'pipeline.yaml', line: 3, col: 5 }
 * ```
 */
export class LoadContext implements ShapeCheckContext {
  readonly positions: PositionIndex;
  readonly file: string | undefined;
  readonly diagnostics: Diagnostic[] = [];
  aliases?: Readonly<Record<string, string>>;

  constructor(positions: PositionIndex, file: string | undefined) {
    this.positions = positions;
    this.file = file;
  }

  /** Location of a document path (of its key with `key`), falling back to the nearest ancestor, then to 1:1. */
  locate(path: Path, key = false): SourceLocation {
    const file = this.file === undefined ? {} : { file: this.file };
    for (let n = path.length; n >= 0; n--) {
      const prefix = path.slice(0, n);
      const pos =
        (key && n === path.length ? this.positions.key(prefix) : undefined) ?? this.positions.value(prefix);
      if (pos) return { ...file, line: pos.line, col: pos.col };
    }
    return { ...file, line: 1, col: 1 };
  }

  /** Records a diagnostic located at a document path. */
  report(severity: Diagnostic['severity'], code: string, docPath: Path, message: string, key = false): void {
    this.diagnostics.push({ severity, code, path: docPath, message, location: this.locate(docPath, key) });
  }
}

/**
 * Builds one pipeline's {@link SourceMap} and its list of unresolved intrinsics while a
 * loader maps document paths to model paths.
 */
export class PipelineBuilder {
  readonly ctx: LoadContext;
  readonly unresolved: (string | number)[][] = [];
  readonly #entries = new Map<string, Path>();

  constructor(ctx: LoadContext) {
    this.ctx = ctx;
  }

  /** Declares that the model path came from the document path. */
  map(modelPath: Path, docPath: Path): void {
    this.#entries.set(formatPath(modelPath), docPath);
  }

  /** The source map: exact model path, else nearest mapped ancestor. */
  sourceMap(): SourceMap {
    const entries = new Map(this.#entries);
    const ctx = this.ctx;
    return {
      locate(path: Path): SourceLocation | undefined {
        for (let n = path.length; n >= 0; n--) {
          const docPath = entries.get(formatPath(path.slice(0, n)));
          if (docPath) return ctx.locate(docPath);
        }
        return undefined;
      },
    };
  }

  /** Records an unresolved intrinsic used as a value and warns about it. */
  intrinsic(value: Intrinsic, modelPath: Path, docPath: Path, usable: boolean): void {
    this.map(modelPath, docPath);
    const tail = usable
      ? 'Pipewright keeps it unresolved. Replace it with a literal value to use it outside CloudFormation.'
      : 'Pipewright cannot evaluate it here and ignores it. Replace it with a literal value to use it outside CloudFormation.';
    if (usable) this.unresolved.push([...modelPath]);
    this.ctx.report(
      'warning',
      'unresolved-intrinsic',
      docPath,
      `"${value.text}" is a CloudFormation intrinsic function; ${tail}`,
    );
  }

  /** A string value (numbers and booleans become their text); intrinsics become their placeholder text. */
  string(value: unknown, modelPath: Path, docPath: Path): string | undefined {
    if (value instanceof Intrinsic) {
      this.intrinsic(value, modelPath, docPath, true);
      return value.text;
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      this.map(modelPath, docPath);
      return String(value);
    }
    return undefined;
  }

  /** A finite number, or undefined. Numeric strings are accepted. */
  number(value: unknown, modelPath: Path, docPath: Path): number | undefined {
    if (value instanceof Intrinsic) {
      this.intrinsic(value, modelPath, docPath, false);
      return undefined;
    }
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n === 'number' && Number.isFinite(n)) {
      this.map(modelPath, docPath);
      return n;
    }
    return undefined;
  }

  /** A map, or undefined (an intrinsic in its place is warned about and ignored). */
  object(value: unknown, modelPath: Path, docPath: Path): Record<string, unknown> | undefined {
    if (value instanceof Intrinsic) {
      this.intrinsic(value, modelPath, docPath, false);
      return undefined;
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      this.map(modelPath, docPath);
      return value as Record<string, unknown>;
    }
    return undefined;
  }

  /** A list, or `[]` (an intrinsic in its place is warned about and ignored). */
  list(value: unknown, modelPath: Path, docPath: Path): unknown[] {
    if (value instanceof Intrinsic) {
      this.intrinsic(value, modelPath, docPath, false);
      return [];
    }
    if (Array.isArray(value)) {
      this.map(modelPath, docPath);
      return value;
    }
    return [];
  }

  /** A list of strings (non-strings skipped); intrinsic items become placeholders. */
  strings(value: unknown, modelPath: Path, docPath: Path): string[] {
    const out: string[] = [];
    this.list(value, modelPath, docPath).forEach((item, i) => {
      const s = this.string(item, [...modelPath, i], [...docPath, i]);
      if (s !== undefined) out.push(s);
    });
    return out;
  }

  /** A string→string map (configuration): scalar values become strings; other values are skipped. */
  stringMap(value: unknown, modelPath: Path, docPath: Path): Record<string, string> {
    const out: Record<string, string> = {};
    const map = this.object(value, modelPath, docPath);
    if (!map) return out;
    for (const [key, item] of Object.entries(map)) {
      const s = this.string(item, [...modelPath, key], [...docPath, key]);
      if (s !== undefined)
        Object.defineProperty(out, key, { value: s, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
}
