import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type ParsedNode,
  parseDocument,
  type Tags,
  type YAMLError,
} from 'yaml';
import type { Diagnostic } from '../model/diagnostic.ts';
import { formatPath, type Path } from '../model/path.ts';
import { INTRINSIC_TAGS, Intrinsic, setOwn } from './intrinsic.ts';

/** 1-based line and column. */
export interface Position {
  line: number;
  col: number;
}

/** Positions of the nodes of a parsed document, by document path. */
export interface PositionIndex {
  /** Where the value at `path` starts (for a map entry without a value: its key). */
  value(path: Path): Position | undefined;
  /** Where the key of the map entry at `path` starts. */
  key(path: Path): Position | undefined;
}

/** A document parsed to plain data (maps are null-prototype-free plain objects, intrinsics are {@link Intrinsic}s). */
export type ParsedDocument =
  | { ok: true; data: unknown; positions: PositionIndex }
  | { ok: false; diagnostics: Diagnostic[] };

const CUSTOM_TAGS: Tags = INTRINSIC_TAGS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: 'seq' as const },
  { tag: `!${name}`, collection: 'map' as const },
]);

/** Alias expansions allowed per document (guards against "billion laughs" documents). */
const MAX_ALIASES = 10_000;

const HINTS: Record<string, string> = {
  BAD_INDENT: 'fix the indentation so that entries of one map or list line up',
  BLOCK_AS_IMPLICIT_KEY: 'fix the indentation: a nested map must start on its own, further-indented line',
  MULTILINE_IMPLICIT_KEY: 'fix the indentation, or add the missing ":" after the key',
  MISSING_CHAR: 'add what is missing, or fix the indentation so that entries of one map or list line up',
  MULTIPLE_DOCS: 'put one document in the file: remove the "---" separator',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  UNEXPECTED_TOKEN: 'check the indentation and quoting around this point',
  DUPLICATE_KEY: 'remove or rename one of the duplicate keys',
  BAD_ALIAS: 'define the anchor (&name) before using the alias (*name)',
};

function syntaxDiagnostic(error: YAMLError, file: string | undefined, json: boolean): Diagnostic {
  const [pos] = error.linePos ?? [];
  const first = error.message.split('\n')[0] ?? error.message;
  const what = first.replace(/ at line \d+, column \d+:?$/, '');
  const hint = json
    ? 'check the JSON syntax near this point (a missing or extra comma, colon, quote or bracket)'
    : (HINTS[error.code] ?? 'check the YAML syntax near this point');
  const duplicate = error.code === 'DUPLICATE_KEY';
  return {
    severity: 'error',
    code: duplicate ? 'duplicate-key' : 'syntax-error',
    path: [],
    message: `could not parse ${json ? 'JSON' : 'YAML'}: ${what}; ${hint}.`,
    location: { ...(file === undefined ? {} : { file }), line: pos?.line ?? 1, col: pos?.col ?? 1 },
  };
}

/**
 * Parses YAML (and therefore JSON) text into plain data plus the position of every node.
 * CloudFormation short-form tags (`!Ref`, `!GetAtt`, …) become {@link Intrinsic}s. Never
 * throws: syntax problems come back as `syntax-error` / `duplicate-key` diagnostics.
 *
 * @example
 * ```ts
 * const parsed = parseWithPositions('name: web\n', 'p.yaml');
 * if (parsed.ok) parsed.positions.value(['name']); // { line: 1, col: 7 }
 * ```
 */
export function parseWithPositions(text: string, file?: string): ParsedDocument {
  const lineCounter = new LineCounter();
  const json = /^\s*[{[]/.test(text);
  const doc = parseDocument(text, {
    lineCounter,
    customTags: CUSTOM_TAGS,
    prettyErrors: true,
    uniqueKeys: true,
    strict: true,
  });
  if (doc.errors.length > 0) {
    const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
    const others = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY').slice(0, 1);
    return { ok: false, diagnostics: [...others, ...duplicates].map((e) => syntaxDiagnostic(e, file, json)) };
  }
  const values = new Map<string, Position>();
  const keys = new Map<string, Position>();
  const at = (offset: number): Position => lineCounter.linePos(offset);
  const seen = new Set<Node>();
  let aliases = 0;

  const convert = (node: unknown, path: (string | number)[], index: boolean): unknown => {
    if (isAlias(node)) {
      aliases += 1;
      const target = node.resolve(doc);
      if (target === undefined || seen.has(target) || aliases > MAX_ALIASES) return null;
      seen.add(target);
      const out = convert(target, path, false);
      seen.delete(target);
      return out;
    }
    const parsed = node as ParsedNode | null | undefined;
    const tag = parsed && 'tag' in parsed ? parsed.tag : undefined;
    const fn = tag?.startsWith('!') ? tag.slice(1) : undefined;
    const isIntrinsic = fn !== undefined && (INTRINSIC_TAGS as readonly string[]).includes(fn);
    if (index && parsed?.range) {
      // A tagged node's range starts after its tag; point at the tag (`!GetAtt …`) instead.
      const tagAt = isIntrinsic ? text.lastIndexOf(`!${fn}`, parsed.range[0]) : -1;
      values.set(
        formatPath(path),
        at(tagAt >= 0 && parsed.range[0] - tagAt <= 2 * (fn?.length ?? 0) + 40 ? tagAt : parsed.range[0]),
      );
    }
    const childIndex = index && !isIntrinsic;
    let value: unknown;
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const rawKey = isScalar(pair.key) ? pair.key.value : pair.key;
        const key = rawKey === null || rawKey === undefined ? '' : String(rawKey);
        const keyNode = pair.key as ParsedNode | null;
        setOwn(out, key, convert(pair.value, [...path, key], childIndex));
        if (childIndex && keyNode?.range) {
          keys.set(formatPath([...path, key]), at(keyNode.range[0]));
          const valueNode = pair.value as ParsedNode | null;
          if (!valueNode?.range || (isScalar(valueNode) && !valueNode.source && valueNode.value === null)) {
            values.set(formatPath([...path, key]), at(keyNode.range[0]));
          }
        }
      }
      value = out;
    } else if (isSeq(node)) {
      value = node.items.map((item, i) => convert(item, [...path, i], childIndex));
    } else if (isScalar(node)) {
      value = node.value;
      if (typeof value === 'bigint') value = Number(value);
      if (value instanceof Date || (value !== null && typeof value === 'object'))
        value = node.source ?? String(value);
    } else {
      value = null;
    }
    return isIntrinsic ? new Intrinsic(fn, value) : value;
  };

  const data = convert(doc.contents, [], true);
  return {
    ok: true,
    data,
    positions: {
      value: (path) => values.get(formatPath(path)),
      key: (path) => keys.get(formatPath(path)),
    },
  };
}
