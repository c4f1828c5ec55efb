import { afterEach, describe, expect, it } from 'vitest';
import { closeWebHarnesses, openWebHarness, PIPELINE } from '../web-harness.test-helper.ts';

afterEach(closeWebHarnesses);

type Json = Record<string, unknown>;

describe('pipelineRoutes', () => {
  it('starts an execution that then appears in the pipeline list, its executions and its view', async () => {
    // Prepare
    const h = await openWebHarness();
    // Act
    const res = await h.api(`/api/pipelines/${PIPELINE}/executions`, {
      json: { variables: { DEPLOY_ENV: 'prod' } },
      headers: { 'X-Pipewright-User': 'alice' },
    });
    const { executionId } = (await res.json()) as { executionId: string };
    await h.approvalRequested(executionId);
    // Assess
    expect(res.status).toBe(201);
    expect(res.headers.get('Location')).toBe(`/api/executions/${executionId}`);
    const list = (await (await h.api('/api/pipelines')).json()) as { pipelines: Json[] };
    expect(list.pipelines).toEqual([
      expect.objectContaining({
        name: PIPELINE,
        version: 1,
        stages: ['Source', 'Build', 'Approve', 'Deploy'],
        lastExecution: expect.objectContaining({ pipelineExecutionId: executionId, status: 'InProgress' }),
      }),
    ]);
    const one = (await (await h.api(`/api/pipelines/${PIPELINE}`)).json()) as Json;
    expect(one.pipeline).toMatchObject({ name: PIPELINE, stages: expect.any(Array) });
    expect(one.executions).toEqual([expect.objectContaining({ pipelineExecutionId: executionId })]);
    const page = (await (await h.api(`/api/pipelines/${PIPELINE}/executions`)).json()) as Json;
    expect(page.executions).toEqual([
      expect.objectContaining({
        pipelineExecutionId: executionId,
        trigger: { triggerType: 'StartPipelineExecution' },
      }),
    ]);
    const view = (await (await h.api(`/api/executions/${executionId}`)).json()) as Json;
    expect(view).toMatchObject({
      pipelineExecutionId: executionId,
      status: 'InProgress',
      variables: [{ name: 'DEPLOY_ENV', resolvedValue: 'prod' }],
    });
    const started = (await h.runtime.store.read(`execution-${executionId}`))[0];
    expect(started?.actor).toEqual({ kind: 'user', id: 'alice', verifiedBy: 'server-token' });
  });

  it('answers 400 with the field path for a bad body, and 400 with the message for an undeclared variable', async () => {
    const h = await openWebHarness();
    const bad = await h.api(`/api/pipelines/${PIPELINE}/executions`, {
      json: { variables: { DEPLOY_ENV: 7 } },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: { code: 'ValidationError', message: expect.stringMatching(/^body\.variables\.DEPLOY_ENV: /) },
    });
    const extra = await h.api(`/api/pipelines/${PIPELINE}/executions`, { json: { variablez: {} } });
    expect(extra.status).toBe(400);
    expect(((await extra.json()) as { error: { message: string } }).error.message).toContain('variablez');
    const notJson = await h.app.request(`/api/pipelines/${PIPELINE}/executions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${h.token}` },
      body: '{nope',
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe('BadRequest');
    const undeclared = await h.api(`/api/pipelines/${PIPELINE}/executions`, {
      json: { variables: { NOPE: 'x' } },
    });
    expect(undeclared.status).toBe(400);
    expect(await undeclared.json()).toEqual({
      error: { code: 'ValidationError', message: expect.stringContaining('NOPE') },
    });
    expect((await h.runtime.store.listExecutions(PIPELINE)).executions).toEqual([]);
  });

  it('answers 404 for an unknown pipeline and 501 where no control is wired', async () => {
    const h = await openWebHarness();
    const unknown = await h.api('/api/pipelines/nope/executions', { json: {} });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('NotFound');
    expect((await h.api('/api/pipelines/nope')).status).toBe(404);
    expect((await h.api('/api/pipelines/nope/executions')).status).toBe(404);
    const readOnly = h.appWith({ control: undefined });
    const res = await readOnly.request(`/api/pipelines/${PIPELINE}/executions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${h.token}` },
    });
    expect(res.status).toBe(501);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NotImplemented');
  });

  it('pages executions newest first and filters them by status', async () => {
    // Prepare: three executions waiting at the approval, the middle one stopped
    const h = await openWebHarness();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await h.startExecution();
      await h.approvalRequested(id);
      ids.push(id);
    }
    const [first, second, third] = ids as [string, string, string];
    expect((await h.api(`/api/executions/${second}/stop`, { json: { abandon: true } })).status).toBe(200);
    // Act
    const page1 = (await (await h.api(`/api/pipelines/${PIPELINE}/executions?limit=2`)).json()) as {
      executions: { pipelineExecutionId: string }[];
      nextCursor?: string;
    };
    const page2 = (await (
      await h.api(`/api/pipelines/${PIPELINE}/executions?limit=2&cursor=${page1.nextCursor}`)
    ).json()) as { executions: { pipelineExecutionId: string }[]; nextCursor?: string };
    const inProgress = (await (
      await h.api(`/api/pipelines/${PIPELINE}/executions?status=InProgress&limit=1`)
    ).json()) as { executions: { pipelineExecutionId: string }[]; nextCursor?: string };
    const inProgress2 = (await (
      await h.api(
        `/api/pipelines/${PIPELINE}/executions?status=InProgress&limit=1&cursor=${inProgress.nextCursor}`,
      )
    ).json()) as { executions: { pipelineExecutionId: string }[]; nextCursor?: string };
    const stopped = (await (await h.api(`/api/pipelines/${PIPELINE}/executions?status=Stopped`)).json()) as {
      executions: { pipelineExecutionId: string; durationMs?: number }[];
    };
    // Assess
    const all = [...page1.executions, ...page2.executions].map((e) => e.pipelineExecutionId);
    expect(new Set(all)).toEqual(new Set(ids));
    expect(all).toHaveLength(3);
    expect(page2.nextCursor).toBeUndefined();
    expect(
      [...inProgress.executions, ...inProgress2.executions].map((e) => e.pipelineExecutionId).sort(),
    ).toEqual([first, third].sort());
    expect(stopped.executions.map((e) => e.pipelineExecutionId)).toEqual([second]);
    expect(stopped.executions[0]?.durationMs).toEqual(expect.any(Number));
    const badQuery = await h.api(`/api/pipelines/${PIPELINE}/executions?limit=0&status=Done`);
    expect(badQuery.status).toBe(400);
    const message = ((await badQuery.json()) as { error: { message: string } }).error.message;
    expect(message).toContain('query.limit');
    expect(message).toContain('query.status');
    expect((await h.api(`/api/pipelines/${PIPELINE}/executions?cursor=garbage`)).status).toBe(400);
  });
});
