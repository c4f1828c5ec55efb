/**
 * `POST /events` (API token): the local event bus. An EventBridge-shaped event is delivered to
 * every served pipeline and matched against its `EventPattern` triggers; each pipeline records
 * it (matched or not, with the reason). The event's `id` is the trigger id — post the same id
 * again and nothing more happens; without one, a random id is given.
 *
 * @example
 * ```ts
 * app.route('/events', eventRoutes(deps));
 * // POST /events { "source": "acme.releases", "detail-type": "Release Approved", "detail": { "team": "web" } }
 * // 202 { "id": "…", "results": [{ "pipeline": "web-app", "matched": true, "reason": "…", "executionId": "…" }] }
 * ```
 */
import type { BusEvent } from '@pipewright/core';
import { Hono } from 'hono';
import * as z from 'zod';
import { jsonBody } from '../api/request.ts';
import type { WebDeps } from '../deps.ts';
import { WebError } from '../errors.ts';

/** Body of `POST /events`: one EventBridge event (as PutEvents' entry, with `detail` as JSON). @example `{ source: 'acme.releases', 'detail-type': 'Release Approved', detail: { team: 'web' } }` */
export const BusEventBodySchema = z.strictObject({
  id: z.string().min(1).max(256).optional(),
  version: z.string().optional(),
  source: z.string().min(1).max(256),
  'detail-type': z.string().min(1).max(128),
  detail: z.record(z.string(), z.unknown(), { error: 'expected an object (the event detail)' }),
  time: z.iso.datetime({ offset: true }).optional(),
  account: z.string().optional(),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
});

/** One pipeline's answer to an event. */
export interface EventResult {
  pipeline: string;
  matched: boolean;
  reason: string;
  executionId?: string;
}

/**
 * The routes, to mount at `/events` behind the API token.
 *
 * @example
 * ```ts
 * app.use('/events', requireApiToken(token));
 * app.route('/events', eventRoutes(deps));
 * ```
 */
export function eventRoutes(deps: WebDeps): Hono {
  const routes = new Hono();

  routes.post('/', async (c) => {
    const body = await jsonBody(c, BusEventBodySchema);
    if (deps.triggers === undefined) {
      throw new WebError('NotImplemented', 'this server does not start executions from events');
    }
    const now = (deps.now?.() ?? new Date()).toISOString();
    const { version, ...rest } = body;
    const event: BusEvent & { version?: string } = {
      ...rest,
      id: body.id ?? crypto.randomUUID(),
      time: body.time ?? now,
      ...(version === undefined ? {} : { version }),
    };
    const results: EventResult[] = [];
    for (const pipeline of deps.pipelines.names()) {
      const r = await deps.triggers.deliver(pipeline, { kind: 'event', triggerId: event.id, at: now, event });
      results.push({
        pipeline,
        matched: r.matched,
        reason: r.reason,
        ...(r.executionId === undefined ? {} : { executionId: r.executionId }),
      });
    }
    return c.json({ id: event.id, results }, 202);
  });

  return routes;
}
