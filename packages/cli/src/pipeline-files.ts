import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './errors.ts';

const PIPELINE_FILE = /\.(ya?ml|json)$/i;

/**
 * Expands the paths a user named into pipeline files: a file stays as it is, a directory
 * gives its `.yaml`, `.yml` and `.json` files (sorted, not recursive).
 *
 * @example
 * ```ts
 * expandPipelineFiles(['pipelines/'], process.cwd()); // ['pipelines/api.yaml', 'pipelines/web.yaml']
 * ```
 */
export function expandPipelineFiles(paths: readonly string[], cwd: string): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let isDirectory = false;
    try {
      isDirectory = statSync(resolve(cwd, path)).isDirectory();
    } catch {
      // Not there: checkFile reports it with the reason.
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    const found = readdirSync(resolve(cwd, path))
      .filter((name) => PIPELINE_FILE.test(name))
      .sort()
      .map((name) => join(path, name));
    if (found.length === 0) throw new UsageError(`${path} holds no pipeline files (.yaml, .yml or .json)`);
    files.push(...found);
  }
  return files;
}
