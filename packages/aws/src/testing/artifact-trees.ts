/**
 * Test support (not exported from the package): directory trees for artifact tests — a build
 * workspace with every kind of entry an artifact store must handle, and a snapshot of a tree to
 * compare what was stored with what was extracted. Used by the S3 store's tests and by the
 * shared ArtifactStore contract (`test/contracts/artifact-store.contract.ts`).
 *
 * @example
 * ```ts
 * const dir = await buildWorkspace(await mkdtemp(join(tmpdir(), 'ws-')));
 * expect(await snapshotTree(out)).toEqual(await snapshotTree(join(dir, 'dist')));
 * ```
 */
import { lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * Every file and link below `dir`: path → content (base64, `+x ` first for executables) or `-> target`.
 *
 * @example
 * ```ts
 * await snapshotTree(dir); // { 'run.sh': '+x IyEv…', 'home.html': '-> index.html' }
 * ```
 */
export async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) continue;
    if (entry.isSymbolicLink()) out[relative(dir, path)] = `-> ${await readlink(path)}`;
    else {
      const executable = ((await lstat(path)).mode & 0o111) !== 0;
      out[relative(dir, path)] = `${executable ? '+x ' : ''}${(await readFile(path)).toString('base64')}`;
    }
  }
  return out;
}

/**
 * Fills `dir` with a build's workspace and returns it: under `dist/` a text file (3,200 B), a
 * binary (4,096 B), a dotfile (4 B), an executable (18 B), an empty file, a link inside
 * (`home.html`) and one leading outside (`escape` → /etc/passwd); under `src/` one file.
 *
 * @example
 * ```ts
 * const dir = await buildWorkspace(await tempDir());
 * ```
 */
export async function buildWorkspace(dir: string): Promise<string> {
  await mkdir(join(dir, 'dist/assets'), { recursive: true });
  await mkdir(join(dir, 'src'), { recursive: true });
  await writeFile(join(dir, 'dist/index.html'), '<!doctype html>\n'.repeat(200));
  await writeFile(
    join(dir, 'dist/assets/logo.bin'),
    Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) % 256),
  );
  await writeFile(join(dir, 'dist/.env.example'), 'A=1\n');
  await writeFile(join(dir, 'dist/run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
  await writeFile(join(dir, 'dist/empty.txt'), '');
  await symlink('index.html', join(dir, 'dist/home.html'));
  await symlink('/etc/passwd', join(dir, 'dist/escape'));
  await writeFile(join(dir, 'src/main.ts'), 'export {};\n');
  return dir;
}
