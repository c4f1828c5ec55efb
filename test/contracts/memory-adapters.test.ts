/**
 * The in-memory adapters the engine's unit tests run on (`@pipewright/engine/testing`) pass the
 * same contracts as the SQLite, file, DynamoDB and S3 adapters, so a use case tested on them
 * behaves the same on the real ones. (MemoryTaskTokens runs its suite in
 * `memory-task-tokens.test.ts`.)
 *
 * Not run here, and why:
 * - `RecordingOrchestrator` and the Orchestrator suite. The suite's harness is a state machine
 *   service (tasks dispatched with tokens it issued, executions that succeed, fail or abort);
 *   RecordingOrchestrator is a recorder of the engine's calls with no state machine behind it.
 *   It issues no tokens, and it answers `sent` to any token not yet answered or closed, because
 *   the engine's unit tests answer tasks whose token is the task's key without starting a
 *   state machine. So the cases "answers closed for a token it never issued", "stops an
 *   execution: its waiting task closes" and every `outcome` would test a state machine written
 *   into the harness, not the recorder.
 * - The Notifier suite: it covers the email adapters (SMTP, SNS); the engine has no in-memory
 *   notifier.
 */
import { MemoryActionLogStore, MemoryArtifactStore, MemoryEventStore } from '@pipewright/engine/testing';
import { runActionLogStoreContract } from './action-log-store.contract.ts';
import { runArtifactStoreContract } from './artifact-store.contract.ts';
import { runEventStoreContract } from './event-store.contract.ts';

runEventStoreContract('memory', async () => new MemoryEventStore());
runArtifactStoreContract('memory', async () => new MemoryArtifactStore());
runActionLogStoreContract('memory', async () => new MemoryActionLogStore());
