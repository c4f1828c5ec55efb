/**
 * Artifacts in memory, for unit tests: the selected files of a directory are read into a map
 * keyed by their content's sha256 (storing the same content twice stores it once), and written
 * back on extract. Symbolic links are kept as links.
 *
 * @example
 * ```ts
 * const artifacts = new MemoryArtifactStore();
 * const out = await artifacts.putDirectory(workspace, { name: 'BuildOutput' });
 * await artifacts.extractTo(out, elsewhere);
 * ```
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EngineTestingError } from '../errors.ts';
import type { ArtifactStore, PutDirectoryOptions, StoredArtifact } from '../ports/artifact-store.ts';
import { selectArtifactFiles } from '../select-artifact-files.ts';

type Entry = { path: string; bytes: Uint8Array; mode: number } | { path: string; target: string };

/** The in-memory artifact store. */
export class MemoryArtifactStore implements ArtifactStore {
  readonly #artifacts = new Map<string, Entry[]>();

  async putDirectory(dir: string, options: PutDirectoryOptions): Promise<StoredArtifact> {
    const selected = await selectArtifactFiles(dir, options, (message) => new EngineTestingError(message));
    const entries: Entry[] = [];
    for (const e of selected) {
      if (e.kind === 'symlink') entries.push({ path: e.path, target: e.target });
      else
        entries.push({ path: e.path, bytes: await readFile(e.absolute), mode: e.executable ? 0o755 : 0o644 });
    }
    entries.sort((a, b) => (a.path < b.path ? -1 : 1));
    const manifest = createHash('sha256');
    let size = 0;
    for (const e of entries) {
      manifest.update(`${e.path}\0`);
      if ('bytes' in e) {
        manifest.update(e.bytes);
        size += e.bytes.length;
      } else manifest.update(`-> ${e.target}\0`);
    }
    const sha256 = manifest.digest('hex');
    this.#artifacts.set(sha256, entries);
    return { name: options.name, uri: `memory:sha256/${sha256}`, sha256, size, files: entries.length };
  }

  async extractTo(artifact: StoredArtifact, dir: string): Promise<void> {
    const entries = this.#artifacts.get(artifact.sha256);
    if (entries === undefined)
      throw new EngineTestingError(`no artifact ${artifact.uri} in this memory store; store it first`);
    await mkdir(dir, { recursive: true });
    for (const e of entries) {
      const to = join(dir, e.path);
      await mkdir(dirname(to), { recursive: true });
      if ('bytes' in e) await writeFile(to, e.bytes, { mode: e.mode });
      else await symlink(e.target, to);
    }
  }
}
