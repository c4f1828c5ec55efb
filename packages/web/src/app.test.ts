import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from './app.ts';
import { closeWebHarnesses, openWebHarness, PIPELINE } from './web-harness.test-helper.ts';

afterEach(closeWebHarnesses);

describe('createApp', () => {
  it('refuses a body over 1 MiB with 413 and appends nothing', async () => {
    const h = await openWebHarness();
    const res = await h.api(`/api/pipelines/${PIPELINE}/executions`, {
      json: { variables: { DEPLOY_ENV: 'x'.repeat(MAX_BODY_BYTES) } },
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PayloadTooLarge');
    expect((await h.runtime.store.listExecutions(PIPELINE)).executions).toEqual([]);
  });

  it('answers 404 as JSON under /api and as a page elsewhere', async () => {
    const h = await openWebHarness();
    const api = await h.api('/api/nothing');
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('NotFound');
    const page = await h.app.request('/nothing');
    expect(page.status).toBe(404);
    expect(page.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<h1>Not found</h1>');
  });

  it('refuses an empty API token', async () => {
    const h = await openWebHarness();
    expect(() => h.appWith({ apiToken: '' })).toThrow('must not be empty');
  });
});
