import type { EventRecord, EventStore } from '@pipewright/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebChanges } from '../deps.ts';
import { DashboardReader } from './dashboard-reader.ts';
import { LiveHub, type LiveHubOptions } from './live-hub.ts';

const hubs: LiveHub[] = [];
afterEach(() => {
  for (const hub of hubs.splice(0)) hub.close();
});

/** A change feed the test publishes to. */
function feed(): WebChanges & { publish(records: EventRecord[]): void } {
  const listeners = new Set<(records: readonly EventRecord[]) => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish(records) {
      for (const l of listeners) l(records);
    },
  };
}

function record(executionId: string, seq: number, pipeline = 'shop'): EventRecord {
  return {
    id: `${executionId}:${seq}`,
    stream: `execution-${executionId}`,
    seq,
    type: seq === 1 ? 'PipelineExecutionStarted' : 'ActionProgress',
    at: new Date().toISOString(),
    data: seq === 1 ? { pipelineName: pipeline } : {},
  };
}

function hubWith(options: Partial<LiveHubOptions> & Pick<LiveHubOptions, 'resolve'>): LiveHub {
  const reader = new DashboardReader(
    { store: {} as EventStore, pipelines: { names: () => [], get: () => undefined } },
    { heard: options.changes !== undefined },
  );
  const hub = new LiveHub({ reader, ...options });
  hubs.push(hub);
  return hub;
}

interface Patch {
  regions: Record<string, string>;
}

/** Reads the stream's text until `enough` holds of the patches read (or 2 s pass). */
async function readPatches(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  enough: (patches: Patch[]) => boolean,
  patches: Patch[] = [],
): Promise<Patch[]> {
  const decoder = new TextDecoder();
  let text = '';
  const until = Date.now() + 2_000;
  while (!enough(patches) && Date.now() < until) {
    const next = await Promise.race([
      reader.read(),
      new Promise<undefined>((done) => setTimeout(() => done(undefined), until - Date.now())),
    ]);
    if (next === undefined || next.done) break;
    text += decoder.decode(next.value, { stream: true });
    let end = text.indexOf('\n\n');
    while (end !== -1) {
      const message = text.slice(0, end);
      text = text.slice(end + 2);
      const data = /^data: (.*)$/m.exec(message)?.[1];
      if (/^event: patch$/m.test(message) && data !== undefined) patches.push(JSON.parse(data) as Patch);
      end = text.indexOf('\n\n');
    }
  }
  return patches;
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Reads the whole stream's text until it ends (or `ms` pass): `ended` says which. */
async function readToEnd(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ms = 2_000,
): Promise<{ text: string; ended: boolean }> {
  const decoder = new TextDecoder();
  let text = '';
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const next = await Promise.race([
      reader.read(),
      new Promise<undefined>((done) => setTimeout(() => done(undefined), until - Date.now())),
    ]);
    if (next === undefined) break;
    if (next.done) return { text, ended: true };
    text += decoder.decode(next.value, { stream: true });
  }
  return { text, ended: false };
}

