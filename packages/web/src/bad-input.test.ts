/**
 * Bad input, each case in one table: unsigned, tampered, expired and replayed approval links;
 * bad webhook signatures; malformed JSON; unknown pipelines and executions; bodies over 1 MiB;
 * a missing or wrong API token. Every case answers the status its row documents, with a message
 * that says what is wrong and what to do — `{ error: { code, message } }` on `/api`, `/events`
 * and `/webhooks`, an HTML page on `/approvals` — reports no unexpected error, and appends
 * nothing to the event log (every append of the store is watched, and the streams involved are
 * counted before and after).
 */
import { type EventStore, executionStream, pipelineStream } from '@pipewright/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { API_CASES, EVENT_CASES } from './bad-input-api-cases.test-helper.ts';
import { form, LINK_CASES, WEBHOOK_CASES, type World } from './bad-input-cases.test-helper.ts';
import { openTriggerHarness } from './triggers/trigger-harness.test-helper.ts';
import { closeWebHarnesses, PIPELINE } from './web-harness.test-helper.ts';

const CASES = [...LINK_CASES, ...WEBHOOK_CASES, ...API_CASES, ...EVENT_CASES];

/** Every event appended through the store, as `stream type`. */
function watchAppends(store: EventStore): string[] {
  const appended: string[] = [];
  const append = store.append.bind(store);
  store.append = async (stream, events, options) => {
    const result = await append(stream, events, options);
    appended.push(...result.appended.map((e) => `${stream} ${e.type}`));
    return result;
  };
  return appended;
}

let w: World;
let appended: string[];
const unexpected: unknown[] = [];

async function streamVersions(): Promise<number[]> {
  const store = w.t.h.runtime.store;
  return Promise.all(
    [
      executionStream(w.executionId),
      pipelineStream(PIPELINE),
      pipelineStream('nope'),
      executionStream('nope'),
    ].map((s) => store.version(s)),
  );
}

beforeAll(async () => {
  const t = await openTriggerHarness();
  const deps = { ...t.deps, onError: (e: unknown) => unexpected.push(e) };
  const executionId = await t.h.startExecution();
  const request = await t.h.approvalRequested(executionId);
  const link = t.h.linkPath(request);
  const url = new URL(link, 'http://localhost');
  w = {
    t,
    app: createApp(deps),
    later: createApp({ ...deps, now: () => new Date(Date.parse(request.expiresAt) + 60_000) }),
    executionId,
    request,
    link,
    expires: url.searchParams.get('expires') ?? '',
    signature: url.searchParams.get('signature') ?? '',
    token: t.h.token,
  };
  await t.h.runtime.engine.idle();
  appended = watchAppends(t.h.runtime.store);
});

afterAll(closeWebHarnesses);

describe('bad input', () => {
  it.each(CASES)('$name → $status ($why)', async (c) => {
    // Prepare
    const before = {
      appended: appended.length,
      versions: await streamVersions(),
      unexpected: unexpected.length,
      delivered: w.t.delivered.length,
    };
    // Act
    const res = await c.send(w);
    const text = await res.text();
    await w.t.h.runtime.engine.idle();
    // Assess
    expect(res.status, text.slice(0, 300)).toBe(c.status);
    expect(text).not.toMatch(/\n\s+at /);
    if (c.kind === 'page') {
      expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
      expect(text).toMatch(/^<!doctype html>/i);
      expect(text).toContain(c.says);
    } else {
      expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
      const body = JSON.parse(text) as unknown;
      if (c.kind === 'json') {
        expect(body).toEqual({ error: { code: c.code, message: expect.stringContaining(c.says) } });
        if (c.status === 401 && !c.name.startsWith('webhook')) {
          expect(res.headers.get('WWW-Authenticate')).toBe('Bearer');
        }
      } else {
        expect(body).toEqual({ matched: false, reason: c.says });
      }
    }
    expect(appended.slice(before.appended)).toEqual([]);
    expect(await streamVersions()).toEqual(before.versions);
    expect(unexpected.slice(before.unexpected)).toEqual([]);
    expect(w.t.delivered.slice(before.delivered)).toEqual([]);
  });

  it('answers 409 to a replayed approval link, and the log keeps only the first decision', async () => {
    // Prepare
    const decide = (decision: string) =>
      form(w, { expires: w.expires, signature: w.signature, decision, name: 'dana' });
    const beforeFirst = appended.length;
    const first = await decide('approve');
    expect(first.status).toBe(303);
    await w.t.h.runtime.waitForExecution(w.executionId);
    const stream = executionStream(w.executionId);
    // the watch sees appends: the first decision is one of them
    expect(appended.slice(beforeFirst).filter((e) => e === `${stream} ApprovalDecided`)).toHaveLength(1);
    const before = { appended: appended.length, versions: await streamVersions() };
    // Act
    const replays = [await decide('approve'), await decide('reject')];
    await w.t.h.runtime.engine.idle();
    // Assess
    for (const res of replays) {
      const page = await res.text();
      expect(res.status).toBe(409);
      expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
      expect(page).toContain('This approval is already Approved by <strong>dana</strong> at');
      expect(page).toContain('an approval is decided once');
      expect(page).not.toContain('<form');
    }
    expect(appended.slice(before.appended)).toEqual([]);
    expect(await streamVersions()).toEqual(before.versions);
    const decided = (await w.t.h.runtime.store.read(stream)).filter((e) => e.type === 'ApprovalDecided');
    expect(decided).toHaveLength(1);
    expect(unexpected).toEqual([]);
  });
});
