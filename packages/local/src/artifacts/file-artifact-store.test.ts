import { createHash } from 'node:crypto';
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArtifactStoreError } from './errors.ts';
import { FileArtifactStore, parseArtifactUri } from './file-artifact-store.ts';

let tmp: string;
let store: FileArtifactStore;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pw-artifacts-'));
  store = new FileArtifactStore({ root: join(tmp, 'store') });
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function tree(dir: string, files: Record<string, string>): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('FileArtifactStore.putDirectory', () => {
  it('stores every file and returns a content-addressed reference', async () => {
    // Prepare
    const src = await tree(join(tmp, 'src'), { 'a.txt': 'A', 'dir/b.txt': 'BB', '.hidden': 'H' });
    // Act
    const stored = await store.putDirectory(src, { name: 'Out' });
    // Assess
    expect(stored).toMatchObject({ name: 'Out', size: 4, files: 3 });
    expect(stored.uri).toBe(`pipewright-artifact:sha256/${stored.sha256}`);
    const manifestText = await readFile(join(tmp, 'store', 'manifests', `${stored.sha256}.json`), 'utf8');
    expect(createHash('sha256').update(manifestText).digest('hex')).toBe(stored.sha256);
    const manifest = await store.readManifest(stored);
    expect(manifest.entries.map((e) => e.path)).toEqual(['.hidden', 'a.txt', 'dir/b.txt']);
  });

  it('stores the same content once whatever the name', async () => {
    const one = await tree(join(tmp, 'one'), { 'x.txt': 'same', 'y.txt': 'same' });
    const two = await tree(join(tmp, 'two'), { 'x.txt': 'same', 'y.txt': 'same' });
    const a = await store.putDirectory(one, { name: 'A' });
    const b = await store.putDirectory(two, { name: 'B' });
    expect(a.sha256).toBe(b.sha256);
    expect(await listFiles(join(tmp, 'store', 'blobs'))).toHaveLength(1);
    expect(await readdir(join(tmp, 'store', 'manifests'))).toHaveLength(1);
    expect(await readdir(join(tmp, 'store', 'tmp'))).toEqual([]);
  });

  it('selects files by globs, base directory and discard-paths as CodeBuild does', async () => {
    const src = await tree(join(tmp, 'src'), {
      'dist/app.js': 'js',
      'dist/assets/logo.svg': 'svg',
      'dist/map.js.map': 'map',
      'src/app.ts': 'ts',
    });
    const globbed = await store.putDirectory(src, { name: 'G', files: ['dist/**/*.js', 'dist/assets'] });
    expect((await store.readManifest(globbed)).entries.map((e) => e.path)).toEqual([
      'dist/app.js',
      'dist/assets/logo.svg',
    ]);
    const based = await store.putDirectory(src, { name: 'B', baseDirectory: 'dist', files: ['**/*'] });
    expect((await store.readManifest(based)).entries.map((e) => e.path)).toEqual([
      'app.js',
      'assets/logo.svg',
      'map.js.map',
    ]);
    const flat = await store.putDirectory(src, { name: 'F', baseDirectory: 'dist', discardPaths: true });
    expect((await store.readManifest(flat)).entries.map((e) => e.path)).toEqual([
      'app.js',
      'logo.svg',
      'map.js.map',
    ]);
  });

  it('rejects a base directory outside the stored directory', async () => {
    const src = await tree(join(tmp, 'src'), { 'a.txt': 'A' });
    await expect(store.putDirectory(src, { name: 'X', baseDirectory: '..' })).rejects.toThrow(
      ArtifactStoreError,
    );
  });

  it('rejects discard-paths when two files share a name', async () => {
    const src = await tree(join(tmp, 'src'), { 'a/index.js': '1', 'b/index.js': '2' });
    await expect(store.putDirectory(src, { name: 'X', discardPaths: true })).rejects.toThrow(
      /two files named index.js/,
    );
  });

  it('leaves out symlinks that point outside the artifact and keeps those inside', async () => {
    const src = await tree(join(tmp, 'src'), { 'lib/tool.js': 'tool' });
    await mkdir(join(src, 'bin'));
    await symlink('../lib/tool.js', join(src, 'bin', 'tool'));
    await symlink('/etc/passwd', join(src, 'passwd'));
    const stored = await store.putDirectory(src, { name: 'L' });
    const manifest = await store.readManifest(stored);
    expect(manifest.entries.map((e) => e.path)).toEqual(['bin/tool', 'lib/tool.js']);
  });
});

describe('FileArtifactStore.extractTo', () => {
  it('writes back every file with its content and executable bit', async () => {
    const src = await tree(join(tmp, 'src'), { 'run.sh': '#!/bin/sh\necho hi\n', 'data/x.json': '{}' });
    await chmod(join(src, 'run.sh'), 0o755);
    await mkdir(join(src, 'bin'));
    await symlink('../run.sh', join(src, 'bin', 'run'));
    const stored = await store.putDirectory(src, { name: 'Src' });
    const out = join(tmp, 'out');
    await store.extractTo(stored, out);
    expect(await listFiles(out)).toEqual(['bin/run', 'data/x.json', 'run.sh']);
    expect(await readFile(join(out, 'data/x.json'), 'utf8')).toBe('{}');
    expect((await stat(join(out, 'run.sh'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(out, 'data/x.json'))).mode & 0o111).toBe(0);
    expect(await readlink(join(out, 'bin/run'))).toBe('../run.sh');
  });

  it('rejects a tampered manifest whose path leaves the directory', async () => {
    const src = await tree(join(tmp, 'src'), { 'a.txt': 'A' });
    const stored = await store.putDirectory(src, { name: 'A' });
    const manifest = await store.readManifest(stored);
    const entry = manifest.entries[0];
    if (entry?.type !== 'file') throw new Error('expected a file entry');
    const evil = `{"version":1,"entries":[${JSON.stringify({ ...entry, path: '../escaped.txt' })}]}`;
    const sha = createHash('sha256').update(evil).digest('hex');
    await writeFile(join(tmp, 'store', 'manifests', `${sha}.json`), evil);
    const forged = { ...stored, sha256: sha, uri: `pipewright-artifact:sha256/${sha}` };
    await expect(store.extractTo(forged, join(tmp, 'out'))).rejects.toThrow(/"\.\.\/escaped\.txt"/);
    await expect(stat(join(tmp, 'escaped.txt'))).rejects.toThrow();
  });

  it('rejects a manifest that does not match its hash', async () => {
    const src = await tree(join(tmp, 'src'), { 'a.txt': 'A' });
    const stored = await store.putDirectory(src, { name: 'A' });
    await writeFile(join(tmp, 'store', 'manifests', `${stored.sha256}.json`), '{"version":1,"entries":[]}');
    await expect(store.extractTo(stored, join(tmp, 'out'))).rejects.toThrow(/does not match its sha256/);
  });

  it('reports a missing artifact and what to do', async () => {
    const missing = {
      name: 'Gone',
      uri: `pipewright-artifact:sha256/${'0'.repeat(64)}`,
      sha256: '0',
      size: 0,
      files: 0,
    };
    await expect(store.extractTo(missing, join(tmp, 'out'))).rejects.toThrow(
      /run the action that produced it again/,
    );
  });
});

describe('parseArtifactUri', () => {
  it('rejects uris of other stores', () => {
    expect(() => parseArtifactUri('s3://bucket/key')).toThrow(/not a local artifact uri/);
  });
});
