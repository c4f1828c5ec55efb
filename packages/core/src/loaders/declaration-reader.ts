import type { Path } from '../model/path.ts';
import type { ArtifactRef } from '../model/pipeline.ts';
import { type Casing, cased } from './declaration-schema.ts';
import type { PipelineBuilder } from './load-context.ts';

/**
 * Reads declaration fields of one casing (camelCase or PascalCase), mapping model paths to
 * document paths as it goes. Helpers take the model path `mp` and document path `dp` of the
 * map holding `key`.
 *
 * @example
 * ```ts
 * str({ b, casing: 'pascal' }, { Name: 'x' }, 'name', ['stages', 0], ['Stages', 0]); // 'x'
 * ```
 */
export interface Reader {
  b: PipelineBuilder;
  casing: Casing;
}

/** A declaration map as parsed. */
export type Fields = Record<string, unknown>;

/** The value of `key` (in the reader's casing) in `map`. */
export function field(map: Fields | undefined, r: Reader, key: string): unknown {
  const k = cased(key, r.casing);
  return map && Object.hasOwn(map, k) ? map[k] : undefined;
}

/** `value` when it is one of `allowed`, else undefined. */
export function pick<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  return (allowed as readonly string[]).includes(value ?? '') ? (value as T) : undefined;
}

/** Reads `key` of `map` as a string at model `mp` / document `dp` (both without the key). */
export function str(r: Reader, map: Fields | undefined, key: string, mp: Path, dp: Path): string | undefined {
  return r.b.string(field(map, r, key), [...mp, key], [...dp, cased(key, r.casing)]);
}

/** Reads `key` of `map` as a number. */
export function num(r: Reader, map: Fields | undefined, key: string, mp: Path, dp: Path): number | undefined {
  return r.b.number(field(map, r, key), [...mp, key], [...dp, cased(key, r.casing)]);
}

/** Reads `key` of `map` as a map. */
export function obj(r: Reader, map: Fields | undefined, key: string, mp: Path, dp: Path): Fields | undefined {
  return r.b.object(field(map, r, key), [...mp, key], [...dp, cased(key, r.casing)]);
}

/** Reads `key` of `map` as a list (`[]` when absent or wrong). */
export function list(r: Reader, map: Fields | undefined, key: string, mp: Path, dp: Path): unknown[] {
  return r.b.list(field(map, r, key), [...mp, key], [...dp, cased(key, r.casing)]);
}

/** Reads `key` of `map` as a list of strings; undefined when absent. */
export function strings(
  r: Reader,
  map: Fields | undefined,
  key: string,
  mp: Path,
  dp: Path,
): string[] | undefined {
  const value = field(map, r, key);
  if (value === undefined || value === null) return undefined;
  return r.b.strings(value, [...mp, key], [...dp, cased(key, r.casing)]);
}

/** Reads `key` of `map` as artifacts `[{ name, files? }]`. */
export function artifacts(
  r: Reader,
  map: Fields | undefined,
  key: string,
  mp: Path,
  dp: Path,
): ArtifactRef[] {
  const out: ArtifactRef[] = [];
  list(r, map, key, mp, dp).forEach((item, i) => {
    const m = [...mp, key, i];
    const d = [...dp, cased(key, r.casing), i];
    const entry = r.b.object(item, m, d);
    const name = str(r, entry, 'name', m, d);
    if (name === undefined) return;
    const files = strings(r, entry, 'files', m, d);
    out.push(files ? { name, files } : { name });
  });
  return out;
}
