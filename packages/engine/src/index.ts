/** `@pipewright/engine`: use cases over ports and the action-provider interface. Explicit named re-exports only. */
export type {
  ActionFailureType,
  ActionInput,
  ActionLog,
  ActionOutcome,
  ActionProvider,
  ActionRun,
} from './action-provider.ts';
export type { ArtifactStore, PutDirectoryOptions, StoredArtifact } from './ports/artifact-store.ts';