describe('LiveHub', () => {
  it('renders a burst of appends from 100 running executions a few times, and sends each browser only changed regions', async () => {
    // Prepare
    const changes = feed();
    let state = 0;
    let renders = 0;
    const hub = hubWith({
      changes,
      coalesceMs: 100,
      resolve: () => ({
        scope: { pipelines: new Set(['shop']), executions: new Set() },
        render: async () => {
          renders++;
          return { counter: `<p>${state}</p>`, form: '<input name="_csrf" value="<pw-csrf>">' };
        },
      }),
    });
    const browsers = [hub.connect('pipeline:shop', 'token-a'), hub.connect('pipeline:shop', 'token-b')].map(
      (s) => s.getReader(),
    );
    const [a, b] = browsers;
    if (a === undefined || b === undefined) throw new Error('two readers expected');
    const first = await readPatches(a, (p) => p.length >= 1);
    await readPatches(b, (p) => p.length >= 1);
    const rendersBefore = renders;

    // Act: 100 executions × 20 events, in 20 rounds a few ms apart.
    for (let seq = 1; seq <= 20; seq++) {
      state = seq;
      changes.publish(Array.from({ length: 100 }, (_, i) => record(`exec-${i}`, seq)));
      await pause(5);
    }
    changes.publish([record('elsewhere', 1, 'other-pipeline')]);
    const later = await readPatches(a, (p) => p.at(-1)?.regions.counter === '<p>20</p>');

    // Assess
    expect(first[0]?.regions).toEqual({ counter: '<p>0</p>', form: '<input name="_csrf" value="token-a">' });
    expect(later.at(-1)?.regions).toEqual({ counter: '<p>20</p>' });
    expect(later.every((p) => !('form' in p.regions))).toBe(true);
    expect(renders - rendersBefore).toBeGreaterThanOrEqual(1);
    expect(renders - rendersBefore).toBeLessThanOrEqual(4);
    expect(hub.clients).toBe(2);
    await a.cancel();
    await b.cancel();
    expect(hub.clients).toBe(0);
  });

  it('skips a browser that does not read instead of queueing for it, and sends it the latest state once it reads', async () => {
    // Prepare
    const changes = feed();
    let state = 0;
    const hub = hubWith({
      changes,
      coalesceMs: 1,
      maxQueuedBytes: 1_000,
      resolve: () => ({
        scope: { pipelines: new Set(['shop']), executions: new Set() },
        render: async () => ({ big: `<p>${state}</p>${'x'.repeat(2_000)}` }),
      }),
    });
    const reader = hub.connect('pipeline:shop', 'csrf').getReader();
    await pause(50);

    // Act: 30 changes while the browser reads nothing.
    for (let seq = 1; seq <= 30; seq++) {
      state = seq;
      changes.publish([record('exec-1', seq)]);
      await pause(5);
    }
    await pause(50);
    const patches = await readPatches(reader, (p) => p.at(-1)?.regions.big?.startsWith('<p>30</p>') === true);

    // Assess: the first state and then the latest, nothing in between.
    expect(patches.map((p) => p.regions.big?.slice(0, 9))).toEqual(['<p>0</p>x', '<p>30</p>']);
    await reader.cancel();
  });

  it('without a change feed, renders listened views again on an interval, and stops once the browser leaves', async () => {
    // Prepare
    let state = 0;
    let renders = 0;
    const hub = hubWith({
      tailMs: 20,
      coalesceMs: 1,
      resolve: () => ({
        scope: { pipelines: new Set(['shop']), executions: new Set() },
        render: async () => {
          renders++;
          return { counter: `<p>${state}</p>` };
        },
      }),
    });
    const reader = hub.connect('pipeline:shop', 'csrf').getReader();
    await readPatches(reader, (p) => p.length >= 1);

    // Act
    state = 7;
    const patches = await readPatches(reader, (p) => p.at(-1)?.regions.counter === '<p>7</p>');
    await reader.cancel();
    const afterLeaving = renders;
    await pause(100);

    // Assess
    expect(patches.at(-1)?.regions).toEqual({ counter: '<p>7</p>' });
    expect(renders).toBe(afterLeaving);
    expect(hub.clients).toBe(0);
  });

  it('sends a browser that connects with its page’s generation nothing until something changes', async () => {
    // Prepare
    const changes = feed();
    let state = 0;
    const hub = hubWith({
      changes,
      coalesceMs: 1,
      resolve: () => ({
        scope: { pipelines: new Set(), executions: new Set(['exec-9']) },
        render: async () => ({ stable: '<p>same</p>', counter: `<p>${state}</p>` }),
      }),
    });
    const { gen } = await hub.renderForPage('execution:shop:exec-9');
    const reader = hub.connect('execution:shop:exec-9', 'csrf', gen).getReader();

    // Act
    await pause(50);
    state = 1;
    changes.publish([record('exec-8', 2)]);
    changes.publish([record('exec-9', 2)]);
    const patches = await readPatches(reader, (p) => p.length >= 1);

    // Assess: the first patch has only what changed since the page (nothing was sent before it).
    expect(patches).toEqual([{ regions: { counter: '<p>1</p>' }, gen: expect.any(String) }]);
    await reader.cancel();
  });

  it('refuses more browsers than it takes', () => {
    const hub = hubWith({
      maxClients: 1,
      resolve: () => ({
        scope: { pipelines: new Set(), executions: new Set() },
        render: async () => ({}),
      }),
    });
    hub.connect('overview', 'csrf');
    expect(() => hub.connect('overview', 'csrf')).toThrow('1 browsers already listen');
  });

  it('without a change feed, reads the view’s version marker on the interval and renders only when it moved', async () => {
    // Prepare
    let version = 1;
    let state = 0;
    let renders = 0;
    let checks = 0;
    const hub = hubWith({
      tailMs: 20,
      coalesceMs: 1,
      resolve: () => ({
        scope: { pipelines: new Set(), executions: new Set(['exec-1']) },
        render: async () => {
          renders++;
          return { counter: `<p>${state}</p>` };
        },
        version: async () => {
          checks++;
          return String(version);
        },
      }),
    });
    const reader = hub.connect('execution:shop:exec-1', 'csrf').getReader();
    await readPatches(reader, (p) => p.length >= 1);
    const rendersAtStart = renders;

    // Act: ten intervals with the marker still, then it moves.
    await pause(200);
    const rendersWhileStill = renders;
    const checksWhileStill = checks;
    state = 5;
    version = 2;
    const patches = await readPatches(reader, (p) => p.at(-1)?.regions.counter === '<p>5</p>');

    // Assess
    expect(rendersWhileStill).toBe(rendersAtStart);
    expect(checksWhileStill).toBeGreaterThanOrEqual(4);
    expect(patches.at(-1)?.regions).toEqual({ counter: '<p>5</p>' });
    expect(renders).toBe(rendersAtStart + 1);
    await reader.cancel();
  });

  it('ends each stream with a bye event after maxStreamMs or the end the caller gives, whichever is first', async () => {
    // Prepare
    const hub = hubWith({
      maxStreamMs: 150,
      coalesceMs: 1,
      changes: feed(),
      resolve: () => ({
        scope: { pipelines: new Set(), executions: new Set() },
        render: async () => ({ a: '<p>a</p>' }),
      }),
    });

    // Act
    const started = Date.now();
    const [capped, early] = await Promise.all([
      readToEnd(hub.connect('overview', 'csrf').getReader()),
      readToEnd(hub.connect('overview', 'csrf', undefined, { endInMs: 20 }).getReader()),
    ]);

    // Assess
    for (const stream of [capped, early]) {
      expect(stream.ended).toBe(true);
      expect(stream.text).toMatch(/event: bye\ndata: \{\}\n\n$/);
    }
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(hub.clients).toBe(0);
  });

  it('sends what differs from the generation a reconnecting browser names when it still holds it, else everything', async () => {
    // Prepare: a page at generation P, a patch at Q (a → a1), then a → back to what P showed.
    const changes = feed();
    let a = '<p>a0</p>';
    const hub = hubWith({
      changes,
      coalesceMs: 1,
      resolve: () => ({
        scope: { pipelines: new Set(), executions: new Set(['exec-9']) },
        render: async () => ({ a, b: '<p>b</p>' }),
      }),
    });
    const key = 'execution:shop:exec-9';
    const { gen: page } = await hub.renderForPage(key);
    const first = hub.connect(key, 'csrf', page).getReader();
    a = '<p>a1</p>';
    changes.publish([record('exec-9', 2)]);
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: patch')) text += decoder.decode((await first.read()).value);
    const q = /^id: (.+)$/m.exec(text)?.[1] ?? '';
    await first.cancel();
    a = '<p>a0</p>';

    // Act
    const fromQ = await readPatches(hub.connect(key, 'csrf', q).getReader(), (p) => p.length >= 1);
    const fromUnknown = await readPatches(
      hub.connect(key, 'csrf', 'elsewhere.7').getReader(),
      (p) => p.length >= 1,
    );

    // Assess
    expect(q).toMatch(/^\w+\.\d+$/);
    expect(text).toContain(`"gen":"${q}"`);
    expect(fromQ[0]?.regions).toEqual({ a: '<p>a0</p>' });
    expect(fromUnknown[0]?.regions).toEqual({ a: '<p>a0</p>', b: '<p>b</p>' });
  });

  it('closes every stream on close, and ends streams asked for afterwards at once', async () => {
    const hub = hubWith({
      changes: feed(),
      resolve: () => ({
        scope: { pipelines: new Set(), executions: new Set() },
        render: async () => ({ a: '<p>a</p>' }),
      }),
    });
    const open = hub.connect('overview', 'csrf').getReader();
    await pause(20);
    hub.close();
    expect((await readToEnd(open)).ended).toBe(true);
    expect((await readToEnd(hub.connect('overview', 'csrf').getReader())).ended).toBe(true);
    expect(hub.clients).toBe(0);
  });
});
