import { join } from 'node:path';
import { FileActionLogStore, SqliteEventStore } from '@pipewright/local';
import { afterAll } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { tempDir } from '../support/temp-dirs.ts';
import { runActionLogStoreContract } from './action-log-store.contract.ts';

const cleanups = cleanupsAfter(afterAll);

runActionLogStoreContract('files', async () => new FileActionLogStore(await tempDir(cleanups, 'pw-logs-')));

// The local runtime's wiring: attempts that wrote nothing are marked in the event database.
runActionLogStoreContract('files, empty logs marked in SQLite', async () => {
  const root = await tempDir(cleanups, 'pw-logs-');
  const store = SqliteEventStore.open(join(root, 'events.db'));
  cleanups.add(() => store.close());
  return new FileActionLogStore(join(root, 'logs'), { emptyLogs: store.emptyLogs });
});
