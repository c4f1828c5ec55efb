/**
 * Temporary directories under `os.tmpdir()` removed by a {@link Cleanups} stack, and copies of
 * the repository's examples in them.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
 * Copies the files of `examples/<example>` that git tracks (or would track: new files not
 * ignored) to `to`, so nothing a run of the example left in the tree (its `repo/`,
 * `deployed/`, `.pipewright/`, an app's `node_modules/`) reaches the test. `example` may name
 * a folder inside an example (`web-app/app`).
 *
 * @example
 * ```ts
 * copyExample('web-app', join(cwd, 'web-app'));
 * ```
 */
export function copyExample(example: string, to: string): void {
  const source = join(REPO_ROOT, 'examples', example);
  const listed = spawnSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.'],
    {
      cwd: source,
      encoding: 'utf8',
    },
  );
  if (listed.status !== 0) {
    throw new Error(
      `cannot list the files of examples/${example} with git (${listed.error?.message ?? listed.stderr.trim()}): the tests copy only tracked example files, so run them in a git clone`,
    );
  }
  const files = listed.stdout.split('\0').filter((file) => file !== '' && existsSync(join(source, file)));
  if (files.length === 0) throw new Error(`examples/${example} holds no tracked file`);
  for (const file of files) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(source, file), join(to, file));
  }
}
