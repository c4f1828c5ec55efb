/**
 * Temporary directories under `os.tmpdir()` removed by a {@link Cleanups} stack, and copies of
 * the repository's examples in them.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cleanups } from './cleanups.ts';
import { REPO_ROOT } from './paths.ts';

/**
 * A fresh directory `<tmpdir>/<prefix>XXXXXX`, removed (recursively) when `cleanups` runs.
 *
 * @example
 * ```ts
 * const dir = await tempDir(cleanups, 'pw-engine-');
 * ```
 */
export async function tempDir(cleanups: Cleanups, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.add(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * {@link tempDir}, made synchronously.
 *
 * @example
 * ```ts
 * const cwd = tempDirSync(cleanups, 'pipewright-serve-');
 * ```
 */
export function tempDirSync(cleanups: Cleanups, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.add(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Copies `examples/<example>` to `to`, leaving out the `repo/` and `deployed/` folders a run
 * makes (so `pipewright serve` sets the example's repository up afresh).
 *
 * @example
 * ```ts
 * copyExample('web-app', join(cwd, 'web-app'));
 * ```
 */
export function copyExample(example: string, to: string): void {
  cpSync(join(REPO_ROOT, 'examples', example), to, {
    recursive: true,
    filter: (src) => !/[/\\](repo|deployed)$/.test(src),
  });
}
