/**
 * The local artifact store: content-addressed files under a root directory (by default
 * `.pipewright/artifacts` of the project).
 *
 * Layout:
 * - `blobs/<hh>/<sha256>` — one file per distinct content (`hh` = first two hex digits);
 * - `manifests/<sha256>.json` — one canonical manifest per artifact (see `manifest.ts`); the
 *   artifact's sha256 is the sha256 of that file, its uri `pipewright-artifact:sha256/<hex>`;
 * - `tmp/` — writes in progress. Every blob and manifest is written to `tmp/` and renamed into
 *   place, so a killed process never leaves a half-written blob under its final name.
 *
 * @example
 * ```ts
 * const store = new FileArtifactStore({ root: join(projectDir, '.pipewright', 'artifacts') });
 * const out = await store.putDirectory(workspace, { name: 'BuildOutput', files: ['dist/**'] });
 * await store.extractTo(out, nextWorkspace);
 * ```
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import {
  chmod,
  copyFile,
  lstat,
  mkdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  type ArtifactStore,
  extractionTargets,
  forEachLimited,
  type PutDirectoryOptions,
  type StoredArtifact,
  selectArtifactFiles,
  withoutUnsafeLinks,
} from '@pipewright/engine';
import { ArtifactStoreError } from './errors.ts';
import { canonicalManifest, type Manifest, type ManifestEntry, parseManifest } from './manifest.ts';

/** The uri scheme of locally stored artifacts. */
export const ARTIFACT_URI_PREFIX = 'pipewright-artifact:sha256/';

/** Options of {@link FileArtifactStore}. */
export interface FileArtifactStoreOptions {
  /** Directory holding blobs and manifests, e.g. `<project>/.pipewright/artifacts`. Created on first write. */
  root: string;
  /** Files hashed and copied at once (default 16). */
  concurrency?: number;
}

/**
 * `ArtifactStore` on the local filesystem. Storing the same content twice stores it once, both
 * per file (blobs) and per artifact (manifests).
 *
 * @example
 * ```ts
 * const store = new FileArtifactStore({ root: '.pipewright/artifacts' });
 * const a = await store.putDirectory('build', { name: 'Site', baseDirectory: 'public' });
 * a.uri; // 'pipewright-artifact:sha256/…'
 * ```
 */
export class FileArtifactStore implements ArtifactStore {
  readonly root: string;
  readonly #concurrency: number;
  #counter = 0;

  constructor(options: FileArtifactStoreOptions) {
    this.root = resolve(options.root);
    this.#concurrency = options.concurrency ?? 16;
  }

