/**
 * Walks a directory and selects the entries an artifact holds, with CodeBuild's artifact rules —
 * one selection for every artifact store (local files, S3), so an artifact holds the same files
 * in both worlds: picomatch globs relative to a base directory
 * (`files`, default every file), dot files included, a glob naming a directory selects
 * everything below it, `discard-paths` keeps only base names. Symlinks are not followed: they
 * are returned as links.
 *
 * @example
 * ```ts
 * const found = await selectArtifactFiles(workspace, { files: ['dist/**'] });
 * ```
 */
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join, posix, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import type { PutDirectoryOptions } from './ports/artifact-store.ts';

/** One selected entry: where it is on disk and the path it gets in the artifact. @example `{ kind: 'file', absolute: '/w/dist/a.js', path: 'dist/a.js', executable: false }` */
export type SelectedArtifactEntry =
  | { kind: 'file'; absolute: string; path: string; executable: boolean }
  | { kind: 'symlink'; absolute: string; path: string; target: string };

/**
 * Selects the entries of `dir` per `options`, sorted by artifact path. Throws the error `fail`
 * makes (each store's own error class) when the base directory leaves `dir` or is missing, or
 * discard-paths would store two files under one name.
 *
 * @example
 * ```ts
 * (await selectArtifactFiles(dir, { baseDirectory: 'dist', discardPaths: true }, (m) => new Error(m))).map((e) => e.path);
 * ```
 */
export async function selectArtifactFiles(
  dir: string,
  options: Pick<PutDirectoryOptions, 'files' | 'baseDirectory' | 'discardPaths'>,
  fail: (message: string) => Error,
): Promise<SelectedArtifactEntry[]> {
  const root = resolve(dir);
  const base = resolve(root, options.baseDirectory ?? '.');
  if (base !== root && !base.startsWith(root + sep)) {
    throw fail(
      `base directory ${JSON.stringify(options.baseDirectory)} leaves the directory being stored; use a path inside it`,
    );
  }
  const baseStat = await lstat(base).catch(() => undefined);
  if (!baseStat?.isDirectory()) {
    throw fail(
      `base directory ${JSON.stringify(options.baseDirectory ?? '.')} does not exist in the directory being stored; check the artifact's base-directory`,
    );
  }
  const patterns = options.files && options.files.length > 0 ? options.files.map(normalizeGlob) : ['**'];
  const isMatch = picomatch(patterns, { dot: true });
  const selected: SelectedArtifactEntry[] = [];

  const walk = async (absDir: string, relDir: string, dirSelected: boolean): Promise<void> => {
    const entries = await readdir(absDir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
      const absolute = join(absDir, entry.name);
      const chosen = dirSelected || isMatch(rel);
      if (entry.isDirectory()) {
        await walk(absolute, rel, chosen);
      } else if (chosen && entry.isFile()) {
        const info = await lstat(absolute);
        selected.push({ kind: 'file', absolute, path: rel, executable: (info.mode & 0o111) !== 0 });
      } else if (chosen && entry.isSymbolicLink()) {
        selected.push({ kind: 'symlink', absolute, path: rel, target: await readlink(absolute) });
      }
    }
  };
  await walk(base, '', false);

  if (!options.discardPaths) return selected;
  const byName = new Map<string, SelectedArtifactEntry>();
  for (const entry of selected) {
    const name = posix.basename(entry.path);
    const other = byName.get(name);
    if (other) {
      throw fail(
        `discard-paths would store two files named ${name} (${relative(root, other.absolute)} and ${relative(root, entry.absolute)}); narrow the globs or keep the paths`,
      );
    }
    byName.set(name, { ...entry, path: name });
  }
  return [...byName.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** `./dist/**` → `dist/**`; `dist/` → `dist/**`; Windows separators are not supported in globs. */
function normalizeGlob(glob: string): string {
  let g = glob.trim();
  while (g.startsWith('./')) g = g.slice(2);
  if (g.endsWith('/')) g = `${g}**`;
  return g === '' || g === '.' ? '**' : g;
}
