/**
 * `POST /webhooks/github/:pipeline`: a GitHub (or GitHub-compatible: Gitea, Forgejo) webhook.
 *
 * 1. 404 unless the pipeline is served and has a webhook secret;
 * 2. 401 unless `X-Hub-Signature-256` is the HMAC-SHA256 of the raw body with that secret;
 * 3. `X-GitHub-Event: ping` answers 200 `{ pong: true }`; `push` and `pull_request` are delivered
 *    to the pipeline with `X-GitHub-Delivery` as the trigger id — also when the payload starts
 *    nothing (a deleted branch, a labeled pull request), so the pipeline records why; a payload
 *    that is not one GitHub sends for its event answers 400 and is not recorded; other events
 *    answer 202 and are not recorded;
 * 4. 202 `{ matched, reason, executionId? }`. A redelivery (same delivery id) answers the same
 *    and starts nothing.
 *
 * Bodies are JSON, or form-encoded with the JSON in `payload` (GitHub's two content types).
 *
 * @example
 * ```ts
 * app.route('/webhooks/github', githubWebhookRoutes(deps));
 * ```
 */
import { fromGitHubWebhook, type TriggerDelivery } from '@pipewright/core';
import { Hono } from 'hono';
import type { WebDeps } from '../deps.ts';
import { WebError } from '../errors.ts';
import { SIGNATURE_HEADER, verifyWebhookSignature } from './webhook-signature.ts';

/** GitHub's event-name and delivery-id headers. */
export const GITHUB_EVENT_HEADER = 'X-GitHub-Event';
export const GITHUB_DELIVERY_HEADER = 'X-GitHub-Delivery';

/** What a delivery answers: `202` with this body. @example `{ matched: false, reason: 'branch "wip" is excluded by push filter 1 (excludes: wip)' }` */
export interface WebhookAnswer {
  matched: boolean;
  reason: string;
  executionId?: string;
}

function parsePayload(text: string, contentType: string | undefined): unknown {
  let json = text;
  if (contentType?.toLowerCase().includes('application/x-www-form-urlencoded')) {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) {
      throw new WebError(
        'BadRequest',
        'the form-encoded body has no payload field; send the JSON body GitHub sends',
      );
    }
    json = payload;
  }
  try {
    return JSON.parse(json);
  } catch {
    throw new WebError('BadRequest', 'the body is not valid JSON; send the JSON body GitHub sends');
  }
}

/** How `fromGitHubWebhook` says a push or pull_request payload is malformed (not merely one that starts nothing). */
const MALFORMED_PAYLOAD = /^the (push|pull_request) payload is not one GitHub sends/;

function repositoryOf(payload: unknown): string | undefined {
  const repo = (payload as { repository?: { full_name?: unknown } } | null)?.repository?.full_name;
  return typeof repo === 'string' ? repo : undefined;
}

/**
 * The routes, to mount at `/webhooks/github`.
 *
 * @example
 * ```ts
 * new Hono().route('/webhooks/github', githubWebhookRoutes(deps));
 * ```
 */
export function githubWebhookRoutes(deps: WebDeps): Hono {
  const routes = new Hono();

  routes.post('/:pipeline', async (c) => {
    const name = c.req.param('pipeline');
    const secret = deps.pipelines.get(name) === undefined ? undefined : deps.webhookSecret?.(name);
    if (secret === undefined || secret === '') {
      throw new WebError(
        'NotFound',
        `no pipeline named "${name}" takes webhooks here; check the pipeline name in the webhook URL`,
      );
    }
    const body = new Uint8Array(await c.req.arrayBuffer());
    const signature = c.req.header(SIGNATURE_HEADER);
    if (!(await verifyWebhookSignature(secret, body, signature))) {
      throw new WebError(
        'Unauthorized',
        signature === undefined
          ? `the delivery has no ${SIGNATURE_HEADER} header; set the webhook's secret to the pipeline's webhook secret`
          : `the ${SIGNATURE_HEADER} signature does not match the body; check the webhook's secret`,
      );
    }
    const eventName = c.req.header(GITHUB_EVENT_HEADER)?.trim() ?? '';
    if (eventName === '') {
      throw new WebError(
        'BadRequest',
        `the delivery has no ${GITHUB_EVENT_HEADER} header; send push or pull_request`,
      );
    }
    if (eventName === 'ping') return c.json({ pong: true }, 200);
    const triggerId = c.req.header(GITHUB_DELIVERY_HEADER)?.trim() ?? '';
    if (triggerId === '' || triggerId.length > 200) {
      throw new WebError(
        'BadRequest',
        `the delivery needs an ${GITHUB_DELIVERY_HEADER} header of 1 to 200 characters (its unique id)`,
      );
    }
    const payload = parsePayload(new TextDecoder().decode(body), c.req.header('Content-Type'));
    const mapped = fromGitHubWebhook(eventName, payload);
    if (!mapped.ok && MALFORMED_PAYLOAD.test(mapped.reason)) {
      throw new WebError('BadRequest', `${mapped.reason}; send the JSON body GitHub sends`);
    }
    if (!mapped.ok && eventName !== 'push' && eventName !== 'pull_request') {
      return c.json({ matched: false, reason: mapped.reason } satisfies WebhookAnswer, 202);
    }
    if (deps.triggers === undefined) {
      throw new WebError('NotImplemented', 'this server does not start executions from webhooks');
    }
    const at = (deps.now?.() ?? new Date()).toISOString();
    const repository = repositoryOf(payload);
    const delivery: TriggerDelivery = mapped.ok
      ? { kind: 'git', provider: 'github', triggerId, at, event: mapped.event }
      : {
          kind: 'git',
          provider: 'github',
          triggerId,
          at,
          ignored: mapped.reason,
          source: repository === undefined ? 'github' : `github:${repository}`,
        };
    const result = await deps.triggers.deliver(name, delivery);
    const answer: WebhookAnswer = {
      matched: result.matched,
      reason: result.reason,
      ...(result.executionId === undefined ? {} : { executionId: result.executionId }),
    };
    return c.json(answer, 202);
  });

  return routes;
}
