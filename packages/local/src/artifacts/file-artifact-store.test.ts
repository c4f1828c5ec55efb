import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

// The port's behaviour (round trip, modes, links, selection, dedup, empty and missing
// artifacts) is test/contracts/artifact-store.contract.ts; here is the store's own layout.
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
});

describe('FileArtifactStore.extractTo', () => {
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
