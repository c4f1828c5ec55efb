/**
 * Artifacts in memory, for unit tests: the selected files of a directory are read into a map
 * keyed by the artifact's uri, `memory:sha256/<hex>`, where `hex` hashes a manifest of paths,
 * modes, content hashes and link targets (storing the same content twice stores it once), and
 * written back on extract. It keeps the file and S3 stores' rules
 * (`test/contracts/artifact-store.contract.ts`): links that could lead outside the artifact
 * are left out, `files` counts files and links, and extracting never writes through a symlink
 * that leads out of the target directory.
 *
 * @example
 * ```ts
 * const artifacts = new MemoryArtifactStore();
 * const out = await artifacts.putDirectory(workspace, { name: 'BuildOutput' });
 * await artifacts.extractTo(out, elsewhere);
 * ```
 */
import { createHash } from 'node:crypto';
import { chmod, readFile, symlink, writeFile } from 'node:fs/promises';
import { EngineTestingError } from '../errors.ts';
import { extractionTargets } from '../extraction-targets.ts';
import type { ArtifactStore, PutDirectoryOptions, StoredArtifact } from '../ports/artifact-store.ts';
import { selectArtifactFiles } from '../select-artifact-files.ts';
import { withoutUnsafeLinks } from '../unsafe-artifact-link.ts';

type Entry =
  | { path: string; type: 'file'; mode: number; bytes: Uint8Array }
  | { path: string; type: 'symlink'; target: string };

const sha256Of = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/** The in-memory artifact store. */
export class MemoryArtifactStore implements ArtifactStore {
  readonly #artifacts = new Map<string, readonly Entry[]>();

  async putDirectory(dir: string, options: PutDirectoryOptions): Promise<StoredArtifact> {
    const selected = await selectArtifactFiles(dir, options, (message) => new EngineTestingError(message));
    const entries: Entry[] = [];
    for (const e of selected) {
      if (e.kind === 'symlink') entries.push({ path: e.path, type: 'symlink', target: e.target });
      else {
        const bytes = await readFile(e.absolute);
        entries.push({ path: e.path, type: 'file', mode: e.executable ? 0o755 : 0o644, bytes });
      }
    }
    const kept = withoutUnsafeLinks(entries);
    const manifest = kept.map((e) =>
      e.type === 'file' ? [e.path, e.mode, sha256Of(e.bytes)] : [e.path, 'symlink', e.target],
    );
    const sha256 = sha256Of(JSON.stringify(manifest));
    const uri = `memory:sha256/${sha256}`;
    this.#artifacts.set(uri, kept);
    let size = 0;
    for (const e of kept) if (e.type === 'file') size += e.bytes.length;
    return { name: options.name, uri, sha256, size, files: kept.length };
  }

  async extractTo(artifact: StoredArtifact, dir: string): Promise<void> {
    const entries = this.#artifacts.get(artifact.uri);
    if (entries === undefined || artifact.uri !== `memory:sha256/${artifact.sha256}`) {
      throw new EngineTestingError(
        `artifact ${artifact.name} (${artifact.uri}) is not in this memory store; store it with putDirectory first`,
      );
    }
    const targets = await extractionTargets(dir, (message) => new EngineTestingError(message));
    // Files first, then links: no file is ever written below a link the artifact holds.
    for (const e of entries) {
      if (e.type !== 'file') continue;
      const target = await targets.entry(e.path);
      await writeFile(target, e.bytes, { mode: e.mode });
      await chmod(target, e.mode);
    }
    for (const e of entries) {
      if (e.type === 'symlink') await symlink(e.target, await targets.entry(e.path));
    }
  }
}