  async putDirectory(dir: string, options: PutDirectoryOptions): Promise<StoredArtifact> {
    const selected = await selectArtifactFiles(dir, options, (m) => new ArtifactStoreError(m));
    await mkdir(join(this.root, 'tmp'), { recursive: true });
    const entries: ManifestEntry[] = new Array(selected.length);
    await forEachLimited(selected, this.#concurrency, async (item, i) => {
      if (item.kind === 'symlink') {
        entries[i] = { path: item.path, type: 'symlink', target: item.target };
        return;
      }
      const { sha256, size } = await this.#storeBlob(item.absolute);
      entries[i] = { path: item.path, type: 'file', mode: item.executable ? 0o755 : 0o644, size, sha256 };
    });
    // Links that could lead outside the artifact are left out rather than stored (DESIGN.md §1.6).
    const kept = withoutUnsafeLinks(entries);
    const manifest: Manifest = { version: 1, entries: kept };
    const text = canonicalManifest(manifest);
    const sha256 = createHash('sha256').update(text).digest('hex');
    const manifestPath = this.#manifestPath(sha256);
    if (!(await exists(manifestPath))) await this.#writeAtomic(manifestPath, text);
    return describe(options.name, sha256, kept);
  }

  async extractTo(artifact: StoredArtifact, dir: string): Promise<void> {
    const manifest = await this.readManifest(artifact);
    const targets = await extractionTargets(dir, (m) => new ArtifactStoreError(m));
    const files = manifest.entries.filter((e) => e.type === 'file');
    await forEachLimited(files, this.#concurrency, async (entry) => {
      const blob = this.#blobPath(entry.sha256);
      const info = await stat(blob).catch(() => undefined);
      if (!info || info.size !== entry.size) {
        throw new ArtifactStoreError(
          `blob ${entry.sha256} of ${entry.path} in artifact ${artifact.name} is ${info ? 'truncated' : 'missing'}; run the action that produced it again`,
        );
      }
      const target = await targets.entry(entry.path);
      await copyFile(blob, target);
      await chmod(target, entry.mode);
    });
    for (const entry of manifest.entries) {
      if (entry.type === 'symlink') await symlink(entry.target, await targets.entry(entry.path));
    }
  }

  /**
   * Reads and verifies the manifest of a stored artifact (its hash must match the uri).
   *
   * @example
   * ```ts
   * (await store.readManifest(artifact)).entries.map((e) => e.path);
   * ```
   */
  async readManifest(artifact: Pick<StoredArtifact, 'uri' | 'name'>): Promise<Manifest> {
    const sha256 = parseArtifactUri(artifact.uri);
    const text = await readFile(this.#manifestPath(sha256), 'utf8').catch((cause: unknown) => {
      throw new ArtifactStoreError(
        `artifact ${artifact.name} (${artifact.uri}) is not in the store at ${this.root}; run the action that produced it again`,
        { cause },
      );
    });
    if (createHash('sha256').update(text).digest('hex') !== sha256) {
      throw new ArtifactStoreError(
        `manifest of artifact ${artifact.name} does not match its sha256; the store at ${this.root} is corrupt`,
      );
    }
    return parseManifest(text);
  }

  async #storeBlob(file: string): Promise<{ sha256: string; size: number }> {
    const tmp = this.#tmpPath();
    const hash = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        createReadStream(file),
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        createWriteStream(tmp, { mode: 0o644 }),
      );
      const sha256 = hash.digest('hex');
      const target = this.#blobPath(sha256);
      if (await exists(target)) {
        await rm(tmp, { force: true });
      } else {
        await mkdir(dirname(target), { recursive: true });
        await rename(tmp, target);
      }
      return { sha256, size };
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  async #writeAtomic(target: string, text: string): Promise<void> {
    const tmp = this.#tmpPath();
    await writeFile(tmp, text, { flush: true });
    await mkdir(dirname(target), { recursive: true });
    await rename(tmp, target);
  }

  #tmpPath(): string {
    this.#counter += 1;
    return join(this.root, 'tmp', `${process.pid}-${this.#counter}-${randomBytes(4).toString('hex')}`);
  }

  #blobPath(sha256: string): string {
    return join(this.root, 'blobs', sha256.slice(0, 2), sha256);
  }

  #manifestPath(sha256: string): string {
    return join(this.root, 'manifests', `${sha256}.json`);
  }
}

/**
 * The sha256 named by a local artifact uri; throws for any other uri.
 *
 * @example
 * ```ts
 * parseArtifactUri(`pipewright-artifact:sha256/${'a'.repeat(64)}`); // 'aaaa…'
 * ```
 */
export function parseArtifactUri(uri: string): string {
  const hex = uri.startsWith(ARTIFACT_URI_PREFIX) ? uri.slice(ARTIFACT_URI_PREFIX.length) : '';
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new ArtifactStoreError(
      `${uri} is not a local artifact uri (${ARTIFACT_URI_PREFIX}<sha256>); was it stored by another artifact store?`,
    );
  }
  return hex;
}

function describe(name: string, sha256: string, entries: readonly ManifestEntry[]): StoredArtifact {
  let size = 0;
  for (const e of entries) if (e.type === 'file') size += e.size;
  return { name, uri: `${ARTIFACT_URI_PREFIX}${sha256}`, sha256, size, files: entries.length };
}

async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}
