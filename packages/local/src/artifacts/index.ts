/**
 * The local, content-addressed artifact store.
 *
 * @example
 * ```ts
 * import { FileArtifactStore } from './artifacts/index.ts';
 * const store = new FileArtifactStore({ root: '.pipewright/artifacts' });
 * ```
 */
export { ArtifactStoreError } from './errors.ts';
export {
  ARTIFACT_URI_PREFIX,
  FileArtifactStore,
  type FileArtifactStoreOptions,
  parseArtifactUri,
} from './file-artifact-store.ts';
export type { Manifest, ManifestEntry, ManifestFile, ManifestSymlink } from './manifest.ts';
