// A separate OS process appending to a shared SQLite event log (used by sqlite-event-store.test.ts).
import { ConcurrencyConflictError } from '@pipewright/core';
import { SqliteEventStore } from '@pipewright/local';

const [file, name, count] = process.argv.slice(2);
if (!file || !name || !count) throw new Error('usage: sqlite-appender.ts <db> <name> <count>');
const store = SqliteEventStore.open(file);
for (let i = 0; i < Number(count); i++) {
  for (;;) {
    const version = await store.version('hot');
    try {
      await store.append(
        'hot',
        [{ id: `${name}-${i}`, type: 'Test', at: new Date().toISOString(), data: { i } }],
        {
          expectedVersion: version,
        },
      );
      break;
    } catch (error) {
      if (!(error instanceof ConcurrencyConflictError)) throw error;
    }
  }
}
await store.close();
