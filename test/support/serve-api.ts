/**
 * Talking to a running `pipewright serve` over HTTP the way a client does: the API token it
 * wrote, reading and awaiting executions, deciding an approval through its signed link.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PollOptions, poll } from './poll.ts';

/**
 * The API token `pipewright serve` wrote to `<cwd>/.pipewright/api-token`.
 *
 * @example
 * ```ts
 * const token = readApiToken(cwd);
 * ```
 */
export function readApiToken(cwd: string): string {
  return readFileSync(join(cwd, '.pipewright/api-token'), 'utf8').trim();
}

/**
 * `GET /api/executions/<id>` with the token; the JSON body as `T`.
 *
 * @example
 * ```ts
 * const view = await getExecution<{ status: string }>(serve.base, token, executionId);
 * ```
 */
export async function getExecution<T>(base: string, token: string, executionId: string): Promise<T> {
  const response = await fetch(`${base}/api/executions/${executionId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await response.json()) as T;
}

/**
 * Polls {@link getExecution} until the execution's status is `Succeeded` or `Failed` (or the
 * poll times out); returns the last view read.
 *
 * @example
 * ```ts
 * const view = await waitForExecution<{ status: string }>(serve.base, token, executionId);
 * expect(view.status).toBe('Succeeded');
 * ```
 */
export function waitForExecution<T extends { status: string }>(
  base: string,
  token: string,
  executionId: string,
  options?: PollOptions,
): Promise<T> {
  return poll(
    () => getExecution<T>(base, token, executionId),
    (view) => view.status === 'Succeeded' || view.status === 'Failed',
    options,
  );
}

/**
 * Approves through a signed approval link the way a person does: signs in with `token` (the
 * link alone may not decide), opens the page for its CSRF token, and posts its form — the
 * link's `expires` and `signature` with `decision=approve` and `comment` (redirects not followed).
 *
 * @example
 * ```ts
 * const decided = await approveByLink(link, 'looks good', token);
 * expect([200, 303]).toContain(decided.status);
 * ```
 */
export async function approveByLink(link: string, comment: string, token: string): Promise<Response> {
  const url = new URL(link);
  const login = await fetch(`${url.origin}/login`, {
    method: 'POST',
    headers: { origin: url.origin },
    body: new URLSearchParams({ token, next: `${url.pathname}${url.search}` }),
    redirect: 'manual',
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const page = await (await fetch(link, { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  return fetch(`${url.origin}${url.pathname}`, {
    method: 'POST',
    headers: { cookie, origin: url.origin },
    body: new URLSearchParams({
      expires: url.searchParams.get('expires') ?? '',
      signature: url.searchParams.get('signature') ?? '',
      _csrf: csrf,
      decision: 'approve',
      comment,
    }),
    redirect: 'manual',
  });
}
