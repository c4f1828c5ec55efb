/**
 * Reading `pipewright.local.yaml`: YAML and schema problems become a {@link LocalSettingsError}
 * whose message points at the line: `pipewright.local.yaml:3:3 setup.repositories[0].form: …`.
 *
 * @example
 * ```ts
 * const { settings, file } = await loadLocalSettings('examples/seed/template.yaml');
 * settings.repositories.MyRepo; // './repo'
 * ```
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formatPath, type Path } from '@pipewright/core';
import { type Document, isMap, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import type * as z from 'zod';
import { LocalSettingsError } from '../errors.ts';
import {
  allowedKeysAt,
  emptyLocalSettings,
  LOCAL_SETTINGS_FILE,
  type LocalSettings,
  localSettingsSchema,
} from './schema.ts';

/**
 * Parses the text of a `pipewright.local.yaml`; throws {@link LocalSettingsError} listing every
 * problem as `file:line:col path: message`. An empty document is empty settings.
 *
 * @example
 * ```ts
 * parseLocalSettings('repositories:\n  MyRepo: ./repo\n', 'pipewright.local.yaml').repositories;
 * // { MyRepo: './repo' }
 * ```
 */
export function parseLocalSettings(text: string, file: string): LocalSettings {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = syntax.linePos?.[0];
    const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
    const what = (syntax.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new LocalSettingsError(`${where}: not valid YAML: ${what}; fix the YAML syntax there`, {
      cause: syntax,
    });
  }
  const value: unknown = doc.contents === null ? {} : doc.toJS({ maxAliasCount: 100 });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LocalSettingsError(
      `${locate(file, doc, lineCounter, [])}: the file must be a mapping with repositories, functions and setup (each optional)`,
    );
  }
  const result = localSettingsSchema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => describeIssue(issue, file, doc, lineCounter));
  const first = result.error.issues[0];
  throw new LocalSettingsError(
    lines.length === 1
      ? (lines[0] ?? '')
      : `${file} has ${lines.length} problems; fix them and try again:\n${lines.join('\n')}`,
    first ? { path: first.path as Path } : undefined,
  );
}

/**
 * Reads `pipewright.local.yaml` from the directory of `pipelineFile`. Without one, returns
 * empty settings and no `file`. `file` is the settings file's path as joined to the pipeline
 * file's directory (relative when `pipelineFile` is).
 *
 * @example
 * ```ts
 * const { settings, file } = await loadLocalSettings('examples/web-app/pipeline.yaml');
 * file; // 'examples/web-app/pipewright.local.yaml'
 * ```
 */
export async function loadLocalSettings(
  pipelineFile: string,
): Promise<{ settings: LocalSettings; file?: string }> {
  const file = join(dirname(pipelineFile), LOCAL_SETTINGS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: emptyLocalSettings() };
    throw new LocalSettingsError(
      `${file}: cannot be read (${(error as Error).message}); check that it is a readable file`,
      { cause: error },
    );
  }
  return { settings: parseLocalSettings(text, file), file };
}

function describeIssue(issue: z.core.$ZodIssue, file: string, doc: Document, lines: LineCounter): string {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(path);
    return issue.keys
      .map((key) => {
        const hint = allowed.length > 0 ? `; expected one of ${allowed.join(', ')}` : '';
        return `${locate(file, doc, lines, path, key)} ${formatPath([...path, key])}: is not a setting${hint}`;
      })
      .join('\n');
  }
  const shown = path.length > 0 ? formatPath(path) : '(root)';
  return `${locate(file, doc, lines, path)} ${shown}: ${issue.message}`;
}

/** `file:line:col` of the node at `path` (of the key `key` of that mapping when given), or of its nearest existing ancestor. */
function locate(file: string, doc: Document, lines: LineCounter, path: Path, key?: string): string {
  let node: Node | undefined;
  for (let depth = path.length; depth >= 0 && node === undefined; depth--) {
    const candidate = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (candidate && typeof candidate === 'object' && 'range' in candidate) node = candidate as Node;
  }
  if (key !== undefined && node && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (pair && isScalar(pair.key)) node = pair.key;
  }
  const offset = node?.range?.[0];
  if (offset === undefined) return `${file}:1:1`;
  const pos = lines.linePos(offset);
  return `${file}:${pos.line}:${pos.col}`;
}
