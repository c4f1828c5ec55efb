import { readExecution } from '@pipewright/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { type SignedIn, signedIn } from '../identity/sign-in.test-helper.ts';
import { tokenHash, UserDirectory } from '../identity/user-directory.ts';
import { parseUsersFile } from '../identity/users-yaml.ts';
import { COMMIT, closeWebHarnesses, openWebHarness } from '../web-harness.test-helper.ts';

afterEach(closeWebHarnesses);

function form(fields: Record<string, string>, session?: SignedIn): RequestInit {
  return {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(session === undefined ? {} : { Cookie: session.cookie }),
    },
    body: new URLSearchParams({
      ...(session === undefined ? {} : { _csrf: session.csrf }),
      ...fields,
    }).toString(),
  };
}

/** A users file: bob may decide web-app's Approve/Release (rule), carol is an approver not named there, vic a viewer. */
function users(serverToken: string): UserDirectory {
  const text = `
users:
  - { name: bob, roles: [approver], tokens: ['${tokenHash('bob-token')}'] }
  - { name: carol, roles: [approver], groups: [qa], tokens: ['${tokenHash('carol-token')}'] }
  - { name: vic, roles: [viewer], tokens: ['${tokenHash('vic-token')}'] }
approvals:
  - actions: ['web-app/Approve/*']
    users: [bob]
    groups: [release]
`;
  return new UserDirectory(parseUsersFile(text, 'pipewright.users.yaml'), serverToken);
}

function tokenUser(serverToken: string, user: string, roles: ('approver' | 'viewer')[]): SignedIn {
  return signedIn(serverToken, user, { via: 'token', roles, groups: [] });
}

function credential(path: string): { expires: string; signature: string } {
  const url = new URL(path, 'http://localhost');
  return {
    expires: url.searchParams.get('expires') ?? '',
    signature: url.searchParams.get('signature') ?? '',
  };
}

