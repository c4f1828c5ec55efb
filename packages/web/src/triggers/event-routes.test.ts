import { afterEach, describe, expect, it } from 'vitest';
import { closeWebHarnesses, PIPELINE } from '../web-harness.test-helper.ts';
import { openTriggerHarness } from './trigger-harness.test-helper.ts';

afterEach(closeWebHarnesses);

type Json = Record<string, unknown>;

const RELEASE = { source: 'acme.releases', 'detail-type': 'Release Approved', detail: { team: 'web' } };

describe('eventRoutes', () => {
  it('needs the API token, and records nothing without it', async () => {
    const t = await openTriggerHarness();
    const res = await t.app.request('/events', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(RELEASE),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: { code: 'Unauthorized', message: expect.stringContaining('Authorization: Bearer') },
    });
    const wrong = await t.app.request('/events', {
      method: 'POST',
      headers: { Authorization: 'Bearer nope' },
      body: JSON.stringify(RELEASE),
    });
    expect(wrong.status).toBe(401);
    expect(t.delivered).toEqual([]);
  });

  it('delivers the event to every pipeline, giving it an id and a time', async () => {
    // Prepare
    const t = await openTriggerHarness();

    // Act
    const res = await t.post('/events', RELEASE);

    // Assess
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string; results: Json[] };
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.results).toEqual([
      {
        pipeline: PIPELINE,
        matched: true,
        reason: 'event acme.releases "Release Approved" matches the event pattern of trigger 2',
        executionId: expect.any(String),
      },
    ]);
    const [started] = await t.h.runtime.store.read(`execution-${body.results[0]?.executionId}`);
    expect(started?.data).toMatchObject({ trigger: { triggerType: 'CloudWatchEvent' } });
    expect(t.delivered).toEqual([body.id]);
  });

  it('answers an event id posted again the same, with one execution', async () => {
    const t = await openTriggerHarness();
    const post = () => t.post('/events', { ...RELEASE, id: 'ev-1' });
    const first = await (await post()).json();
    const again = await post();
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual(first);
    expect(await t.executionCount()).toBe(1);
  });

  it('records an event no pattern matches, with the reason', async () => {
    const t = await openTriggerHarness();
    const res = await t.post('/events', { ...RELEASE, source: 'acme.other', id: 'ev-2' });
    expect(await res.json()).toEqual({
      id: 'ev-2',
      results: [
        {
          pipeline: PIPELINE,
          matched: false,
          reason:
            'the event pattern of trigger 2 does not match: source is "acme.other"; the pattern accepts ["acme.releases"]',
        },
      ],
    });
    expect(await t.executionCount()).toBe(0);
    expect(await t.triggerEvents()).toHaveLength(1);
  });

  it('answers 400 with the field path for a malformed event', async () => {
    const t = await openTriggerHarness();
    const res = await t.post('/events', { source: 'acme', detail: 'text', detailType: 'x' });
    expect(res.status).toBe(400);
    const message = ((await res.json()) as { error: { message: string } }).error.message;
    expect(message).toContain('body.detail-type:');
    expect(message).toContain('body.detail: expected an object (the event detail)');
    expect(t.delivered).toEqual([]);
  });
});
