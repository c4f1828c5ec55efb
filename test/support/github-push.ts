/**
 * GitHub `push` webhooks for a running `pipewright serve`: the secret it wrote for a pipeline, a
 * signed push event, its delivery.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The secret `pipewright serve` checks the GitHub webhooks of `pipeline` with.
 *
 * @example
 * ```ts
 * const secret = readWebhookSecret(cwd, 'web-app');
 * ```
 */
export function readWebhookSecret(cwd: string, pipeline: string): string {
  return readFileSync(join(cwd, `.pipewright/webhook-secret-${pipeline}`), 'utf8').trim();
}

/** A push event's JSON body and its `x-hub-signature-256` header value. */
export interface SignedPush {
  body: string;
  signature: string;
}

/**
 * A GitHub `push` to `refs/heads/main` of `example/web-app` whose head (and only) commit is
 * `commit`, adding `added`; signed with `secret` as GitHub signs it.
 *
 * @example
 * ```ts
 * const { body, signature } = signedGithubPush(secret, commit, 'Add a greeting', ['src/greeting.txt']);
 * ```
 */
export function signedGithubPush(
  secret: string,
  commit: string,
  message: string,
  added: string[],
): SignedPush {
  const body = JSON.stringify({
    ref: 'refs/heads/main',
    before: '0'.repeat(40),
    after: commit,
    repository: { full_name: 'example/web-app', name: 'web-app' },
    head_commit: { id: commit, message, timestamp: new Date().toISOString() },
    commits: [{ id: commit, message, added, modified: [], removed: [] }],
  });
  return { body, signature: `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` };
}

/**
 * POSTs `body` as a GitHub `push` delivery to `<base>/webhooks/github/<pipeline>`.
 *
 * @example
 * ```ts
 * const delivered = await deliverGithubPush(serve.base, 'web-app', body, signature, 'delivery-1');
 * expect(delivered.status).toBe(202);
 * ```
 */
export function deliverGithubPush(
  base: string,
  pipeline: string,
  body: string,
  signature: string,
  deliveryId: string,
): Promise<Response> {
  return fetch(`${base}/webhooks/github/${pipeline}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': signature,
    },
  });
}
