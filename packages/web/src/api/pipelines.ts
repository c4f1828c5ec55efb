/**
 * The pipeline routes of the API: the served pipelines, one pipeline with its latest
 * executions, starting an execution, and a pipeline's executions page by page.
 *
 * @example
 * ```ts
 * api.route('/pipelines', pipelineRoutes(deps));
 * // GET /api/pipelines, GET /api/pipelines/web-app, POST /api/pipelines/web-app/executions
 * ```
 */
import { EXECUTION_STATUSES, type Pipeline, pipelineStream } from '@pipewright/core';
import { pipelineDefinition } from '@pipewright/engine';
import { Hono } from 'hono';
import * as z from 'zod';
import type { WebDeps } from '../deps.ts';
import { WebError } from '../errors.ts';
import { type ExecutionRow, executionRow, listExecutionRows } from './execution-list.ts';
import { apiActor, jsonBody, parseWith } from './request.ts';

/** Executions shown with one pipeline (`GET /api/pipelines/:name`). */
export const LATEST_EXECUTIONS = 10;

/** Body of `POST /api/pipelines/:name/executions`. @example `{ variables: { DEPLOY_ENV: 'prod' } }` */
export const StartBodySchema = z.strictObject({
  variables: z.record(z.string(), z.string()).optional(),
});

/** Query of `GET /api/pipelines/:name/executions`. @example `{ limit: '10', status: 'Failed' }` */
export const ExecutionListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).optional(),
  status: z.enum([...EXECUTION_STATUSES, 'NotStarted']).optional(),
});

function served(deps: WebDeps, name: string): Pipeline {
  const pipeline = deps.pipelines.get(name);
  if (pipeline === undefined) {
    throw new WebError(
      'NotFound',
      `no pipeline named "${name}" is served here; GET /api/pipelines lists them`,
    );
  }
  return pipeline;
}

async function latestRows(deps: WebDeps, name: string, limit: number): Promise<ExecutionRow[]> {
  const page = await deps.store.listExecutions(name, { limit });
  return Promise.all(page.executions.map((e) => executionRow(deps.store, e.executionId)));
}

/**
 * The routes, to mount at `/api/pipelines`.
 *
 * @example
 * ```ts
 * new Hono().route('/api/pipelines', pipelineRoutes(deps));
 * ```
 */
export function pipelineRoutes(deps: WebDeps): Hono {
  const routes = new Hono();

  routes.get('/', async (c) => {
    const pipelines = [];
    for (const name of deps.pipelines.names()) {
      const pipeline = served(deps, name);
      const version = pipeline.version ?? (await pipelineDefinition(deps.store, name))?.version;
      const [lastExecution] = await latestRows(deps, name, 1);
      pipelines.push({
        name,
        ...(version === undefined ? {} : { version }),
        executionMode: pipeline.executionMode,
        stages: pipeline.stages.map((s) => s.name),
        ...(lastExecution === undefined ? {} : { lastExecution }),
      });
    }
    return c.json({ pipelines });
  });

  routes.get('/:name', async (c) => {
    const name = c.req.param('name');
    const pipeline = served(deps, name);
    return c.json({ pipeline, executions: await latestRows(deps, name, LATEST_EXECUTIONS) });
  });

  routes.post('/:name/executions', async (c) => {
    const name = c.req.param('name');
    served(deps, name);
    const body = await jsonBody(c, StartBodySchema);
    const actor = apiActor(c);
    if (deps.control === undefined) {
      throw new WebError(
        'NotImplemented',
        'this server does not run executions; start them where the pipeline runs (pipewright serve)',
      );
    }
    const { executionId } = await deps.control.start({
      pipeline: name,
      ...(body.variables === undefined ? {} : { variables: body.variables }),
      actor,
    });
    c.header('Location', `/api/executions/${encodeURIComponent(executionId)}`);
    return c.json({ executionId }, 201);
  });

  routes.get('/:name/executions', async (c) => {
    const name = c.req.param('name');
    if (deps.pipelines.get(name) === undefined && (await deps.store.version(pipelineStream(name))) === 0) {
      served(deps, name);
    }
    const query = parseWith(ExecutionListQuerySchema, c.req.query(), 'query');
    const page = await listExecutionRows(deps.store, name, {
      limit: query.limit,
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    });
    return c.json({ pipeline: name, ...page });
  });

  return routes;
}
