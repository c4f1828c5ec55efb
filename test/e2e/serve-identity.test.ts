/**
 * Users of `pipewright serve`: tokens made with `pipewright users token`, roles checked on the
 * API, and an approval decided through its emailed link only by a signed-in approver the users
 * file allows — a refusal appends nothing, and the log records who decided and how they were
 * verified. The real binary, a real server on a free port.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { PIPEWRIGHT_BIN as bin } from '../support/paths.ts';
import { approveByLink, readApiToken, waitForExecution } from '../support/serve-api.ts';
import { startServe } from '../support/serve-process.ts';
import { copyExample, tempDirSync } from '../support/temp-dirs.ts';

const cleanups = cleanupsAfter(afterAll);

function cli(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function newToken(cwd: string, ...args: string[]): string {
  const made = cli(cwd, 'users', 'token', ...args, '--dir', 'web-app', '--json');
  expect(made.code, made.stderr).toBe(0);
  return (JSON.parse(made.stdout) as { token: string }).token;
}

describe('pipewright serve with a users file', () => {
  it('checks roles on the API and lets only an allowed, signed-in approver decide through the link', async () => {
    // Prepare: olga operates, bob and carol approve, but the rule names only bob.
    const cwd = tempDirSync(cleanups, 'pipewright-identity-');
    copyExample('web-app', join(cwd, 'web-app'));
    const olga = newToken(cwd, 'olga', '--role', 'operator');
    const bob = newToken(cwd, 'bob', '--role', 'approver');
    const carol = newToken(cwd, 'carol', '--role', 'approver', '--group', 'qa');
    const usersFile = join(cwd, 'web-app', 'pipewright.users.yaml');
    appendFileSync(usersFile, "approvals:\n  - actions: ['web-app/Approval/*']\n    users: [bob]\n");
    const serve = await startServe({ cwd, dir: 'web-app', cleanups });
    const api = (token: string, path: string, init: RequestInit = {}) =>
      fetch(`${serve.base}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });

    // Act
    const byApprover = await api(bob, '/api/pipelines/web-app/executions', { method: 'POST', body: '{}' });
    const started = await api(olga, '/api/pipelines/web-app/executions', { method: 'POST', body: '{}' });
    const { executionId } = (await started.json()) as { executionId: string };
    const [link] = await serve.waitFor(/http:\/\/127\.0\.0\.1:\d+\/approvals\/\S+/);
    const eventsBefore = await (await api(olga, `/api/executions/${executionId}/events`)).json();
    const byCarol = await approveByLink(link, 'lgtm', carol);
    const byOperatorApi = await api(olga, `/api/executions/${executionId}/approvals`, {
      method: 'POST',
      body: JSON.stringify({ status: 'Approved' }),
    });
    const eventsAfter = await (await api(olga, `/api/executions/${executionId}/events`)).json();
    const byBob = await approveByLink(link, 'ship it', bob);
    const final = await waitForExecution<{ status: string; approvals: { decidedBy?: unknown }[] }>(
      serve.base,
      readApiToken(cwd),
      executionId,
      { timeoutMs: 20_000 },
    );

    // Assess
    expect(statSync(usersFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(usersFile, 'utf8')).not.toContain(bob);
    expect(byApprover.status).toBe(403);
    expect(await byApprover.text()).toContain('bob (roles: approver) may not operate');
    expect(started.status).toBe(201);
    expect(byCarol.status).toBe(403);
    expect(byOperatorApi.status).toBe(403);
    expect(eventsAfter).toEqual(eventsBefore);
    expect(byBob.status).toBe(303);
    expect(final.status).toBe('Succeeded');
    expect(final.approvals[0]?.decidedBy).toEqual({ kind: 'user', id: 'bob', verifiedBy: 'token' });
  });

  it('refuses to start with a users file that is not valid, saying what is wrong', () => {
    const cwd = tempDirSync(cleanups, 'pipewright-identity-bad-');
    copyExample('web-app', join(cwd, 'web-app'));
    appendFileSync(join(cwd, 'web-app', 'pipewright.users.yaml'), 'users:\n  - { name: x, roles: [root] }\n');
    const r = cli(cwd, 'serve', '--dir', 'web-app', '--port', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pipewright.users.yaml: users.0.roles.0');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
