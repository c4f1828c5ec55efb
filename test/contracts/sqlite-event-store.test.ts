import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
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

  it('keeps the log in WAL mode, so readers never block the writer', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'pipewright-es-')), 'events.db');
    const store = SqliteEventStore.open(file);
    // Act
    const other = new DatabaseSync(file, { readOnly: true });
    const mode = other.prepare('PRAGMA journal_mode').get();
    other.close();
    await store.close();
    // Assess
    expect(mode).toEqual({ journal_mode: 'wal' });
  });

  it('rolls a failed append back and keeps appending', async () => {
    // Prepare: data JSON cannot hold, so the append fails inside its transaction
    const store = SqliteEventStore.open(':memory:');
    const at = new Date(0).toISOString();
    const broken = [
      { id: 'a', type: 'Test', at, data: {} },
      { id: 'b', type: 'Test', at, data: { n: 1n } },
    ];
    // Act
    await expect(store.append('s', broken, { expectedVersion: 0 })).rejects.toThrow(/BigInt/);
    const next = await store.append('s', [{ id: 'a', type: 'Test', at, data: {} }], { expectedVersion: 0 });
    // Assess: nothing of the failed append stayed, and no transaction was left open
    expect(next.version).toBe(1);
    expect((await store.read('s')).map((e) => e.id)).toEqual(['a']);
    await store.close();
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
