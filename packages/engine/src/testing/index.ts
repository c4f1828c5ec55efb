/**
 * `@pipewright/engine/testing`: in-memory adapters of the engine's ports, for fast unit tests
 * of use cases (not part of the main entry point). Explicit named re-exports only.
 *
 * @example
 * ```ts
 * import { MemoryEventStore, RecordingOrchestrator } from '@pipewright/engine/testing';
 * ```
 */
export { MemoryTaskTokens } from '../ports/task-tokens.ts';
export { MemoryActionLogStore } from './memory-action-log-store.ts';
export { MemoryArtifactStore } from './memory-artifact-store.ts';
export { MemoryEventStore } from './memory-event-store.ts';
export { type RecordedAnswer, RecordingOrchestrator } from './recording-orchestrator.ts';
