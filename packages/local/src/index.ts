/** `@pipewright/local`: local adapters. Explicit named re-exports only. */
export {
  ARTIFACT_URI_PREFIX,
  ArtifactStoreError,
  FileArtifactStore,
  type FileArtifactStoreOptions,
  type Manifest,
  type ManifestEntry,
  type ManifestFile,
  type ManifestSymlink,
  parseArtifactUri,
} from './artifacts/index.ts';
export { LocalStoreError } from './errors.ts';
export { SqliteEventStore, type SqliteEventStoreOptions } from './event-store/sqlite-event-store.ts';
