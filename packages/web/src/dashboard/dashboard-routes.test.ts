import { readExecution } from '@pipewright/engine';
import type { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMIT, closeWebHarnesses, openWebHarness, PIPELINE } from '../web-harness.test-helper.ts';
import { SESSION_TTL_SECONDS } from './session.ts';

afterEach(closeWebHarnesses);

const OWN = 'http://localhost';

async function signIn(app: Hono, token: string, user = 'dana'): Promise<string> {
  const res = await app.request('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: OWN },
    body: new URLSearchParams({ token, user, next: `/pipelines/${PIPELINE}` }).toString(),
  });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe(`/pipelines/${PIPELINE}`);
  const cookie = res.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/^pw_session=v2\./);
  expect(cookie).toContain('HttpOnly');
  expect(cookie).toContain('SameSite=Strict');
  expect(cookie).toContain('Path=/');
  return cookie.split(';')[0] ?? '';
}

function csrfOf(page: string): string {
  const found = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  if (found === undefined) throw new Error('no CSRF field on the page');
  return found;
}

function post(app: Hono, path: string, cookie: string, fields: Record<string, string>, origin = OWN) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin },
    body: new URLSearchParams(fields).toString(),
  });
}

interface Patch {
  id?: string;
  regions: Record<string, string>;
}

/** Reads an event stream until `enough` holds of the patches read, it ends, or 5 s pass. */
async function readStream(
  body: ReadableStream<Uint8Array> | null,
  enough: (patches: Patch[]) => boolean,
): Promise<{ patches: Patch[]; text: string; ended: boolean }> {
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const patches: Patch[] = [];
  let text = '';
  let buffer = '';
  let ended = false;
  const until = Date.now() + 5_000;
  while (!enough(patches) && Date.now() < until) {
    const next = await Promise.race([
      reader.read(),
      new Promise<undefined>((done) => setTimeout(() => done(undefined), until - Date.now())),
    ]);
    if (next === undefined) break;
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = decoder.decode(next.value, { stream: true });
    text += chunk;
    buffer += chunk;
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = /^data: (.*)$/m.exec(message)?.[1];
      if (!/^event: patch$/m.test(message) || data === undefined) continue;
      const id = /^id: (.*)$/m.exec(message)?.[1];
      patches.push({ ...(id === undefined ? {} : { id }), regions: (JSON.parse(data) as Patch).regions });
    }
  }
  if (!ended) await reader.cancel();
  return { patches, text, ended };
}

