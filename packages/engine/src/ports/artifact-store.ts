/**
 * Where artifacts live: content-addressed files under `.pipewright/artifacts` locally, S3 with
 * KMS in AWS. Artifacts are passed between actions by reference (`StoredArtifact`); events
 * record the reference, its size and its sha256, never the bytes.
 *
 * @example
 * ```ts
 * const out = await artifacts.putDirectory(workspace, { name: 'BuildOutput', files: ['dist/**'] });
 * // later, in another action's workspace:
 * await artifacts.extractTo(out, inputDir);
 * ```
 */
export interface StoredArtifact {
  /** The artifact's name in the pipeline (`outputArtifacts[].name`). */
  name: string;
  /** Where the store keeps it, e.g. `pipewright-artifact:sha256/<hex>` or `s3://bucket/key`. */
  uri: string;
  /** sha256 (hex) of the artifact's content (for a directory: of its manifest). */
  sha256: string;
  /** Total size of its files in bytes. */
  size: number;
  /** Number of files. */
  files: number;
}

/** Options for storing a directory as an artifact. */
export interface PutDirectoryOptions {
  name: string;
  /** Globs (picomatch, relative to `baseDirectory`) selecting the files; default: every file. */
  files?: readonly string[];
  /** Sub-directory the globs and stored paths are relative to (CodeBuild's `base-directory`). */
  baseDirectory?: string;
  /** Store files without their directories (CodeBuild's `discard-paths`). */
  discardPaths?: boolean;
}

/** The artifact store port. Adapters: local filesystem, S3; both run `test/contracts/artifact-store.contract.ts`. */
export interface ArtifactStore {
  /** Stores the selected files of a directory; storing the same content twice stores it once. */
  putDirectory(dir: string, options: PutDirectoryOptions): Promise<StoredArtifact>;
  /** Writes an artifact's files into `dir` (created if missing). */
  extractTo(artifact: StoredArtifact, dir: string): Promise<void>;
}
