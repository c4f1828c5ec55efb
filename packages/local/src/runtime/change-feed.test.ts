import type { EventRecord } from '@pipewright/core';
import { describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../event-store/sqlite-event-store.ts';
import { ChangeFeed, observeAppends } from './change-feed.ts';

const at = '2026-01-09T10:00:00.000Z';
const event = (id: string) => ({ id, type: 'Noted', at, data: { id } });

describe('ChangeFeed over a SQLite store', () => {
  it('tells every listener each batch written, once, and nothing for duplicates or refused appends', async () => {
    // Prepare
    const store = SqliteEventStore.open(':memory:');
    const feed = new ChangeFeed();
    observeAppends(store, feed);
    const heard: string[][] = [];
    const also: number[] = [];
    feed.subscribe((records) => heard.push(records.map((r) => `${r.stream}#${r.seq} ${r.id}`)));
    feed.subscribe((records) => also.push(records.length));

    // Act
    await store.append('execution-a', [event('e1'), event('e2')], { expectedVersion: 0, pipeline: 'p' });
    await store.append('execution-a', [event('e1'), event('e2')], { expectedVersion: 0, pipeline: 'p' });
    await expect(store.append('execution-a', [event('e3')], { expectedVersion: 0 })).rejects.toThrow();
    await store.append('pipeline-p', [event('t1')], { expectedVersion: 'any' });

    // Assess
    expect(heard).toEqual([['execution-a#1 e1', 'execution-a#2 e2'], ['pipeline-p#1 t1']]);
    expect(also).toEqual([2, 1]);
    await store.close();
  });

  it('reports a listener that throws and still appends and tells the others; unsubscribing stops a listener', async () => {
    // Prepare
    const store = SqliteEventStore.open(':memory:');
    const errors: unknown[] = [];
    const feed = new ChangeFeed({ onError: (e) => errors.push(e) });
    observeAppends(store, feed);
    const heard: EventRecord[] = [];
    feed.subscribe(() => {
      throw new Error('listener bug');
    });
    const stop = feed.subscribe((records) => heard.push(...records));

    // Act
    const result = await store.append('execution-b', [event('e1')], { expectedVersion: 0 });
    stop();
    await store.append('execution-b', [event('e2')], { expectedVersion: 1 });

    // Assess
    expect(result.version).toBe(1);
    expect(await store.version('execution-b')).toBe(2);
    expect(heard.map((r) => r.id)).toEqual(['e1']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['listener bug', 'listener bug']);
    expect(feed.size).toBe(1);
    await store.close();
  });
});
