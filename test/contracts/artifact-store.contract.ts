/**
 * The contract every `ArtifactStore` adapter passes (content-addressed files locally, zips in
 * S3 in AWS). Run it with `runArtifactStoreContract(name, makeAdapter)`; a skipped case must
 * say why. How an adapter lays artifacts out, and how it notices tampering, is its own. The
 * workspace and tree snapshots come from the AWS package's test support (`artifact-trees.ts`).
 */
import { mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactStore } from '@pipewright/engine';
import { afterEach, describe, expect } from 'vitest';
import { buildWorkspace, snapshotTree as snapshot } from '../../packages/aws/src/testing/artifact-trees.ts';
import { type ContractCases, type ContractSkips, registerCases } from './contract-case.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pw-artifact-contract-'));
  dirs.push(dir);
  return dir;
}

async function workspace(): Promise<string> {
  return buildWorkspace(await tempDir());
}

/** The cases every ArtifactStore adapter must pass, by name (the names `skip` refers to). */
export const ARTIFACT_STORE_CASES: ContractCases<ArtifactStore> = {
  'round-trips a directory: equal bytes, executable bits and inner links; links leading outside are left out':
    async (makeAdapter) => {
      const store = await makeAdapter();
      const dir = await workspace();
      const artifact = await store.putDirectory(dir, { name: 'Site', baseDirectory: 'dist' });
      expect(artifact).toMatchObject({ name: 'Site', files: 6, size: 3200 + 4096 + 4 + 18 + 0 });
      expect(artifact.sha256).toMatch(/^[0-9a-f]{64}$/);
      const out = join(await tempDir(), 'new/dir');
      await store.extractTo(artifact, out);
      const expected = await snapshot(join(dir, 'dist'));
      delete expected.escape;
      expect(await snapshot(out)).toEqual(expected);
      expect(expected['run.sh']?.startsWith('+x ')).toBe(true);
    },
  'stores the same content once: same reference whatever the name or modification times': async (
    makeAdapter,
  ) => {
    const store = await makeAdapter();
    const dir = await workspace();
    const first = await store.putDirectory(dir, { name: 'A', files: ['src/**'] });
    const when = new Date('2031-05-06T07:08:09Z');
    await utimes(join(dir, 'src/main.ts'), when, when);
    const second = await store.putDirectory(dir, { name: 'B', files: ['./src/'] });
    expect(second).toEqual({ ...first, name: 'B' });
    await writeFile(join(dir, 'src/main.ts'), 'export {}; // changed\n');
    expect((await store.putDirectory(dir, { name: 'A', files: ['src/**'] })).sha256).not.toBe(first.sha256);
  },
  'selects files as CodeBuild does: globs, base directory, discard-paths': async (makeAdapter) => {
    const store = await makeAdapter();
    const dir = await workspace();
    const extracted = async (options: Parameters<ArtifactStore['putDirectory']>[1]) => {
      const out = await tempDir();
      await store.extractTo(await store.putDirectory(dir, options), out);
      return Object.keys(await snapshot(out)).sort();
    };
    expect(await extracted({ name: 'G', files: ['dist/**/*.bin', 'src/*.ts'] })).toEqual([
      'dist/assets/logo.bin',
      'src/main.ts',
    ]);
    expect(await extracted({ name: 'F', files: ['dist/**/*.bin', 'src/*.ts'], discardPaths: true })).toEqual([
      'logo.bin',
      'main.ts',
    ]);
    expect(await extracted({ name: 'B', baseDirectory: 'dist', files: ['assets/**'] })).toEqual([
      'assets/logo.bin',
    ]);
  },
  'refuses a selection it cannot store, saying why': async (makeAdapter) => {
    const store = await makeAdapter();
    const dir = await workspace();
    await writeFile(join(dir, 'dist/assets/index.html'), 'other');
    await expect(
      store.putDirectory(dir, { name: 'X', files: ['**/index.html'], discardPaths: true }),
    ).rejects.toThrow(/two files named index\.html/);
    await expect(store.putDirectory(dir, { name: 'X', baseDirectory: '../' })).rejects.toThrow(
      /leaves the directory being stored/,
    );
    await expect(store.putDirectory(dir, { name: 'X', baseDirectory: 'nope' })).rejects.toThrow(
      /does not exist/,
    );
  },
  'stores an empty selection as an empty artifact': async (makeAdapter) => {
    const store = await makeAdapter();
    const empty = await store.putDirectory(await workspace(), { name: 'None', files: ['no-match/**'] });
    expect(empty).toMatchObject({ name: 'None', size: 0, files: 0 });
    const out = join(await tempDir(), 'x');
    await store.extractTo(empty, out);
    expect(await readdir(out)).toEqual([]);
  },
  'refuses to extract an artifact it does not hold, and says so': async (makeAdapter) => {
    const store = await makeAdapter();
    const stored = await store.putDirectory(await workspace(), { name: 'Site', files: ['src/**'] });
    const zeros = '0'.repeat(64);
    const missing = {
      ...stored,
      name: 'Gone',
      sha256: zeros,
      uri: stored.uri.replace(stored.sha256, zeros),
    };
    const out = await tempDir();
    await expect(store.extractTo(missing, out)).rejects.toThrow(/Gone/);
    expect(await readdir(out)).toEqual([]);
  },
  'refuses to extract through a symlink already in the target directory': async (makeAdapter) => {
    const store = await makeAdapter();
    const src = await tempDir();
    await mkdir(join(src, 'sub'));
    await writeFile(join(src, 'sub/file.txt'), 'x');
    const artifact = await store.putDirectory(src, { name: 'A' });
    const elsewhere = await tempDir();
    const target = await tempDir();
    await symlink(elsewhere, join(target, 'sub'));
    await expect(store.extractTo(artifact, target)).rejects.toThrow(/would write through a symlink outside/);
    expect(await readdir(elsewhere)).toEqual([]);
  },
};

/**
 * Registers the ArtifactStore contract for one adapter. `makeAdapter` gives a fresh, empty store.
 *
 * @example
 * ```ts
 * runArtifactStoreContract('files', async () => new FileArtifactStore({ root: await tempDir() }));
 * ```
 */
export function runArtifactStoreContract(
  name: string,
  makeAdapter: () => Promise<ArtifactStore>,
  skip?: ContractSkips,
): void {
  describe(`ArtifactStore contract: ${name}`, () => {
    afterEach(async () => {
      for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
    });
    registerCases(ARTIFACT_STORE_CASES, makeAdapter, skip);
  });
}
