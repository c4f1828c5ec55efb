/**
 * Test-only: the table of bad input (see `bad-input.test.ts`) — the world the cases run in,
 * request helpers, and the approval-link and webhook cases.
 *
 * @example
 * ```ts
 * const res = await LINK_CASES[0].send(world);
 * ```
 */

import type { ApprovalRequest } from '@pipewright/engine';
import type { Hono } from 'hono';
import { MAX_BODY_BYTES } from './app.ts';
import type { WebErrorCode } from './errors.ts';
import { signedIn } from './identity/sign-in.test-helper.ts';
import { pushPayload, SECRET, type TriggerHarness } from './triggers/trigger-harness.test-helper.ts';
import { signWebhook } from './triggers/webhook-signature.ts';
import { PIPELINE } from './web-harness.test-helper.ts';

/** What every case can use: one execution waiting at its approval, and apps over its runtime. @example `await w.app.request(w.link)` */
export interface World {
  t: TriggerHarness;
  app: Hono;
  /** The app with the clock a minute past the link's expiry. */
  later: Hono;
  executionId: string;
  request: ApprovalRequest;
  /** The signed link's path and query. */
  link: string;
  expires: string;
  signature: string;
  token: string;
}

/** One row of the table. @example `{ name: 'API without token', status: 401, why: 'no credential', kind: 'json', code: 'Unauthorized', says: 'needs', send: (w) => call(w, START, { token: null }) }` */
export interface BadInputCase {
  name: string;
  /** The status, and why that one. */
  status: 202 | 400 | 401 | 403 | 404 | 409 | 413;
  why: string;
  /** `json`: `{ error: { code, message } }`; `page`: an HTML page; `answer`: a 2xx JSON answer. */
  kind: 'json' | 'page' | 'answer';
  code?: WebErrorCode;
  /** A substring of the message (as it appears in the body: HTML-escaped on pages). */
  says: string;
  send(w: World): Promise<Response> | Response;
}

/** A body one byte over the limit. @example `call(w, START, { body: OVER_1_MIB })` */
export const OVER_1_MIB = 'x'.repeat(MAX_BODY_BYTES + 1);

