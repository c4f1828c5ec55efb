import { MemoryEventStore } from '@pipewright/engine/testing';
import { runEventStoreContract } from './event-store.contract.ts';

// The use cases' unit tests run on the in-memory store: it keeps the port's contract too.
runEventStoreContract('memory (@pipewright/engine/testing)', async () => new MemoryEventStore());
