/**
 * The in-memory adapters the engine's unit tests run on (`@pipewright/engine/testing`) pass the
 * same contracts as the SQLite, file, DynamoDB and S3 adapters, so a use case tested on them
 * behaves the same on the real ones.
 */
import { MemoryActionLogStore, MemoryArtifactStore, MemoryEventStore } from '@pipewright/engine/testing';
import { runActionLogStoreContract } from './action-log-store.contract.ts';
import { runArtifactStoreContract } from './artifact-store.contract.ts';
import { runEventStoreContract } from './event-store.contract.ts';

runEventStoreContract('memory', async () => new MemoryEventStore());
runArtifactStoreContract('memory', async () => new MemoryArtifactStore());
runActionLogStoreContract('memory', async () => new MemoryActionLogStore());
