import { afterEach, describe, expect, it } from 'vitest';
import { closeWebHarnesses, PIPELINE } from '../web-harness.test-helper.ts';
import { openTriggerHarness, pushPayload, SECRET } from './trigger-harness.test-helper.ts';
import { signWebhook } from './webhook-signature.ts';

afterEach(closeWebHarnesses);

type Json = Record<string, unknown>;

describe('githubWebhookRoutes', () => {
  it('starts an execution for a signed push that matches, and records the trigger', async () => {
    // Prepare
    const t = await openTriggerHarness();

    // Act
    const res = await t.webhook('push', pushPayload('refs/heads/main'), 'delivery-1');

    // Assess
    expect(res.status).toBe(202);
    const body = (await res.json()) as Json;
    expect(body).toEqual({
      matched: true,
      reason: 'push to branch "main" (0d1a26e) matches git trigger 1 (source action "Checkout")',
      executionId: expect.any(String),
    });
    const executions = (await t.h.runtime.store.listExecutions(PIPELINE)).executions;
    expect(executions.map((e) => e.executionId)).toEqual([body.executionId]);
    const [started] = await t.h.runtime.store.read(`execution-${body.executionId}`);
    expect(started?.data).toMatchObject({
      trigger: { triggerType: 'WebhookV2', triggerDetail: 'github:acme/web@refs/heads/main' },
    });
    expect((await t.triggerEvents()).map((e) => e.data)).toEqual([
      expect.objectContaining({
        triggerId: 'delivery-1',
        matched: true,
        pipelineExecutionId: body.executionId,
      }),
    ]);
  });

  it('answers a redelivery the same and starts no second execution', async () => {
    const t = await openTriggerHarness();
    const first = await (await t.webhook('push', pushPayload('refs/heads/main'), 'delivery-1')).json();
    const again = await t.webhook('push', pushPayload('refs/heads/main'), 'delivery-1');
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual(first);
    expect(await t.executionCount()).toBe(1);
    expect(await t.triggerEvents()).toHaveLength(1);
  });

  it('records a push the filters leave out, with the reason, and starts nothing', async () => {
    const t = await openTriggerHarness();
    const res = await t.webhook('push', pushPayload('refs/heads/feature/x'), 'delivery-2');
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      matched: false,
      reason:
        'push to branch "feature/x" (0d1a26e): branch "feature/x" is not included by push filter 1 (includes: main)',
    });
    expect(await t.executionCount()).toBe(0);
    expect((await t.triggerEvents()).map((e) => e.data)).toEqual([
      expect.objectContaining({ triggerId: 'delivery-2', matched: false }),
    ]);
  });

  it('records a push that deletes its branch as starting nothing', async () => {
    const t = await openTriggerHarness();
    const res = await t.webhook('push', { ...pushPayload('refs/heads/main'), deleted: true }, 'delivery-3');
    expect(await res.json()).toEqual({
      matched: false,
      reason: 'the push deletes refs/heads/main; deletions start nothing',
    });
    expect((await t.triggerEvents()).map((e) => e.data)).toEqual([
      expect.objectContaining({ triggerId: 'delivery-3', source: 'github:acme/web', matched: false }),
    ]);
  });

  it('accepts a form-encoded delivery', async () => {
    const t = await openTriggerHarness();
    const body = new URLSearchParams({ payload: JSON.stringify(pushPayload('refs/heads/main')) }).toString();
    const res = await t.webhook('push', undefined, 'delivery-4', {
      body,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(202);
    expect(((await res.json()) as Json).matched).toBe(true);
  });

  it('answers a ping with pong and records nothing', async () => {
    const t = await openTriggerHarness();
    const res = await t.webhook('ping', { zen: 'Keep it logically awesome.', hook_id: 1 }, 'delivery-5');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ pong: true });
    expect(t.delivered).toEqual([]);
  });

  it('answers other events with why they start nothing, and records nothing', async () => {
    const t = await openTriggerHarness();
    const res = await t.webhook('issues', { action: 'opened' }, 'delivery-6');
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      matched: false,
      reason: 'GitHub event "issues" starts nothing; pipelines start on push and pull_request events',
    });
    expect(t.delivered).toEqual([]);
  });

  it('answers 401 for a missing, malformed or wrong signature, and records nothing', async () => {
    const t = await openTriggerHarness();
    const payload = pushPayload('refs/heads/main');
    const missing = await t.webhook('push', payload, 'd', { signature: null });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      error: { code: 'Unauthorized', message: expect.stringContaining('has no X-Hub-Signature-256 header') },
    });
    for (const signature of ['sha256=zz', `sha1=${'0'.repeat(40)}`, `sha256=${'0'.repeat(64)}`]) {
      const res = await t.webhook('push', payload, 'd', { signature });
      expect(res.status, signature).toBe(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
        'does not match',
      );
    }
    const tampered = await t.webhook('push', payload, 'd', {
      signature: await signWebhook(SECRET, JSON.stringify(pushPayload('refs/heads/dev'))),
    });
    expect(tampered.status).toBe(401);
    expect(t.delivered).toEqual([]);
    expect(await t.triggerEvents()).toEqual([]);
  });

  it('answers 404 for an unknown pipeline or one without a webhook secret', async () => {
    const t = await openTriggerHarness();
    const unknown = await t.webhook('push', pushPayload('refs/heads/main'), 'd', { pipeline: 'nope' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: {
        code: 'NotFound',
        message: 'no pipeline named "nope" takes webhooks here; check the pipeline name in the webhook URL',
      },
    });
    const noSecret = t.h.appWith({ triggers: t.deps.triggers });
    const res = await noSecret.request(`/webhooks/github/${PIPELINE}`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(t.delivered).toEqual([]);
  });

  it('answers 413 for a body over 1 MiB, and records nothing', async () => {
    const t = await openTriggerHarness();
    const res = await t.webhook('push', undefined, 'd', { body: 'x'.repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PayloadTooLarge');
    expect(t.delivered).toEqual([]);
  });

  it('answers 400 for a delivery without its id or with a body that is not JSON', async () => {
    const t = await openTriggerHarness();
    const noId = await t.webhook('push', pushPayload('refs/heads/main'), '');
    expect(noId.status).toBe(400);
    const notJson = await t.webhook('push', undefined, 'd', { body: '{"ref":' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({
      error: { code: 'BadRequest', message: 'the body is not valid JSON; send the JSON body GitHub sends' },
    });
    expect(t.delivered).toEqual([]);
  });

  it('answers 501 where the server starts no executions from webhooks', async () => {
    const t = await openTriggerHarness();
    const app = t.h.appWith({ webhookSecret: t.deps.webhookSecret });
    const body = JSON.stringify(pushPayload('refs/heads/main'));
    const res = await app.request(`/webhooks/github/${PIPELINE}`, {
      method: 'POST',
      headers: {
        'X-GitHub-Event': 'push',
        'X-GitHub-Delivery': 'd',
        'X-Hub-Signature-256': await signWebhook(SECRET, body),
      },
      body,
    });
    expect(res.status).toBe(501);
  });
});
