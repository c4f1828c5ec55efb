/**
 * The operator routes of the API: retry a failed stage (RetryStageExecution) and disable or
 * enable a stage's inbound transition (Disable/EnableStageTransition). Each one is recorded
 * with the acting user (`X-Pipewright-User`); a request the execution's or pipeline's state
 * refuses answers 409 with what to do, a bad body 400, and a server that does not run
 * executions 501.
 *
 * @example
 * ```ts
 * app.route('/api', operatorRoutes(deps));
 * // POST /api/executions/7f0c/retry { "stageName": "Build", "retryMode": "FAILED_ACTIONS" }
 * // POST /api/pipelines/web-app/transitions/Deploy/disable { "reason": "release freeze" }
 * // POST /api/pipelines/web-app/transitions/Deploy/enable {}
 * ```
 */
import { type Pipeline, RETRY_MODES, TRANSITION_REASON_MAX, type TransitionState } from '@pipewright/core';
import { readExecution, readPipelineStream } from '@pipewright/engine';
import { Hono } from 'hono';
import * as z from 'zod';
import { controlWith, type WebControlWith, type WebDeps } from '../deps.ts';
import { WebError } from '../errors.ts';
import { apiActor, jsonBody } from './request.ts';

/** Body of `POST /api/executions/:id/retry`. @example `{ stageName: 'Build', retryMode: 'FAILED_ACTIONS' }` */
export const RetryBodySchema = z.strictObject({
  stageName: z.string().min(1),
  retryMode: z.enum(RETRY_MODES),
});

const RequestIdSchema = z.string().trim().min(1).max(128);

/** Body of `POST /api/pipelines/:name/transitions/:stage/disable`. @example `{ reason: 'release freeze', requestId: 'r-1' }` */
export const DisableTransitionBodySchema = z.strictObject({
  reason: z.string().trim().min(1).max(TRANSITION_REASON_MAX),
  /** The same request sent again is recorded once (default: a new id). */
  requestId: RequestIdSchema.optional(),
});

/** Body of `POST /api/pipelines/:name/transitions/:stage/enable`. @example `{ requestId: 'r-2' }` */
export const EnableTransitionBodySchema = z.strictObject({
  requestId: RequestIdSchema.optional(),
});

/** The answer of the transition routes. @example `{ pipelineName: 'web-app', stageName: 'Deploy', transitionType: 'Inbound', enabled: false, disabledReason: 'freeze' }` */
export interface TransitionAnswer extends TransitionState {
  pipelineName: string;
  stageName: string;
  transitionType: 'Inbound';
}

function controlOf<K extends 'retryStage' | 'disableTransition' | 'enableTransition'>(
  deps: WebDeps,
  method: K,
): WebControlWith<K> {
  const found = controlWith(deps.control, method);
  if (found === undefined) {
    throw new WebError(
      'NotImplemented',
      'this server does not run executions; ask the server that runs them (pipewright serve)',
    );
  }
  return found;
}

function servedStage(deps: WebDeps, name: string, stageName: string): Pipeline {
  const pipeline = deps.pipelines.get(name);
  if (pipeline === undefined) {
    throw new WebError(
      'NotFound',
      `no pipeline named "${name}" is served here; GET /api/pipelines lists them`,
    );
  }
  if (!pipeline.stages.some((s) => s.name === stageName)) {
    const names = pipeline.stages.map((s) => s.name).join(', ');
    throw new WebError('NotFound', `pipeline ${name} has no stage "${stageName}"; its stages: ${names}`);
  }
  return pipeline;
}

async function transitionAnswer(
  deps: WebDeps,
  pipeline: Pipeline,
  stageName: string,
): Promise<TransitionAnswer> {
  const { view } = await readPipelineStream(deps.store, pipeline);
  return {
    pipelineName: pipeline.name,
    stageName,
    transitionType: 'Inbound',
    ...(view.transitions[stageName] ?? { enabled: true }),
  };
}

/**
 * The routes, to mount at `/api`.
 *
 * @example
 * ```ts
 * new Hono().route('/api', operatorRoutes(deps));
 * ```
 */
export function operatorRoutes(deps: WebDeps): Hono {
  const routes = new Hono();

  routes.post('/executions/:id/retry', async (c) => {
    const executionId = c.req.param('id');
    const body = await jsonBody(c, RetryBodySchema);
    const actor = apiActor(c);
    const control = controlOf(deps, 'retryStage');
    await readExecution(deps.store, executionId);
    await control.retryStage(executionId, { stageName: body.stageName, retryMode: body.retryMode, actor });
    return c.json((await readExecution(deps.store, executionId)).view);
  });

  routes.post('/pipelines/:name/transitions/:stage/disable', async (c) => {
    const stageName = c.req.param('stage');
    const pipeline = servedStage(deps, c.req.param('name'), stageName);
    const body = await jsonBody(c, DisableTransitionBodySchema);
    const actor = apiActor(c);
    const control = controlOf(deps, 'disableTransition');
    await control.disableTransition(pipeline.name, {
      stageName,
      reason: body.reason,
      actor,
      requestId: body.requestId ?? crypto.randomUUID(),
    });
    return c.json(await transitionAnswer(deps, pipeline, stageName));
  });

  routes.post('/pipelines/:name/transitions/:stage/enable', async (c) => {
    const stageName = c.req.param('stage');
    const pipeline = servedStage(deps, c.req.param('name'), stageName);
    const body = await jsonBody(c, EnableTransitionBodySchema);
    const actor = apiActor(c);
    const control = controlOf(deps, 'enableTransition');
    await control.enableTransition(pipeline.name, {
      stageName,
      actor,
      requestId: body.requestId ?? crypto.randomUUID(),
    });
    return c.json(await transitionAnswer(deps, pipeline, stageName));
  });

  return routes;
}
