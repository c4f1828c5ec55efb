/**
 * Where an artifact's entries land when a store extracts it (local files, S3 zips, memory):
 * below the target directory and never through a symlink already there that leads elsewhere.
 * Each directory is made and checked once, by its real path, before anything is written in it.
 *
 * @example
 * ```ts
 * const targets = await extractionTargets(workspace, (m) => new ArtifactStoreError(m));
 * await writeFile(await targets.entry('dist/app.js'), bytes);
 * ```
 */
import { mkdir, realpath, rm } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';

/** The places of one extraction. */
export interface ExtractionTargets {
  /** Makes the directory an artifact path names (a zip's directory entry), checked. */
  directory(path: string): Promise<void>;
  /** The absolute path an artifact path lands on: its parent made and checked, whatever was there removed. */
  entry(path: string): Promise<string>;
}

/**
 * Makes `dir` (if missing) and gives the places of an extraction into it. A directory whose
 * real path lies outside `dir` is refused with the error `fail` makes (each store's own class).
 *
 * @example
 * ```ts
 * const targets = await extractionTargets(out, (m) => new Error(m));
 * await symlink('v2', await targets.entry('dist/latest'));
 * ```
 */
export async function extractionTargets(
  dir: string,
  fail: (message: string) => Error,
): Promise<ExtractionTargets> {
  await mkdir(dir, { recursive: true });
  const root = await realpath(dir);
  const checked = new Set<string>([root]);
  const ensureDir = async (absolute: string, shown: string): Promise<void> => {
    if (checked.has(absolute)) return;
    await mkdir(absolute, { recursive: true });
    const real = await realpath(absolute);
    if (real !== root && !real.startsWith(root + sep)) {
      throw fail(
        `extracting ${shown} would write through a symlink outside ${dir}; extract into an empty directory`,
      );
    }
    checked.add(absolute);
  };
  const targetOf = (path: string) => join(root, ...path.split('/'));
  return {
    directory: (path) => ensureDir(targetOf(path), path),
    async entry(path) {
      const target = targetOf(path);
      await ensureDir(dirname(target), path);
      await rm(target, { force: true });
      return target;
    },
  };
}