describe('approvalRoutes', () => {
  it('shows the review page with a form on GET and changes nothing', async () => {
    // Prepare
    const h = await openWebHarness();
    const executionId = await h.startExecution();
    const request = await h.approvalRequested(executionId);
    const before = await h.eventCount(executionId);
    const signedOut = await (await h.app.request(h.linkPath(request))).text();
    // Act
    const res = await h.app.request(h.linkPath(request), {
      headers: { Cookie: signedIn(h.token, 'dana').cookie },
    });
    const page = await res.text();
    // Assess
    expect(signedOut).not.toContain('<form');
    expect(signedOut).toContain(`href="/login?next=${encodeURIComponent(h.linkPath(request))}"`);
    expect(res.status).toBe(200);
    expect(page).toContain('You decide as <strong>dana</strong>');
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<h1>Review Approve/Release</h1>');
    expect(page).toContain(executionId);
    expect(page).toContain('web-app');
    expect(page).toContain(`<code>${COMMIT.CommitId}</code>`);
    expect(page).toContain('Fix &lt;b&gt;login&lt;/b&gt; &amp; &quot;quotes&quot;');
    expect(page).toContain('Check &lt;script&gt;alert(1)&lt;/script&gt; on staging');
    expect(page).not.toContain('<script>');
    expect(page).toContain(
      '<a href="https://example.com/changes?from=1&amp;to=2" rel="noopener noreferrer">',
    );
    expect(page).toContain(`datetime="${request.expiresAt}"`);
    expect(page).toMatch(/<form method="post"/);
    expect(page).toContain('<label for="comment">');
    expect(page).toContain(`name="signature" value="${credential(h.linkPath(request)).signature}"`);
    expect(page).toContain('value="approve">Approve</button>');
    expect(page).toContain('value="reject">Reject</button>');
    expect(await h.eventCount(executionId)).toBe(before);
    expect((await readExecution(h.runtime.store, executionId)).view.approvals[0]?.status).toBe('Pending');
  });

  it('approves on POST: the execution succeeds, the page then shows who decided, a second POST is 409', async () => {
    // Prepare
    const h = await openWebHarness();
    const executionId = await h.startExecution();
    const request = await h.approvalRequested(executionId);
    const path = h.linkPath(request);
    // Act
    const res = await h.app.request(
      `/approvals/${request.approvalId}`,
      form({ ...credential(path), decision: 'approve', comment: 'ship it' }, signedIn(h.token, 'dana')),
    );
    const final = await h.runtime.waitForExecution(executionId);
    // Assess
    expect(res.status).toBe(303);
    const location = res.headers.get('Location') ?? '';
    expect(new URL(location, `http://localhost/approvals/x`).href).toBe(
      new URL(path, 'http://localhost').href,
    );
    expect(final.status).toBe('Succeeded');
    expect(final.approvals[0]).toMatchObject({
      status: 'Approved',
      decidedBy: { kind: 'user', id: 'dana', verifiedBy: 'server-token' },
      summary: 'ship it',
    });
    const shown = await (await h.app.request(path)).text();
    expect(shown).toContain('Approved');
    expect(shown).toContain('dana');
    expect(shown).toContain('ship it');
    expect(shown).not.toContain('<form');
    const count = await h.eventCount(executionId);
    const twice = await h.app.request(
      `/approvals/${request.approvalId}`,
      form({ ...credential(path), decision: 'reject' }, signedIn(h.token, 'dana')),
    );
    const twicePage = await twice.text();
    expect(twice.status).toBe(409);
    expect(twicePage).toContain('already Approved by <strong>dana</strong> at');
    expect(twicePage).not.toContain('<form');
    expect(await h.eventCount(executionId)).toBe(count);
  });

  it('says so when the pipeline stopped waiting for the approval (its task had closed: TaskTimedOut)', async () => {
    // Prepare: the state machine stops waiting for the approval behind the engine's back, as a
    // Step Functions task that timed out does.
    const h = await openWebHarness();
    const executionId = await h.startExecution();
    const request = await h.approvalRequested(executionId);
    const path = h.linkPath(request);
    await h.runtime.orchestrator.stopExecution({
      executionId,
      error: 'States.Timeout',
      cause: 'the task timed out',
    });
    // Act
    const res = await h.app.request(
      `/approvals/${request.approvalId}`,
      form({ ...credential(path), decision: 'approve' }, signedIn(h.token, 'dana')),
    );
    // Assess
    const page = await res.text();
    expect(res.status).toBe(409);
    expect(page).toContain('The pipeline stopped waiting for this approval');
    expect(page).toContain('TaskTimedOut');
    const view = await h.runtime.engine.view(executionId);
    expect(view.approvals[0]).toMatchObject({ status: 'Approved', decidedBy: { id: 'dana' } });
  });

  it('lets only a signed-in approver the users file allows decide, records who, and appends nothing otherwise', async () => {
    // Prepare
    const h = await openWebHarness();
    const app = h.appWith({ users: users(h.token) });
    const executionId = await h.startExecution();
    const request = await h.approvalRequested(executionId);
    const path = h.linkPath(request);
    const decide = (session?: SignedIn, fields: Record<string, string> = {}) =>
      app.request(
        `/approvals/${request.approvalId}`,
        form({ ...credential(path), decision: 'reject', ...fields }, session),
      );
    const before = await h.eventCount(executionId);
    // Act
    const nobody = await decide();
    const carol = await decide(tokenUser(h.token, 'carol', ['approver']));
    const vic = await decide(tokenUser(h.token, 'vic', ['viewer']));
    const forged = await decide(tokenUser(h.token, 'bob', ['approver']), { _csrf: 'forged' });
    const carolPage = await (
      await app.request(path, { headers: { Cookie: tokenUser(h.token, 'carol', ['approver']).cookie } })
    ).text();
    const afterRefusals = await h.eventCount(executionId);
    const bob = await decide(tokenUser(h.token, 'bob', ['approver']));
    const final = await h.runtime.waitForExecution(executionId);
    // Assess
    expect(nobody.status).toBe(403);
    expect(await nobody.text()).toContain('Sign in to decide');
    expect(carol.status).toBe(403);
    expect(await carol.text()).toContain('carol may not decide this approval');
    expect(vic.status).toBe(403);
    expect(forged.status).toBe(403);
    expect(carolPage).toContain(
      'You are signed in as <strong>carol</strong>, who may not decide this approval',
    );
    expect(carolPage).not.toContain('<form method="post"');
    expect(afterRefusals).toBe(before);
    expect(bob.status).toBe(303);
    expect(final.status).toBe('Failed');
    expect(final.approvals[0]?.decidedBy).toEqual({ kind: 'user', id: 'bob', verifiedBy: 'token' });
  });

  it('ends the session of a token user the users file no longer lists', async () => {
    const h = await openWebHarness();
    const app = h.appWith({ users: users(h.token) });
    const executionId = await h.startExecution();
    const request = await h.approvalRequested(executionId);
    const gone = tokenUser(h.token, 'mallory', ['approver']);
    const res = await app.request(
      `/approvals/${request.approvalId}`,
      form({ ...credential(h.linkPath(request)), decision: 'approve' }, gone),
    );
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Sign in to decide');
    expect((await h.runtime.engine.view(executionId)).approvals[0]?.status).toBe('Pending');
  });

  it('answers 403 for a tampered or missing signature, on GET and POST, and appends nothing', async () => {
    const h = await openWebHarness();
    const executionId = await h.startExecution();
    const request = await h.approvalRequested(executionId);
    const { expires, signature } = credential(h.linkPath(request));
    const tampered = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
    const before = await h.eventCount(executionId);
    const get = await h.app.request(
      `/approvals/${request.approvalId}?expires=${expires}&signature=${tampered}`,
    );
    expect(get.status).toBe(403);
    expect(await get.text()).toContain('the link signature is not valid');
    const longer = await h.app.request(
      `/approvals/${request.approvalId}?expires=${Number(expires) + 3600}&signature=${signature}`,
    );
    expect(longer.status).toBe(403);
    expect((await h.app.request(`/approvals/${request.approvalId}`)).status).toBe(403);
    const post = await h.app.request(
      `/approvals/${request.approvalId}`,
      form({ expires, signature: tampered, decision: 'approve' }),
    );
    expect(post.status).toBe(403);
    expect(await h.eventCount(executionId)).toBe(before);
  });

  it('answers 403 for an expired link, saying when it expired', async () => {
    const h = await openWebHarness();
    const executionId = await h.startExecution();
    const request = await h.approvalRequested(executionId);
    const later = h.appWith({ now: () => new Date(Date.parse(request.expiresAt) + 60_000) });
    const before = await h.eventCount(executionId);
    const get = await later.request(h.linkPath(request));
    expect(get.status).toBe(403);
    expect(await get.text()).toContain('the link expired at');
    const post = await later.request(
      `/approvals/${request.approvalId}`,
      form({ ...credential(h.linkPath(request)), decision: 'approve' }),
    );
    expect(post.status).toBe(403);
    expect(await h.eventCount(executionId)).toBe(before);
  });

  it('answers 404 for a validly signed link to an unknown approval, and 400 for a form without a decision', async () => {
    const h = await openWebHarness();
    const executionId = await h.startExecution();
    const request = await h.approvalRequested(executionId);
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    for (const id of ['nope.abc', `${executionId}.other`]) {
      const url = new URL(h.runtime.approvalLink(id, expiresAt));
      const res = await h.app.request(`${url.pathname}${url.search}`);
      expect(res.status, id).toBe(404);
      expect(await res.text()).toContain('Approval not found');
    }
    const bad = await h.app.request(
      `/approvals/${request.approvalId}`,
      form({ ...credential(h.linkPath(request)), decision: 'maybe' }),
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('decision: choose Approve or Reject');
  });
});
