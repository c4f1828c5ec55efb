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

  it('opens a log written before streams had snapshots, reads it, and keeps snapshots from then on', async () => {
    // Prepare: the streams table as it was, with one pipeline stream
    const file = join(mkdtempSync(join(tmpdir(), 'pipewright-es-')), 'events.db');
    const old = new DatabaseSync(file);
    old.exec(`CREATE TABLE streams (stream TEXT PRIMARY KEY, version INTEGER NOT NULL, kind TEXT NOT NULL,
      pipeline TEXT, created_at TEXT NOT NULL) STRICT;
      CREATE TABLE events (stream TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL,
      at TEXT NOT NULL, actor TEXT, data TEXT NOT NULL, PRIMARY KEY (stream, seq), UNIQUE (stream, id)) STRICT;
      INSERT INTO streams VALUES ('pipeline-web', 1, 'pipeline', NULL, '2026-01-01T00:00:00.000Z');
      INSERT INTO events VALUES ('pipeline-web', 1, 'old', 'Test', '2026-01-01T00:00:00.000Z', NULL, '{}');`);
    old.close();
    // Act
    const store = SqliteEventStore.open(file);
    const before = await store.head('pipeline-web');
    await store.append(
      'pipeline-web',
      [{ id: 'new', type: 'Test', at: '2026-01-02T00:00:00.000Z', data: {} }],
      {
        expectedVersion: 1,
        snapshot: { folded: 2 },
      },
    );
    // Assess
    expect(before).toEqual({ version: 1 });
    expect((await store.find('pipeline-web', 'old'))?.seq).toBe(1);
    expect(await store.head('pipeline-web')).toEqual({
      version: 2,
      snapshot: { version: 2, data: { folded: 2 } },
    });
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