/** The signature with its last hex digit changed. @example `flip(signature)` */
export function flip(signature: string): string {
  return `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
}

/** POSTs the approval decision form. @example `form(w, { expires, signature, decision: 'approve' })` */
export function form(w: World, fields: Record<string, string>, path = `/approvals/${w.request.approvalId}`) {
  const session = signedIn(w.token, fields.name ?? 'dana');
  const { name: _name, ...rest } = fields;
  return w.app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: session.cookie },
    body: new URLSearchParams({ _csrf: session.csrf, ...rest }).toString(),
  });
}

/** POSTs a GitHub delivery of a push to `main`, signed unless told otherwise. @example `webhook(w, { signature: null })` */
export async function webhook(
  w: World,
  options: {
    body?: string;
    event?: string | null;
    delivery?: string;
    signature?: string | null;
    pipeline?: string;
    contentType?: string;
  } = {},
): Promise<Response> {
  const body = options.body ?? JSON.stringify(pushPayload('refs/heads/main'));
  const signature = options.signature === undefined ? await signWebhook(SECRET, body) : options.signature;
  const event = options.event === undefined ? 'push' : options.event;
  return w.app.request(`/webhooks/github/${options.pipeline ?? PIPELINE}`, {
    method: 'POST',
    headers: {
      'Content-Type': options.contentType ?? 'application/json',
      'X-GitHub-Delivery': options.delivery ?? 'delivery-1',
      ...(event === null ? {} : { 'X-GitHub-Event': event }),
      ...(signature === null ? {} : { 'X-Hub-Signature-256': signature }),
    },
    body,
  });
}

/** Calls the API with the token unless told otherwise (`token: null` leaves it out). @example `call(w, '/api/executions/nope')` */
export async function call(
  w: World,
  path: string,
  init: { method?: string; body?: string; token?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const token = init.token === undefined ? w.token : init.token;
  return w.app.request(path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
}

/** The start-execution route of the test pipeline. */
export const START = `/api/pipelines/${PIPELINE}/executions`;
/** A well-formed bus event. */
export const EVENT = JSON.stringify({ source: 'acme.releases', 'detail-type': 'Release', detail: {} });

/** Approval links: the signature is the credential, so a link that does not verify or has expired is 403 (a page). */
export const LINK_CASES: BadInputCase[] = [
  {
    name: 'approval GET without expires and signature',
    status: 403,
    why: 'unsigned link: no credential',
    kind: 'page',
    says: 'not an approval link (it needs /approvals/&lt;id&gt;, expires and signature). Ask for a new link',
    send: (w) => w.app.request(`/approvals/${w.request.approvalId}`),
  },
  {
    name: 'approval GET with a tampered signature',
    status: 403,
    why: 'the credential does not verify',
    kind: 'page',
    says: 'the link signature is not valid; use the link exactly as it was sent',
    send: (w) =>
      w.app.request(`/approvals/${w.request.approvalId}?expires=${w.expires}&signature=${flip(w.signature)}`),
  },
  {
    name: 'approval GET with a tampered approval id',
    status: 403,
    why: 'the signature covers the id',
    kind: 'page',
    says: 'the link signature is not valid',
    send: (w) =>
      w.app.request(`/approvals/${w.executionId}.other?expires=${w.expires}&signature=${w.signature}`),
  },
  {
    name: 'approval GET with a later expiry',
    status: 403,
    why: 'the signature covers the expiry',
    kind: 'page',
    says: 'the link signature is not valid',
    send: (w) =>
      w.app.request(
        `/approvals/${w.request.approvalId}?expires=${Number(w.expires) + 3600}&signature=${w.signature}`,
      ),
  },
  {
    name: 'approval GET of an expired link',
    status: 403,
    why: 'a valid credential, no longer valid',
    kind: 'page',
    says: 'the link expired at',
    send: (w) => w.later.request(w.link),
  },
  {
    name: 'approval GET of a signed link to an unknown approval',
    status: 404,
    why: 'the link verifies; nothing is behind it',
    kind: 'page',
    says: 'There is no approval',
    send: async (w) => {
      const url = new URL(w.t.h.runtime.approvalLink(`${w.executionId}.nope`, w.request.expiresAt));
      return w.app.request(`${url.pathname}${url.search}`);
    },
  },
  {
    name: 'approval POST without signature',
    status: 403,
    why: 'unsigned link',
    kind: 'page',
    says: 'not an approval link',
    send: (w) => form(w, { decision: 'approve' }),
  },
  {
    name: 'approval POST with a tampered signature',
    status: 403,
    why: 'the credential does not verify',
    kind: 'page',
    says: 'the link signature is not valid',
    send: (w) => form(w, { expires: w.expires, signature: flip(w.signature), decision: 'approve' }),
  },
  {
    name: 'approval POST to a tampered approval id',
    status: 403,
    why: 'the signature covers the id',
    kind: 'page',
    says: 'the link signature is not valid',
    send: (w) =>
      form(
        w,
        { expires: w.expires, signature: w.signature, decision: 'approve' },
        `/approvals/${w.executionId}.other`,
      ),
  },
  {
    name: 'approval POST of an expired link',
    status: 403,
    why: 'expired credential',
    kind: 'page',
    says: 'the link expired at',
    send: (w) =>
      w.later.request(`/approvals/${w.request.approvalId}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          expires: w.expires,
          signature: w.signature,
          decision: 'approve',
        }).toString(),
      }),
  },
  {
    name: 'approval POST without a decision',
    status: 400,
    why: 'the form misses a field',
    kind: 'page',
    says: 'decision: choose Approve or Reject. Go back and try again.',
    send: (w) => form(w, { expires: w.expires, signature: w.signature, comment: 'ok' }),
  },
  {
    name: 'approval POST with an unknown decision',
    status: 400,
    why: 'a field out of range',
    kind: 'page',
    says: 'decision: choose Approve or Reject',
    send: (w) => form(w, { expires: w.expires, signature: w.signature, decision: 'maybe' }),
  },
  {
    name: 'approval POST with a comment over 512 characters',
    status: 400,
    why: 'a field too long',
    kind: 'page',
    says: 'comment: a comment has at most 512 characters',
    send: (w) =>
      form(w, { expires: w.expires, signature: w.signature, decision: 'approve', comment: 'c'.repeat(513) }),
  },
  {
    name: 'approval POST of a JSON body instead of the form',
    status: 400,
    why: 'not the form',
    kind: 'page',
    says: 'decision: choose Approve or Reject',
    send: (w) =>
      w.app.request(`/approvals/${w.request.approvalId}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ expires: w.expires, signature: w.signature, decision: 'approve' }),
      }),
  },
  {
    name: 'approval POST over 1 MiB',
    status: 413,
    why: 'the body limit',
    kind: 'page',
    says: 'the body is larger than 1048576 bytes (1 MiB)',
    send: (w) =>
      form(w, { expires: w.expires, signature: w.signature, decision: 'approve', comment: OVER_1_MIB }),
  },
];

/** GitHub webhooks: the signature is the credential (401, as GitHub's docs expect), JSON errors. */
export const WEBHOOK_CASES: BadInputCase[] = [
  {
    name: 'webhook without signature',
    status: 401,
    why: 'unsigned delivery',
    kind: 'json',
    code: 'Unauthorized',
    says: "has no X-Hub-Signature-256 header; set the webhook's secret",
    send: (w) => webhook(w, { signature: null }),
  },
  {
    name: 'webhook with a wrong signature',
    status: 401,
    why: 'does not verify',
    kind: 'json',
    code: 'Unauthorized',
    says: "signature does not match the body; check the webhook's secret",
    send: (w) => webhook(w, { signature: `sha256=${'0'.repeat(64)}` }),
  },
  {
    name: 'webhook with a malformed signature header',
    status: 401,
    why: 'does not verify',
    kind: 'json',
    code: 'Unauthorized',
    says: 'does not match the body',
    send: (w) => webhook(w, { signature: `sha1=${'0'.repeat(40)}` }),
  },
  {
    name: 'webhook signed for another body',
    status: 401,
    why: 'the body was changed',
    kind: 'json',
    code: 'Unauthorized',
    says: 'does not match the body',
    send: async (w) =>
      webhook(w, { signature: await signWebhook(SECRET, JSON.stringify(pushPayload('refs/heads/dev'))) }),
  },
  {
    name: 'webhook signed with another secret',
    status: 401,
    why: 'not our secret',
    kind: 'json',
    code: 'Unauthorized',
    says: 'does not match the body',
    send: async (w) =>
      webhook(w, {
        signature: await signWebhook('other-secret', JSON.stringify(pushPayload('refs/heads/main'))),
      }),
  },
  {
    name: 'webhook to an unknown pipeline',
    status: 404,
    why: 'nothing at that URL',
    kind: 'json',
    code: 'NotFound',
    says: 'no pipeline named "nope" takes webhooks here; check the pipeline name in the webhook URL',
    send: (w) => webhook(w, { pipeline: 'nope' }),
  },
  {
    name: 'webhook with malformed JSON and a valid signature',
    status: 400,
    why: 'signed, but not JSON',
    kind: 'json',
    code: 'BadRequest',
    says: 'the body is not valid JSON; send the JSON body GitHub sends',
    send: (w) => webhook(w, { body: '{"ref":' }),
  },
  {
    name: 'webhook form-encoded without payload',
    status: 400,
    why: 'signed, but no payload',
    kind: 'json',
    code: 'BadRequest',
    says: 'the form-encoded body has no payload field',
    send: (w) => webhook(w, { body: 'x=1', contentType: 'application/x-www-form-urlencoded' }),
  },
  {
    name: 'webhook push that is not a push payload',
    status: 400,
    why: 'signed JSON, but not what GitHub sends',
    kind: 'json',
    code: 'BadRequest',
    says: 'the push payload is not one GitHub sends (ref:',
    send: (w) => webhook(w, { body: JSON.stringify({ hello: 'world' }) }),
  },
  {
    name: 'webhook push whose payload is an array',
    status: 400,
    why: 'signed JSON, but not an object',
    kind: 'json',
    code: 'BadRequest',
    says: 'the push payload is not one GitHub sends',
    send: (w) => webhook(w, { body: '[]' }),
  },
  {
    name: 'webhook pull_request that is not a pull_request payload',
    status: 400,
    why: 'signed JSON, but not what GitHub sends',
    kind: 'json',
    code: 'BadRequest',
    says: 'the pull_request payload is not one GitHub sends (pull_request:',
    send: (w) => webhook(w, { event: 'pull_request', body: JSON.stringify({ action: 'opened' }) }),
  },
  {
    name: 'webhook without X-GitHub-Event',
    status: 400,
    why: 'a header missing',
    kind: 'json',
    code: 'BadRequest',
    says: 'the delivery has no X-GitHub-Event header; send push or pull_request',
    send: (w) => webhook(w, { event: null }),
  },
  {
    name: 'webhook without X-GitHub-Delivery',
    status: 400,
    why: 'a header missing',
    kind: 'json',
    code: 'BadRequest',
    says: 'needs an X-GitHub-Delivery header',
    send: (w) => webhook(w, { delivery: '' }),
  },
  {
    name: 'webhook of an unsupported event with a valid signature',
    status: 202,
    why: 'GitHub sends what the hook subscribes to; answered with why, recorded nowhere',
    kind: 'answer',
    says: 'GitHub event "issues" starts nothing; pipelines start on push and pull_request events',
    send: (w) => webhook(w, { event: 'issues', body: JSON.stringify({ action: 'opened' }) }),
  },
  {
    name: 'webhook over 1 MiB',
    status: 413,
    why: 'the body limit',
    kind: 'json',
    code: 'PayloadTooLarge',
    says: 'larger than 1048576 bytes (1 MiB)',
    send: (w) => webhook(w, { body: OVER_1_MIB }),
  },
];
