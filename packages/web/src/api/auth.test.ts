import { afterEach, describe, expect, it } from 'vitest';
import { closeWebHarnesses, openWebHarness } from '../web-harness.test-helper.ts';
import { constantTimeEqual } from './auth.ts';

afterEach(closeWebHarnesses);

describe('constantTimeEqual', () => {
  it('is true only for equal strings', () => {
    expect(constantTimeEqual('s3cret', 's3cret')).toBe(true);
    expect(constantTimeEqual('s3creT', 's3cret')).toBe(false);
    expect(constantTimeEqual('s3cre', 's3cret')).toBe(false);
    expect(constantTimeEqual('s3crett', 's3cret')).toBe(false);
    expect(constantTimeEqual('', 's3cret')).toBe(false);
  });
});

describe('requireApiToken', () => {
  it('answers 401 with a JSON error when the token is missing, and appends nothing', async () => {
    // Prepare
    const h = await openWebHarness();
    // Act
    const list = await h.app.request('/api/pipelines');
    const start = await h.app.request('/api/pipelines/web-app/executions', { method: 'POST', body: '{}' });
    // Assess
    expect(list.status).toBe(401);
    expect(list.headers.get('WWW-Authenticate')).toBe('Bearer');
    expect(await list.json()).toEqual({
      error: { code: 'Unauthorized', message: expect.stringContaining('Authorization: Bearer') },
    });
    expect(start.status).toBe(401);
    expect((await h.runtime.store.listExecutions('web-app')).executions).toEqual([]);
  });

  it('answers 401 for a wrong token or another scheme', async () => {
    const h = await openWebHarness();
    for (const header of [`Bearer ${h.token}x`, `Basic ${h.token}`, 'Bearer', `Bearer ${h.token.slice(1)}`]) {
      const res = await h.app.request('/api/pipelines', { headers: { Authorization: header } });
      expect(res.status, header).toBe(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain('not valid');
    }
  });

  it('lets the right token through, and leaves /healthz open', async () => {
    const h = await openWebHarness();
    expect((await h.api('/api/pipelines')).status).toBe(200);
    const health = await h.app.request('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
  });
});
