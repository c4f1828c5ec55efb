import type { EventRecord, ExecutionView } from '@pipewright/core';
import { pipelineStream } from '@pipewright/core';
import { readExecution } from '@pipewright/engine';
import type { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebControl } from '../deps.ts';
import { closeWebHarnesses, openWebHarness, PIPELINE, type WebHarness } from '../web-harness.test-helper.ts';

afterEach(closeWebHarnesses);

/** The harness's control plus the operator controls of its engine (as `pipewright serve` wires them). */
function withOperator(h: WebHarness, extra: Partial<WebControl> = {}): Hono {
  const engine = h.runtime.engine;
  const control = h.deps.control as WebControl;
  return h.appWith({
    control: {
      ...control,
      retryStage: (id, input) => engine.retryStage(id, input),
      disableTransition: (pipeline, input) => engine.disableTransition(pipeline, input),
      enableTransition: (pipeline, input) => engine.enableTransition(pipeline, input),
      ...extra,
    },
  });
}

function call(h: WebHarness, app: Hono, path: string, json: unknown, raw?: string): Promise<Response> {
  return Promise.resolve(
    app.request(path, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${h.token}`,
        'Content-Type': 'application/json',
        'X-Pipewright-User': 'alice',
      },
      body: raw ?? JSON.stringify(json),
    }),
  );
}

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, ...body.error };
}

/** Polls the execution view until `ok` holds (the gate decides asynchronously). */
async function viewWhen(h: WebHarness, executionId: string, ok: (v: ExecutionView) => boolean) {
  for (let i = 0; i < 500; i++) {
    const view = (await (await h.api(`/api/executions/${executionId}`)).json()) as ExecutionView;
    if (ok(view)) return view;
    await new Promise((done) => setTimeout(done, 10));
  }
  throw new Error(`execution ${executionId} never reached the expected state`);
}

const transitionPath = (stage: string, verb: 'disable' | 'enable', pipeline = PIPELINE) =>
  `/api/pipelines/${pipeline}/transitions/${stage}/${verb}`;

describe('operatorRoutes', () => {
  it('disables the Build transition (the execution waits at its gate), then enables it (it goes on)', async () => {
    // Prepare
    const h = await openWebHarness();
    const app = withOperator(h);
    // Act
    const disabled = await call(h, app, transitionPath('Build', 'disable'), {
      reason: ' release freeze ',
      requestId: 'r-1',
    });
    const executionId = await h.startExecution();
    const waiting = await viewWhen(h, executionId, (v) => v.stages[1]?.waiting !== undefined);
    const enabled = await call(h, app, transitionPath('Build', 'enable'), {});
    const request = await h.approvalRequested(executionId);
    // Assess
    expect(disabled.status).toBe(200);
    expect(await disabled.json()).toEqual({
      pipelineName: PIPELINE,
      stageName: 'Build',
      transitionType: 'Inbound',
      enabled: false,
      disabledReason: 'release freeze',
      lastChangedBy: 'alice',
      lastChangedAt: expect.any(String),
    });
    expect(waiting.stages[1]).toMatchObject({
      status: 'NotStarted',
      waiting: { gate: 'Transition', reason: 'release freeze' },
    });
    expect(enabled.status).toBe(200);
    expect(await enabled.json()).toMatchObject({ stageName: 'Build', enabled: true, lastChangedBy: 'alice' });
    expect(request.stageName).toBe('Approve');
    const records = await h.runtime.store.read(pipelineStream(PIPELINE));
    expect(
      records.filter((r: EventRecord) => r.type.startsWith('Transition')).map((r) => [r.type, r.actor]),
    ).toEqual([
      ['TransitionDisabled', { kind: 'user', id: 'alice', verifiedBy: 'server-token' }],
      ['TransitionEnabled', { kind: 'user', id: 'alice', verifiedBy: 'server-token' }],
    ]);
  });

  it('passes a retry to the control with the actor and answers with the execution view', async () => {
    // Prepare
    const h = await openWebHarness();
    const executionId = await h.startExecution();
    await h.approvalRequested(executionId);
    const asked: unknown[] = [];
    const app = withOperator(h, {
      retryStage: async (id, input) => {
        asked.push([id, input]);
        return (await readExecution(h.deps.store, id)).view;
      },
    });
    // Act
    const res = await call(h, app, `/api/executions/${executionId}/retry`, {
      stageName: 'Build',
      retryMode: 'ALL_ACTIONS',
    });
    // Assess
    expect(res.status).toBe(200);
    expect(((await res.json()) as ExecutionView).pipelineExecutionId).toBe(executionId);
    expect(asked).toEqual([
      [
        executionId,
        {
          stageName: 'Build',
          retryMode: 'ALL_ACTIONS',
          actor: { kind: 'user', id: 'alice', verifiedBy: 'server-token' },
        },
      ],
    ]);
  });

  it('answers 409 with what to do when the stage is not failed, appending nothing', async () => {
    const h = await openWebHarness();
    const app = withOperator(h);
    const executionId = await h.startExecution();
    await h.approvalRequested(executionId);
    const before = await h.eventCount(executionId);
    const res = await call(h, app, `/api/executions/${executionId}/retry`, {
      stageName: 'Build',
      retryMode: 'FAILED_ACTIONS',
    });
    expect(await errorOf(res)).toEqual({
      status: 409,
      code: 'Conflict',
      message: expect.stringMatching(
        /stage Build of execution .* is Succeeded, not Failed; only a failed stage can be retried/,
      ),
    });
    expect(await h.eventCount(executionId)).toBe(before);
  });

  it.each([
    ['a missing retryMode', '/api/executions/x/retry', { stageName: 'Build' }, /body\.retryMode/],
    [
      'an unknown retryMode',
      '/api/executions/x/retry',
      { stageName: 'Build', retryMode: 'SOME' },
      /body\.retryMode/,
    ],
    [
      'an unknown field',
      '/api/executions/x/retry',
      { stageName: 'Build', retryMode: 'ALL_ACTIONS', force: true },
      /force/,
    ],
    ['a disable without a reason', transitionPath('Deploy', 'disable'), {}, /body\.reason/],
    ['a blank reason', transitionPath('Deploy', 'disable'), { reason: '  ' }, /body\.reason/],
    [
      'a reason over 300 characters',
      transitionPath('Deploy', 'disable'),
      { reason: 'x'.repeat(301) },
      /body\.reason/,
    ],
    [
      'an enable with a bad request id',
      transitionPath('Deploy', 'enable'),
      { requestId: 3 },
      /body\.requestId/,
    ],
  ])('answers 400 for %s', async (_case, path, body, message) => {
    const h = await openWebHarness();
    const error = await errorOf(await call(h, withOperator(h), path, body));
    expect(error).toMatchObject({ status: 400, code: 'ValidationError' });
    expect(error.message).toMatch(message);
    expect(await h.runtime.store.read(pipelineStream(PIPELINE))).toHaveLength(1);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const h = await openWebHarness();
    const res = await call(h, withOperator(h), transitionPath('Deploy', 'disable'), undefined, '{nope');
    expect(await errorOf(res)).toMatchObject({ status: 400, code: 'BadRequest' });
  });

  it('answers 404 for an unknown execution, pipeline or stage', async () => {
    const h = await openWebHarness();
    const app = withOperator(h);
    const retry = await call(h, app, '/api/executions/nope/retry', {
      stageName: 'Build',
      retryMode: 'ALL_ACTIONS',
    });
    expect(await errorOf(retry)).toMatchObject({
      status: 404,
      message: expect.stringContaining('no execution nope'),
    });
    const pipeline = await call(h, app, transitionPath('Deploy', 'enable', 'nope'), {});
    expect(await errorOf(pipeline)).toMatchObject({
      status: 404,
      message: expect.stringContaining('no pipeline named "nope"'),
    });
    const stage = await call(h, app, transitionPath('Nope', 'disable'), { reason: 'x' });
    expect(await errorOf(stage)).toMatchObject({
      status: 404,
      message: `pipeline ${PIPELINE} has no stage "Nope"; its stages: Source, Build, Approve, Deploy`,
    });
  });

  it('answers 501 where the server does not run executions or lacks the control', async () => {
    const h = await openWebHarness();
    const control = h.deps.control as WebControl;
    for (const app of [h.appWith({ control: undefined }), h.appWith({ control: { ...control } })]) {
      for (const [path, body] of [
        ['/api/executions/x/retry', { stageName: 'Build', retryMode: 'ALL_ACTIONS' }],
        [transitionPath('Deploy', 'disable'), { reason: 'freeze' }],
        [transitionPath('Deploy', 'enable'), {}],
      ] as const) {
        expect(await errorOf(await call(h, app, path, body))).toMatchObject({
          status: 501,
          code: 'NotImplemented',
        });
      }
    }
  });

  it('needs the API token', async () => {
    const h = await openWebHarness();
    const res = await withOperator(h).request(transitionPath('Deploy', 'disable'), {
      method: 'POST',
      body: JSON.stringify({ reason: 'freeze' }),
    });
    expect(res.status).toBe(401);
    expect(await h.runtime.store.read(pipelineStream(PIPELINE))).toHaveLength(1);
  });
});
