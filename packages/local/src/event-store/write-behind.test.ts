import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ConcurrencyConflictError } from '@pipewright/core';
import type { HistoryEvent } from '@pipewright/states';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from './sqlite-event-store.ts';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A store on a file, and a second connection that sees only what was committed. */
function openPair(): { store: SqliteEventStore; committedIds: () => number[]; marks: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'pw-write-behind-'));
  made.push(dir);
  const file = join(dir, 'events.db');
  const store = SqliteEventStore.open(file);
  const other = new DatabaseSync(file, { readOnly: true });
  return {
    store,
    committedIds: () =>
      other
        .prepare('SELECT id FROM state_machine_history ORDER BY id')
        .all()
        .map((r) => Number(r.id)),
    marks: () =>
      other
        .prepare('SELECT log FROM empty_action_logs ORDER BY log')
        .all()
        .map((r) => String(r.log)),
  };
}

const arn = 'arn:aws:states:local:000000000000:execution:web-app:7f0c';
const history = (id: number): HistoryEvent =>
  ({
    id,
    previousEventId: id - 1,
    timestamp: '2026-12-04T00:00:00.000Z',
    type: 'PassStateEntered',
  }) as HistoryEvent;
const event = (id: string) => ({ id, type: 'StageStarted', at: '2026-12-04T00:00:00.000Z', data: {} });
const turn = () => new Promise((done) => setImmediate(done));

describe('rows written behind (journal, empty-log marks)', () => {
  it('commits the queued rows with the next event append, before its events', async () => {
    // Prepare
    const { store, committedIds, marks } = openPair();
    store.journal.append(arn, history(1));
    store.journal.append(arn, history(2));
    store.emptyLogs.add('7f0c/Build/Compile/0-1.log');
    const before = committedIds();

    // Act
    await store.append('execution-7f0c', [event('e1')], { expectedVersion: 0 });

    // Assess
    expect(before).toEqual([]);
    expect(committedIds()).toEqual([1, 2]);
    expect(marks()).toEqual(['7f0c/Build/Compile/0-1.log']);
    expect(store.writeBehind.size).toBe(0);
    await store.close();
  });

  it('commits them at the end of the turn when no append comes, in one transaction', async () => {
    // Prepare
    const { store, committedIds } = openPair();
    const before = store.transactions;

    // Act
    for (let id = 1; id <= 5; id++) store.journal.append(arn, history(id));
    await turn();

    // Assess
    expect(committedIds()).toEqual([1, 2, 3, 4, 5]);
    expect(store.transactions - before).toBe(1);
    await store.close();
  });

  it('commits the appends of one turn in one transaction, settling each after its COMMIT', async () => {
    // Prepare
    const { store, committedIds } = openPair();
    const before = store.transactions;
    store.journal.append(arn, history(1));

    // Act
    const appends = ['7f0c', '8a1d', '9b2e'].map((id) =>
      store.append(`execution-${id}`, [event(`e-${id}`)], { expectedVersion: 0 }),
    );
    const beforeCommit = committedIds();
    const results = await Promise.all(appends);

    // Assess
    expect(beforeCommit).toEqual([]);
    expect(results.map((r) => r.version)).toEqual([1, 1, 1]);
    expect(committedIds()).toEqual([1]);
    expect(store.transactions - before).toBe(1);
    await store.close();
  });

  it('refuses only the conflicting append of a turn: its rows and the other appends commit', async () => {
    // Prepare
    const { store, committedIds } = openPair();
    await store.append('execution-7f0c', [event('e1')], { expectedVersion: 0 });
    store.journal.append(arn, history(1));

    // Act
    const refused = store
      .append('execution-7f0c', [event('e2')], { expectedVersion: 0 })
      .catch((e: unknown) => e);
    const accepted = store.append('execution-7f0c', [event('e3')], { expectedVersion: 1 });
    const [refusal, result] = await Promise.all([refused, accepted]);

    // Assess
    expect(refusal).toBeInstanceOf(ConcurrencyConflictError);
    expect(result.appended.map((e) => [e.id, e.seq])).toEqual([['e3', 2]]);
    expect((await store.read('execution-7f0c')).map((e) => e.id)).toEqual(['e1', 'e3']);
    expect(committedIds()).toEqual([1]);
    await store.close();
  });

  it('shows its own queued rows to its readers, and writes them when it closes', async () => {
    // Prepare
    const { store, committedIds } = openPair();
    store.journal.append(arn, history(1));
    store.emptyLogs.add('7f0c/Build/Compile/0-1.log');

    // Act
    const journal = store.journal.read('7f0c');
    const empty = store.emptyLogs.has('7f0c/Build/Compile/0-1.log');
    const unknown = store.emptyLogs.has('7f0c/Build/Compile/0-2.log');
    store.journal.append(arn, history(2));
    await store.close();
    store.journal.append(arn, history(3)); // after close: nothing, as after a crash

    // Assess
    expect(journal.executionArn).toBe(arn);
    expect(journal.events.map((e) => e.id)).toEqual([1]);
    expect(empty).toBe(true);
    expect(unknown).toBe(false);
    expect(committedIds()).toEqual([1, 2]);
  });
});
