/** Paths of the repository the tests run in. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root directory.
 *
 * @example
 * ```ts
 * const examples = join(REPO_ROOT, 'examples');
 * ```
 */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The `pipewright` binary (run it with `process.execPath`).
 *
 * @example
 * ```ts
 * spawnSync(process.execPath, [PIPEWRIGHT_BIN, 'approve', id], { cwd });
 * ```
 */
export const PIPEWRIGHT_BIN = join(REPO_ROOT, 'packages/cli/bin/pipewright.js');
