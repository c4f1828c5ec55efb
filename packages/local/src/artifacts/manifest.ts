/**
 * The manifest of a stored artifact: every file's path, mode, size and content hash, in one
 * canonical JSON form. The artifact's sha256 is the sha256 of these canonical bytes, so equal
 * content always gives the same artifact id, whatever its name or the order files were found in.
 *
 * @example
 * ```ts
 * const text = canonicalManifest({ version: 1, entries: [{ path: 'a.txt', type: 'file', mode: 0o644, size: 1, sha256: '…' }] });
 * ```
 */

import { unsafeArtifactLink } from '@pipewright/engine';
import { ArtifactStoreError } from './errors.ts';

/** A regular file: its bytes live in the blob named by `sha256`. */
export interface ManifestFile {
  /** POSIX path relative to the artifact root, no `.`/`..` segments. */
  path: string;
  type: 'file';
  /** `0o755` when the file was executable, else `0o644`. */
  mode: number;
  size: number;
  sha256: string;
}

/** A symbolic link, kept as a link; its target must stay inside the artifact. */
export interface ManifestSymlink {
  path: string;
  type: 'symlink';
  target: string;
}

export type ManifestEntry = ManifestFile | ManifestSymlink;

/** Version 1 of the manifest format. */
export interface Manifest {
  version: 1;
  entries: ManifestEntry[];
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Serializes a manifest canonically: entries sorted by path (byte order), keys in a fixed order.
 *
 * @example
 * ```ts
 * canonicalManifest({ version: 1, entries: [] }); // '{"version":1,"entries":[]}'
 * ```
 */
export function canonicalManifest(manifest: Manifest): string {
  const entries = [...manifest.entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const parts = entries.map((e) =>
    e.type === 'file'
      ? JSON.stringify({ path: e.path, type: e.type, mode: e.mode, size: e.size, sha256: e.sha256 })
      : JSON.stringify({ path: e.path, type: e.type, target: e.target }),
  );
  return `{"version":1,"entries":[${parts.join(',')}]}`;
}

/**
 * Throws unless `path` is a safe relative POSIX path: not empty, not absolute, no `.`/`..`/empty
 * segments, no backslash or NUL. Used on every manifest read so a tampered manifest cannot write
 * outside the extraction directory.
 *
 * @example
 * ```ts
 * assertSafeRelativePath('dist/app.js'); // ok
 * assertSafeRelativePath('../etc/passwd'); // throws ArtifactStoreError
 * ```
 */
export function assertSafeRelativePath(path: string): void {
  const bad = (why: string): never => {
    throw new ArtifactStoreError(
      `manifest path ${JSON.stringify(path)} ${why}; the artifact store is corrupt or was tampered with — delete the artifact and run the action again`,
    );
  };
  if (path.length === 0) bad('is empty');
  if (path.startsWith('/')) bad('is absolute');
  if (path.includes('\\') || path.includes('\0')) bad('holds a backslash or NUL');
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') bad('has an empty, "." or ".." segment');
  }
}

/**
 * Parses and checks a manifest read from disk: shape, hashes, safe paths, no duplicates, safe
 * symlinks (see the engine's `unsafeArtifactLink`).
 *
 * @example
 * ```ts
 * const manifest = parseManifest(await readFile(file, 'utf8'));
 * ```
 */
export function parseManifest(text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ArtifactStoreError('a manifest is not JSON; the artifact store is corrupt', { cause });
  }
  const obj = raw as { version?: unknown; entries?: unknown };
  if (typeof obj !== 'object' || obj === null || obj.version !== 1 || !Array.isArray(obj.entries)) {
    throw new ArtifactStoreError('a manifest is not a version 1 manifest; the artifact store is corrupt');
  }
  const seen = new Set<string>();
  const entries: ManifestEntry[] = obj.entries.map((e: unknown) => {
    const entry = e as {
      path?: unknown;
      type?: unknown;
      mode?: unknown;
      size?: unknown;
      sha256?: unknown;
      target?: unknown;
    };
    if (typeof entry.path !== 'string') throw new ArtifactStoreError('a manifest entry has no path');
    assertSafeRelativePath(entry.path);
    if (seen.has(entry.path)) throw new ArtifactStoreError(`manifest lists ${entry.path} twice`);
    seen.add(entry.path);
    if (entry.type === 'symlink' && typeof entry.target === 'string') {
      return { path: entry.path, type: 'symlink', target: entry.target };
    }
    if (
      entry.type === 'file' &&
      (entry.mode === 0o644 || entry.mode === 0o755) &&
      typeof entry.size === 'number' &&
      Number.isSafeInteger(entry.size) &&
      entry.size >= 0 &&
      typeof entry.sha256 === 'string' &&
      HEX64.test(entry.sha256)
    ) {
      return { path: entry.path, type: 'file', mode: entry.mode, size: entry.size, sha256: entry.sha256 };
    }
    throw new ArtifactStoreError(`manifest entry ${entry.path} is malformed; the artifact store is corrupt`);
  });
  const unsafe = unsafeArtifactLink(entries);
  if (unsafe) {
    throw new ArtifactStoreError(
      `manifest symlink ${unsafe.reason}; the artifact store is corrupt or was tampered with`,
    );
  }
  return { version: 1, entries };
}
