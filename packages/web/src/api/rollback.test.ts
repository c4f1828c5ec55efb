import type { EventActor } from '@pipewright/core';
import type { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebControl } from '../deps.ts';
import { closeWebHarnesses, openWebHarness, PIPELINE, type WebHarness } from '../web-harness.test-helper.ts';

afterEach(closeWebHarnesses);

const path = (stage: string, pipeline = PIPELINE) => `/api/pipelines/${pipeline}/stages/${stage}/rollback`;

function post(h: WebHarness, app: Hono, to: string, body: string): Promise<Response> {
  return Promise.resolve(
    app.request(to, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${h.token}`,
        'Content-Type': 'application/json',
        'X-Pipewright-User': 'alice',
      },
      body,
    }),
  );
}

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, ...body.error };
}

describe('rollbackRoutes', () => {
  it('starts the rollback with the acting user and answers 201 with the new execution', async () => {
    // Prepare
    const h = await openWebHarness();
    const calls: {
      pipeline: string;
      input: { stageName: string; targetExecutionId?: string; actor: EventActor };
    }[] = [];
    const app = h.appWith({
      control: {
        ...(h.deps.control as WebControl),
        rollbackStage: async (pipeline, input) => {
          calls.push({ pipeline, input });
          return { executionId: 'r1', targetExecutionId: input.targetExecutionId ?? 't0' };
        },
      },
    });
    // Act
    const res = await post(h, app, path('Deploy'), JSON.stringify({ targetExecutionId: ' t1 ' }));
    const latest = await post(h, app, path('Deploy'), '');
    // Assess
    expect(res.status).toBe(201);
    expect(res.headers.get('Location')).toBe('/api/executions/r1');
    expect(await res.json()).toEqual({ executionId: 'r1', targetExecutionId: 't1' });
    expect(await latest.json()).toEqual({ executionId: 'r1', targetExecutionId: 't0' });
    expect(calls).toEqual([
      {
        pipeline: PIPELINE,
        input: {
          stageName: 'Deploy',
          targetExecutionId: 't1',
          actor: { kind: 'user', id: 'alice', verifiedBy: 'server-token' },
        },
      },
      {
        pipeline: PIPELINE,
        input: { stageName: 'Deploy', actor: { kind: 'user', id: 'alice', verifiedBy: 'server-token' } },
      },
    ]);
  });

  it('answers 409 with the engine refusal (PARALLEL pipelines have no rollback)', async () => {
    const h = await openWebHarness();
    const engine = h.runtime.engine;
    const app = h.appWith({
      control: {
        ...(h.deps.control as WebControl),
        rollbackStage: (p, input) => engine.rollbackStage(p, input),
      },
    });
    const res = await post(h, app, path('Deploy'), '{}');
    expect(await errorOf(res)).toMatchObject({
      status: 409,
      code: 'Conflict',
      message: expect.stringContaining('PARALLEL mode'),
    });
  });

  it('answers 404 for an unknown pipeline or stage, 400 for a bad body, 501 without a control', async () => {
    const h = await openWebHarness();
    const withControl = h.appWith({
      control: {
        ...(h.deps.control as WebControl),
        rollbackStage: async () => ({ executionId: 'r', targetExecutionId: 't' }),
      },
    });
    expect((await errorOf(await post(h, withControl, path('Deploy', 'nope'), '{}'))).status).toBe(404);
    expect(await errorOf(await post(h, withControl, path('Nope'), '{}'))).toMatchObject({
      status: 404,
      message: expect.stringContaining('its stages: Source, Build, Approve, Deploy'),
    });
    expect(await errorOf(await post(h, withControl, path('Deploy'), '{"target":"x"}'))).toMatchObject({
      status: 400,
    });
    expect((await errorOf(await post(h, h.app, path('Deploy'), '{}'))).status).toBe(501);
  });
});