describe('the dashboard routes', () => {
  it('sends pages without a session to sign in, and signs in only with the API token', async () => {
    // Prepare
    const h = await openWebHarness();

    // Act
    const page = await h.app.request(`/pipelines/${PIPELINE}/history?status=Failed`);
    const login = await h.app.request('/login?next=%2F%2Fevil.example');
    const wrong = await h.app.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: OWN },
      body: new URLSearchParams({ token: 'not-it', user: 'eve' }).toString(),
    });
    const crossSite = await h.app.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ token: h.token }).toString(),
    });
    const live = await h.app.request(`/dashboard/live?view=overview`);

    // Assess
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(
      `/login?next=${encodeURIComponent(`/pipelines/${PIPELINE}/history?status=Failed`)}`,
    );
    expect(login.status).toBe(200);
    const loginPage = await login.text();
    expect(loginPage).toContain('<label for="token">API token</label>');
    expect(loginPage).toContain('name="next" value="/"');
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toContain('That is not a token of this server');
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('set-cookie')).toBeNull();
    expect(live.status).toBe(403);
  });

  it('shows the pipelines, the pipeline, its execution, history and triggers as projections of the log, escaped', async () => {
    // Prepare: an execution waiting for its approval.
    const h = await openWebHarness();
    const executionId = await h.startExecution({ DEPLOY_ENV: 'qa' });
    await h.approvalRequested(executionId);
    const cookie = await signIn(h.app, h.token);
    const get = async (path: string) => {
      const res = await h.app.request(path, { headers: { cookie } });
      return {
        status: res.status,
        csp: res.headers.get('content-security-policy') ?? '',
        text: await res.text(),
      };
    };

    // Act
    const home = await get('/');
    const pipeline = await get(`/pipelines/${PIPELINE}`);
    const execution = await get(`/pipelines/${PIPELINE}/executions/${executionId}`);
    const history = await get(`/pipelines/${PIPELINE}/history?status=InProgress`);
    const none = await get(`/pipelines/${PIPELINE}/history?status=Failed`);
    const triggers = await get(`/pipelines/${PIPELINE}/triggers`);
    const unknown = await get('/pipelines/nope');
    const unknownExecution = await get(`/pipelines/${PIPELINE}/executions/nope`);
    const badFilter = await get(`/pipelines/${PIPELINE}/history?status=Maybe`);

    // Assess
    for (const page of [home, pipeline, execution, history, none, triggers]) {
      expect(page.status).toBe(200);
      expect(page.csp).toContain("script-src 'self'");
      expect(page.csp).not.toContain('unsafe-inline');
      expect(page.text.match(/<script/g)).toEqual(['<script']);
      expect(page.text).toContain('<script src="/dashboard/app.js" defer></script>');
      expect(page.text).toContain('Signed in as <strong>dana</strong>');
    }
    expect(home.text).toContain(`href="/pipelines/${PIPELINE}"`);
    expect(home.text).toContain('1 running');
    expect(pipeline.text).toContain('data-live="pipeline:web-app"');
    expect(pipeline.text).toContain('Waiting for approval</span>');
    expect(pipeline.text).toContain('Check &lt;script&gt;alert(1)&lt;/script&gt; on staging');
    expect(pipeline.text).toContain(`value="${csrfOf(pipeline.text)}"`);
    expect(pipeline.text).toContain('name="var.DEPLOY_ENV" value="staging"');
    expect(execution.text).toContain(`${COMMIT.CommitId}`);
    expect(execution.text).toContain('Fix &lt;b&gt;login&lt;/b&gt; &amp; &quot;quotes&quot;');
    expect(execution.text).toContain('<code>qa</code>');
    expect(execution.text).toContain('role="img" aria-label="Compile: Succeeded');
    expect(execution.text).toContain('>ApprovalRequested<');
    expect(history.text).toContain(executionId.slice(0, 8));
    expect(none.text).toContain('No execution matches these filters');
    expect(triggers.text).toContain('This pipeline has received no trigger yet.');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('no pipeline named &quot;nope&quot; is served here');
    expect(unknownExecution.status).toBe(404);
    expect(badFilter.status).toBe(400);
  });

  it('approves from the page only with the session, its CSRF token and from its own origin, recording the user', async () => {
    // Prepare
    const h = await openWebHarness();
    const executionId = await h.startExecution();
    const request = await h.approvalRequested(executionId);
    const cookie = await signIn(h.app, h.token, 'dana');
    const page = await (await h.app.request(`/pipelines/${PIPELINE}`, { headers: { cookie } })).text();
    const csrf = csrfOf(page);
    const path = `/pipelines/${PIPELINE}/executions/${executionId}/approvals`;
    const fields = {
      approvalId: request.approvalId,
      decision: 'approve',
      comment: 'ok from the page',
      _csrf: csrf,
    };
    const before = await h.eventCount(executionId);

    // Act
    const noToken = await post(h.app, path, cookie, { ...fields, _csrf: '' });
    const otherSite = await post(h.app, path, cookie, fields, 'https://evil.example');
    const noSession = await post(h.app, path, '', fields);
    const after = await h.eventCount(executionId);
    const done = await post(h.app, path, cookie, { ...fields, back: `/pipelines/${PIPELINE}` });
    const final = await h.runtime.waitForExecution(executionId);
    const again = await post(h.app, path, cookie, fields);

    // Assess
    expect([noToken.status, otherSite.status, noSession.status]).toEqual([403, 403, 403]);
    expect(await noToken.text()).toContain('CSRF token is missing or old');
    expect(after).toBe(before);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/pipelines/${PIPELINE}?done=approved`);
    expect(final.status).toBe('Succeeded');
    expect(final.approvals[0]).toMatchObject({
      decidedBy: { kind: 'user', id: 'dana' },
      summary: 'ok from the page',
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Nothing was done');
  });

  it('says so (409) when approving from the page after the pipeline stopped waiting for the approval (TaskTimedOut)', async () => {
    // Prepare: the state machine stops waiting behind the engine's back, as a timed-out task does.
    const h = await openWebHarness();
    const executionId = await h.startExecution();
    const request = await h.approvalRequested(executionId);
    await h.runtime.orchestrator.stopExecution({
      executionId,
      error: 'States.Timeout',
      cause: 'the task timed out',
    });
    const cookie = await signIn(h.app, h.token, 'dana');
    const page = await (await h.app.request(`/pipelines/${PIPELINE}`, { headers: { cookie } })).text();

    // Act
    const res = await post(h.app, `/pipelines/${PIPELINE}/executions/${executionId}/approvals`, cookie, {
      approvalId: request.approvalId,
      decision: 'approve',
      _csrf: csrfOf(page),
    });

    // Assess
    const text = await res.text();
    expect(res.status).toBe(409);
    expect(text).toContain('<h1>The pipeline stopped waiting for this approval</h1>');
    expect(text).toContain('TaskTimedOut');
    const view = await h.runtime.engine.view(executionId);
    expect(view.approvals[0]).toMatchObject({ status: 'Approved', decidedBy: { id: 'dana' } });
  });

  it('releases a change with variable overrides, stops it, and answers 501 for controls this server lacks', async () => {
    // Prepare
    const h = await openWebHarness();
    const cookie = await signIn(h.app, h.token, 'rel');
    const csrf = csrfOf(
      await (await h.app.request(`/pipelines/${PIPELINE}`, { headers: { cookie } })).text(),
    );

    // Act
    const released = await post(h.app, `/pipelines/${PIPELINE}/release`, cookie, {
      'var.DEPLOY_ENV': 'prod',
      _csrf: csrf,
    });
    const executionId = /executions\/([^/?]+)/.exec(released.headers.get('location') ?? '')?.[1] ?? '';
    await h.approvalRequested(executionId);
    const stopped = await post(h.app, `/pipelines/${PIPELINE}/executions/${executionId}/stop`, cookie, {
      abandon: '1',
      reason: 'not today',
      _csrf: csrf,
    });
    const final = await h.runtime.waitForExecution(executionId);
    const transition = await post(h.app, `/pipelines/${PIPELINE}/transitions/Deploy`, cookie, {
      enable: '0',
      reason: 'freeze',
      _csrf: csrf,
    });
    const unknownVariable = await post(h.app, `/pipelines/${PIPELINE}/release`, cookie, {
      'var.NOPE': 'x',
      _csrf: csrf,
    });
    const loggedOut = await post(h.app, '/logout', cookie, { _csrf: csrf });

    // Assess
    expect(released.status).toBe(303);
    expect(released.headers.get('location')).toMatch(/\?done=released$/);
    const { view } = await readExecution(h.runtime.store, executionId);
    expect(view.variables).toContainEqual({ name: 'DEPLOY_ENV', resolvedValue: 'prod' });
    expect(view.trigger).toMatchObject({ triggerType: 'StartPipelineExecution' });
    expect(stopped.status).toBe(303);
    expect(final.status).toBe('Stopped');
    expect(final.stopTrigger).toMatchObject({ abandon: true, reason: 'not today', actor: { id: 'rel' } });
    expect(transition.status).toBe(501);
    expect(await transition.text()).toContain('does not run executions');
    expect(unknownVariable.status).toBe(400);
    expect(loggedOut.status).toBe(303);
    expect(loggedOut.headers.get('set-cookie')).toMatch(/^pw_session=;/);
  });

  it('pages through the history 25 executions at a time, newest first', async () => {
    // Prepare: 27 executions.
    const h = await openWebHarness();
    const ids: string[] = [];
    for (let i = 0; i < 27; i++) ids.push(await h.startExecution());
    const newestFirst = (await h.runtime.store.listExecutions(PIPELINE)).executions.map((e) => e.executionId);
    const cookie = await signIn(h.app, h.token);
    const get = async (path: string) => (await h.app.request(path, { headers: { cookie } })).text();
    const shown = (page: string) =>
      [...page.matchAll(/title="([0-9a-f-]{36})" aria-label="Execution/g)].map((m) => m[1]);

    // Act
    const first = await get(`/pipelines/${PIPELINE}/history`);
    const before = /href="[^"]*history\?before=([^"]+)" rel="next"/.exec(first)?.[1] ?? '';
    const second = await get(`/pipelines/${PIPELINE}/history?before=${before}`);
    const stale = await h.app.request(`/pipelines/${PIPELINE}/history?before=nope`, { headers: { cookie } });

    // Assess
    expect(new Set(ids)).toEqual(new Set(newestFirst));
    expect(shown(first)).toEqual(newestFirst.slice(0, 25));
    expect(before).toBe(newestFirst[24]);
    expect(shown(second)).toEqual(newestFirst.slice(25));
    expect(second).toContain('Newest executions');
    expect(second).not.toContain('data-live=');
    expect(second).not.toContain('rel="next"');
    expect(stale.status).toBe(404);
  });

  it('serves its style sheet and script with an ETag, and the approval page with the shared layout', async () => {
    const h = await openWebHarness();
    const css = await h.app.request('/dashboard/app.css');
    const js = await h.app.request('/dashboard/app.js');
    const cached = await h.app.request('/dashboard/app.js', {
      headers: { 'if-none-match': js.headers.get('etag') ?? '' },
    });
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toContain('prefers-color-scheme:dark');
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await js.text()).toContain('new EventSource(url)');
    expect(cached.status).toBe(304);
    const executionId = await h.startExecution();
    const request = await h.approvalRequested(executionId);
    const review = await (await h.app.request(h.linkPath(request))).text();
    expect(review).toContain('<link rel="stylesheet" href="/dashboard/app.css">');
    expect(review).not.toContain('<script');
  });

  it('trusts the Last-Event-ID of a reconnecting browser over its page’s generation, so no region stays stale', async () => {
    // Prepare: the pipeline page (no approval waiting), live; an approval comes and is seen.
    const h = await openWebHarness();
    const app = h.appWith({ changes: h.runtime.changes });
    const cookie = await signIn(app, h.token);
    const page = await (await app.request(`/pipelines/${PIPELINE}`, { headers: { cookie } })).text();
    const gen = /data-gen="([^"]+)"/.exec(page)?.[1] ?? '';
    const live = `/dashboard/live?view=pipeline:${PIPELINE}&gen=${encodeURIComponent(gen)}`;
    const first = app.request(live, { headers: { cookie } });
    const executionId = await h.startExecution();
    await h.approvalRequested(executionId);
    const seen = await readStream((await first).body, (p) =>
      p.some((x) => x.regions.approvals?.includes('value="approve"') === true),
    );
    const last = seen.patches.at(-1)?.id ?? '';
    // The browser is away while the approval is decided: the approvals region goes back to what the page showed.
    await h.api(`/api/executions/${executionId}/approvals`, { json: { status: 'Approved' } });
    await h.runtime.waitForExecution(executionId);

    // Act: it reconnects with its page's generation in the URL and the last patch's id.
    const again = await readStream(
      (await app.request(live, { headers: { cookie, 'last-event-id': last } })).body,
      (p) => p.length >= 1,
    );

    // Assess
    expect(page).toContain('No approval is waiting.');
    expect(last).not.toBe('');
    expect(again.patches[0]?.regions.approvals).toContain('No approval is waiting.');
  });

  it('ends a live stream when the session ends, and after liveMaxSeconds', async () => {
    // Prepare: a session with under 2 s left on this app's clock; an app whose streams last 0.2 s.
    const h = await openWebHarness();
    const cookie = await signIn(h.app, h.token);
    const ending = h.appWith({ now: () => new Date(Date.now() + SESSION_TTL_SECONDS * 1000 - 2_000) });
    const short = h.appWith({ liveMaxSeconds: 0.2 });

    // Act
    const streams = await Promise.all(
      [ending, short].map(async (app) =>
        readStream(
          (await app.request('/dashboard/live?view=overview', { headers: { cookie } })).body,
          () => false,
        ),
      ),
    );

    // Assess
    expect(streams).toHaveLength(2);
    for (const stream of streams) {
      expect(stream.ended).toBe(true);
      expect(stream.text).toContain('event: bye');
    }
    expect(() => h.appWith({ liveMaxSeconds: 0 })).toThrow('liveMaxSeconds must be a positive number');
  });
});
