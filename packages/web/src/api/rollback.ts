/**
 * The rollback route of the API (CodePipeline's RollbackStage): starts a `ROLLBACK` execution
 * that deploys one stage again with the artifacts of an earlier execution in which it
 * succeeded — the one given, or else the latest. Recorded with the acting user
 * (`X-Pipewright-User`); a refused rollback (PARALLEL mode, the source stage, no earlier
 * success, a target that is a rollback or ran another pipeline version) answers 409 with what
 * to do, an unknown pipeline, stage or target execution 404, a bad body 400, and a server
 * that does not run executions 501.
 *
 * @example
 * ```ts
 * app.route('/api', rollbackRoutes(deps));
 * // POST /api/pipelines/web-app/stages/Deploy/rollback { "targetExecutionId": "7f0c…" }
 * // → 201 { "executionId": "9a1b…", "targetExecutionId": "7f0c…" }
 * ```
 */
import { Hono } from 'hono';
import * as z from 'zod';
import type { WebDeps } from '../deps.ts';
import { WebError } from '../errors.ts';
import { apiActor, jsonBody } from './request.ts';

/** Body of `POST /api/pipelines/:name/stages/:stage/rollback`. @example `{ targetExecutionId: '7f0c…' }` */
export const RollbackBodySchema = z.strictObject({
  /** The execution to roll back to (default: the latest in which the stage succeeded). */
  targetExecutionId: z.string().trim().min(1).max(128).optional(),
});

/**
 * The routes, to mount at `/api`.
 *
 * @example
 * ```ts
 * new Hono().route('/api', rollbackRoutes(deps));
 * ```
 */
export function rollbackRoutes(deps: WebDeps): Hono {
  const routes = new Hono();

  routes.post('/pipelines/:name/stages/:stage/rollback', async (c) => {
    const name = c.req.param('name');
    const stageName = c.req.param('stage');
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
    const body = await jsonBody(c, RollbackBodySchema);
    const actor = apiActor(c);
    const rollbackStage = deps.control?.rollbackStage;
    if (rollbackStage === undefined) {
      throw new WebError(
        'NotImplemented',
        'this server does not run executions; ask the server that runs them (pipewright serve)',
      );
    }
    const started = await rollbackStage.call(deps.control, pipeline.name, {
      stageName,
      ...(body.targetExecutionId === undefined ? {} : { targetExecutionId: body.targetExecutionId }),
      actor,
    });
    c.header('Location', `/api/executions/${encodeURIComponent(started.executionId)}`);
    return c.json({ executionId: started.executionId, targetExecutionId: started.targetExecutionId }, 201);
  });

  return routes;
}
