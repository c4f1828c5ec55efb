import type { SourceLocation } from './diagnostic.ts';
import type { Path } from './path.ts';

/**
 * Maps a path in the normalized model to where it came from in the user's document.
 * Loaders build one per pipeline; validation uses it to put `file:line:col` on diagnostics.
 * For a path the map does not know, the nearest known ancestor's location is returned.
 *
 * @example
 * ```ts
 * const loc = sourceMap.locate(['stages', 1, 'actions', 0, 'name']);
 * // { file: 'pipeline.yaml', line: 14, col: 15 }
 * ```
 */
export interface SourceMap {
  locate(path: Path): SourceLocation | undefined;
}

/** A source map that knows nothing (for models built in code). */
export const EMPTY_SOURCE_MAP: SourceMap = { locate: () => undefined };
