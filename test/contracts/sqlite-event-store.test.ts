import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteEventStore } from '@pipewright/local';
import { describe, expect, it } from 'vitest';
import { runEventStoreContract } from './event-store.contract.ts';

runEventStoreContract('SQLite (file)', async () =>
  SqliteEventStore.open(join(mkdtempSync(join(tmpdir(), 'pipewright-es-')), 'events.db')),
);

runEventStoreContract('SQLite (:memory:)', async () => SqliteEventStore.open(':memory:'));

describe('SqliteEventStore', () => {
  it('keeps one total order when several processes append to the same file at once', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'pipewright-es-')), 'events.db');
    SqliteEventStore.open(file).close();
    const appender = join(dirname(fileURLToPath(import.meta.url)), 'sqlite-appender.ts');
    const processes = 4;
    const perProcess = 40;
    // Act
    await Promise.all(
      Array.from(
        { length: processes },
        (_, p) =>
          new Promise<void>((resolve, reject) => {
            const child = spawn(process.execPath, [appender, file, `p${p}`, String(perProcess)], {
              stdio: 'inherit',
            });
            child.on('exit', (code) =>
              code === 0 ? resolve() : reject(new Error(`appender p${p} exited ${code}`)),
            );
          }),
      ),
    );
    // Assess
    const store = SqliteEventStore.open(file);
    const events = await store.read('hot');
    await store.close();
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: processes * perProcess }, (_, i) => i + 1));
    expect(new Set(events.map((e) => e.id)).size).toBe(processes * perProcess);
  });

  it('says what to do when the database cannot be opened', () => {
    // Prepare: a regular file where the store wants a directory
    const dir = mkdtempSync(join(tmpdir(), 'pipewright-es-'));
    const notADirectory = join(dir, 'file');
    writeFileSync(notADirectory, '');
    // Act + Assess
    expect(() => SqliteEventStore.open(join(notADirectory, 'events.db'))).toThrow(
      /cannot open the event log at .*Check that the directory is writable/,
    );
  });
});
