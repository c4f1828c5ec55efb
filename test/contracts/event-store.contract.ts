/**
 * The one contract every `EventStore` adapter must pass (SQLite locally, DynamoDB in AWS).
 * An adapter's test calls `runEventStoreContract(name, makeAdapter)`; a skipped case must say why.
 */
import {
  ConcurrencyConflictError,
  type EventStore,
  InvalidCursorError,
  type NewEventRecord,
} from '@pipewright/core';
import { afterEach, describe, expect } from 'vitest';
import { type ContractCases, type ContractSkips, registerCases } from './contract-case.ts';

const at = (n: number) => `2026-11-23T10:00:${String(n % 60).padStart(2, '0')}.000Z`;
const ev = (id: string, n = 0, type = 'Test'): NewEventRecord => ({ id, type, at: at(n), data: { n } });

/** The cases every EventStore adapter must pass, by name (the names `skip` refers to). */
export const EVENT_STORE_CASES: ContractCases<EventStore> = {
  'appends to a new stream from version 0 and numbers events from 1': async (makeAdapter) => {
    const store = await makeAdapter();
    const result = await store.append('execution-a', [ev('e1'), ev('e2')], {
      expectedVersion: 0,
      pipeline: 'p',
    });
    expect(result.version).toBe(2);
    expect(result.appended.map((e) => e.seq)).toEqual([1, 2]);
    expect(result.duplicates).toEqual([]);
    expect(await store.version('execution-a')).toBe(2);
  },
  'reads back exactly what was appended, in order': async (makeAdapter) => {
    const store = await makeAdapter();
    const actor = { kind: 'user' as const, id: 'ana' };
    await store.append('s', [{ ...ev('e1', 1), actor }, ev('e2', 2)], { expectedVersion: 0 });
    await store.append('s', [ev('e3', 3)], { expectedVersion: 2 });
    const events = await store.read('s');
    expect(events).toEqual([
      { stream: 's', seq: 1, id: 'e1', type: 'Test', at: at(1), actor, data: { n: 1 } },
      { stream: 's', seq: 2, id: 'e2', type: 'Test', at: at(2), data: { n: 2 } },
      { stream: 's', seq: 3, id: 'e3', type: 'Test', at: at(3), data: { n: 3 } },
    ]);
  },
  'reads from a sequence number with a limit': async (makeAdapter) => {
    const store = await makeAdapter();
    await store.append('s', [ev('a'), ev('b'), ev('c'), ev('d')], { expectedVersion: 0 });
    expect((await store.read('s', { fromSeq: 2, limit: 2 })).map((e) => e.id)).toEqual(['b', 'c']);
    expect((await store.read('s', { fromSeq: 5 })).map((e) => e.id)).toEqual([]);
  },
  'reads an unknown stream as empty at version 0': async (makeAdapter) => {
    const store = await makeAdapter();
    expect(await store.read('nope')).toEqual([]);
    expect(await store.version('nope')).toBe(0);
  },
  'rejects a stale expectedVersion with a retryable ConcurrencyConflictError and writes nothing': async (
    makeAdapter,
  ) => {
    const store = await makeAdapter();
    await store.append('s', [ev('a')], { expectedVersion: 0 });
    const error = await store.append('s', [ev('b')], { expectedVersion: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyConflictError);
    expect((error as ConcurrencyConflictError).retryable).toBe(true);
    expect((error as ConcurrencyConflictError).actualVersion).toBe(1);
    expect((await store.read('s')).map((e) => e.id)).toEqual(['a']);
  },
  'treats a duplicate delivery of the same events as a no-op, even with a stale version': async (
    makeAdapter,
  ) => {
    const store = await makeAdapter();
    await store.append('s', [ev('a'), ev('b')], { expectedVersion: 0 });
    const again = await store.append('s', [ev('a'), ev('b')], { expectedVersion: 0 });
    expect(again).toEqual({ version: 2, appended: [], duplicates: ['a', 'b'] });
    expect(await store.version('s')).toBe(2);
  },
  'skips duplicates within a batch and appends the rest': async (makeAdapter) => {
    const store = await makeAdapter();
    await store.append('s', [ev('a')], { expectedVersion: 0 });
    const result = await store.append('s', [ev('a'), ev('b'), ev('b')], { expectedVersion: 1 });
    expect(result.appended.map((e) => [e.id, e.seq])).toEqual([['b', 2]]);
    expect(result.duplicates).toEqual(['a', 'b']);
  },
  'appends at the end with expectedVersion any': async (makeAdapter) => {
    const store = await makeAdapter();
    await store.append('s', [ev('a')], { expectedVersion: 0 });
    const result = await store.append('s', [ev('b')], { expectedVersion: 'any' });
    expect(result.appended[0]?.seq).toBe(2);
  },
  'keeps streams independent': async (makeAdapter) => {
    const store = await makeAdapter();
    await store.append('x', [ev('a')], { expectedVersion: 0 });
    await store.append('y', [ev('a')], { expectedVersion: 0 });
    expect((await store.read('y'))[0]).toMatchObject({ stream: 'y', seq: 1, id: 'a' });
  },
  'gives concurrent appenders one total order with no gaps and no duplicates': async (makeAdapter) => {
    const store = await makeAdapter();
    const writers = 8;
    const perWriter = 15;
    const write = async (w: number) => {
      for (let i = 0; i < perWriter; i++) {
        for (;;) {
          const version = await store.version('hot');
          try {
            await store.append('hot', [ev(`w${w}-${i}`, i)], { expectedVersion: version });
            break;
          } catch (error) {
            if (!(error instanceof ConcurrencyConflictError)) throw error;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: writers }, (_, w) => write(w)));
    const events = await store.read('hot');
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: writers * perWriter }, (_, i) => i + 1));
    expect(new Set(events.map((e) => e.id)).size).toBe(writers * perWriter);
    for (let w = 0; w < writers; w++) {
      const mine = events.filter((e) => e.id.startsWith(`w${w}-`)).map((e) => (e.data as { n: number }).n);
      expect(mine).toEqual(Array.from({ length: perWriter }, (_, i) => i));
    }
  },
  "lists a pipeline's executions newest first, with paging": async (makeAdapter) => {
    const store = await makeAdapter();
    for (let i = 1; i <= 5; i++) {
      await store.append(`execution-e${i}`, [ev(`s${i}`, i, 'PipelineExecutionStarted')], {
        expectedVersion: 0,
        pipeline: 'web',
      });
    }
    await store.append('execution-other', [ev('o', 9)], { expectedVersion: 0, pipeline: 'api' });
    await store.append('pipeline-web', [ev('p', 9)], { expectedVersion: 0, pipeline: 'web' });
    const first = await store.listExecutions('web', { limit: 2 });
    expect(first.executions.map((e) => e.executionId)).toEqual(['e5', 'e4']);
    expect(first.executions[0]).toEqual({
      executionId: 'e5',
      stream: 'execution-e5',
      pipeline: 'web',
      startedAt: at(5),
    });
    const second = await store.listExecutions('web', { limit: 2, cursor: first.nextCursor });
    expect(second.executions.map((e) => e.executionId)).toEqual(['e3', 'e2']);
    const third = await store.listExecutions('web', { limit: 2, cursor: second.nextCursor });
    expect(third.executions.map((e) => e.executionId)).toEqual(['e1']);
    expect(third.nextCursor).toBeUndefined();
    expect((await store.listExecutions('none')).executions).toEqual([]);
  },
  'orders executions that started at the same instant by execution id, newest first': async (makeAdapter) => {
    const store = await makeAdapter();
    for (const id of ['a', 'c', 'b']) {
      await store.append(`execution-${id}`, [ev(`s-${id}`, 1)], { expectedVersion: 0, pipeline: 'web' });
    }
    expect((await store.listExecutions('web')).executions.map((e) => e.executionId)).toEqual(['c', 'b', 'a']);
  },
  'keeps the snapshot of the last append that stored one on the head, with its version': async (
    makeAdapter,
  ) => {
    const store = await makeAdapter();
    expect(await store.head('pipeline-web')).toEqual({ version: 0 });
    await store.append('pipeline-web', [ev('a')], { expectedVersion: 0 });
    expect(await store.head('pipeline-web')).toEqual({ version: 1 });
    await store.append('pipeline-web', [ev('b'), ev('c')], {
      expectedVersion: 1,
      snapshot: { locks: ['b'] },
    });
    await store.append('pipeline-web', [ev('d')], { expectedVersion: 3 });
    expect(await store.head('pipeline-web')).toEqual({
      version: 4,
      snapshot: { version: 3, data: { locks: ['b'] } },
    });
    await store.append('pipeline-web', [ev('e')], { expectedVersion: 'any', snapshot: { locks: [] } });
    expect(await store.head('pipeline-web')).toEqual({
      version: 5,
      snapshot: { version: 5, data: { locks: [] } },
    });
  },
  'stores no snapshot with a batch that held a duplicate, nor with a refused append': async (makeAdapter) => {
    const store = await makeAdapter();
    await store.append('pipeline-web', [ev('a')], { expectedVersion: 0, snapshot: { n: 1 } });
    await store.append('pipeline-web', [ev('a'), ev('b')], { expectedVersion: 1, snapshot: { n: 2 } });
    await store
      .append('pipeline-web', [ev('c')], { expectedVersion: 0, snapshot: { n: 3 } })
      .catch(() => undefined);
    expect(await store.head('pipeline-web')).toEqual({
      version: 2,
      snapshot: { version: 1, data: { n: 1 } },
    });
    expect((await store.read('pipeline-web')).map((e) => e.id)).toEqual(['a', 'b']);
  },
  'finds an event by its id, and nothing for an id or a stream it does not hold': async (makeAdapter) => {
    const store = await makeAdapter();
    const actor = { kind: 'user' as const, id: 'ana' };
    await store.append('triggers-web', [ev('d-1', 1), { ...ev('d-2', 2), actor }, ev('d-3', 3)], {
      expectedVersion: 'any',
    });
    expect(await store.find('triggers-web', 'd-2')).toEqual({
      stream: 'triggers-web',
      seq: 2,
      id: 'd-2',
      type: 'Test',
      at: at(2),
      actor,
      data: { n: 2 },
    });
    expect(await store.find('triggers-web', 'd-9')).toBeUndefined();
    expect(await store.find('triggers-other', 'd-1')).toBeUndefined();
  },
  'refuses a cursor it did not hand out with InvalidCursorError (an API answers 400)': async (
    makeAdapter,
  ) => {
    const store = await makeAdapter();
    for (const cursor of ['x', 'not a cursor', Buffer.from('{"skip":0}').toString('base64url')]) {
      const error = await store.listExecutions('web', { cursor }).catch((e: unknown) => e);
      expect(error, cursor).toBeInstanceOf(InvalidCursorError);
    }
  },
};

/**
 * Registers the EventStore contract for one adapter. `makeAdapter` gives a fresh, empty store;
 * every store it made is closed after each case.
 *
 * @example
 * ```ts
 * runEventStoreContract('SQLite (:memory:)', async () => SqliteEventStore.open(':memory:'));
 * ```
 */
export function runEventStoreContract(
  name: string,
  makeAdapter: () => Promise<EventStore>,
  skip?: ContractSkips,
): void {
  const open: EventStore[] = [];
  const tracked = async () => {
    const store = await makeAdapter();
    open.push(store);
    return store;
  };
  describe(`EventStore contract: ${name}`, () => {
    afterEach(async () => {
      for (const store of open.splice(0)) await store.close();
    });
    registerCases(EVENT_STORE_CASES, tracked, skip);
  });
}
