/**
 * The HTTP app: the JSON API under `/api` (Bearer token), the approval pages under
 * `/approvals` (signed links), the dashboard at `/` (a session made at `/login` with the API
 * token; see `dashboard/dashboard-routes.ts`), GitHub webhooks under `/webhooks/github` (signed payloads), the
 * local event bus at `POST /events` (Bearer token) and `/healthz`. One Hono app, served by `pipewright serve` on
 * Node and by the HTTP Lambda; it reaches the world through {@link WebDeps} ports only.
 *
 * @example
 * ```ts
 * const app = createApp({ store, logs, pipelines, approvalKey: key, apiToken: token, control });
 * const res = await app.request('/api/pipelines', { headers: { Authorization: `Bearer ${token}` } });
 * ```
 */
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requireIdentity } from './api/auth.ts';
import { executionRoutes } from './api/executions.ts';
import { operatorRoutes } from './api/operator.ts';
import { pipelineRoutes } from './api/pipelines.ts';
import { rollbackRoutes } from './api/rollback.ts';
import { approvalRoutes } from './approvals/approval-routes.ts';
import { createDashboard } from './dashboard/dashboard-routes.ts';
import type { WebDeps } from './deps.ts';
import { errorBody, toWebError, WebError } from './errors.ts';
import { messagePage } from './html/page.ts';
import { directoryOf } from './identity/authorize-decision.ts';
import { oidcRoutes } from './identity/oidc-routes.ts';
import { eventRoutes } from './triggers/event-routes.ts';
import { githubWebhookRoutes } from './triggers/github-webhook-routes.ts';

/**
 * The app, and what a server that shuts down calls first: `closeLive()` ends every live
 * dashboard stream (they are long-lived responses a server's `close()` would wait for).
 *
 * @example
 * ```ts
 * const app = createApp(deps);
 * serve({ fetch: app.fetch });
 * // on SIGTERM:
 * app.closeLive();
 * server.close();
 * ```
 */
export type WebApp = Hono & {
  /** Ends every live dashboard stream and stops listening to the store; streams asked for afterwards end at once. */
  closeLive(): void;
};

/** The largest request body accepted (1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;

const PAGE_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request too large',
  500: 'Something went wrong',
  501: 'Not available here',
};

function respond(c: Context, error: WebError): Response {
  if (/^\/(api|events|webhooks)(\/|$)/.test(c.req.path) || c.req.path === '/healthz') {
    if (error.status === 401 && !c.req.path.startsWith('/webhooks/')) c.header('WWW-Authenticate', 'Bearer');
    return c.json(errorBody(error), error.status);
  }
  const status = error.status === 401 ? 403 : error.status;
  return messagePage(c, status, PAGE_TITLES[status] ?? 'Error', error.message);
}

/**
 * Builds the app.
 *
 * @example
 * ```ts
 * const app = createApp(deps);
 * (await app.request('/healthz')).status; // 200
 * ```
 */
export function createApp(deps: WebDeps): WebApp {
  const app = new Hono();
  if (deps.apiToken === '') throw new TypeError('the API token must not be empty');
  const auth = requireIdentity(() => directoryOf(deps));

  app.onError((error, c) => respond(c, toWebError(error, deps.onError)));
  app.notFound((c) =>
    respond(
      c,
      new WebError('NotFound', `there is nothing at ${c.req.method} ${c.req.path}; see GET /api/pipelines`),
    ),
  );
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        respond(
          c,
          new WebError('PayloadTooLarge', `the body is larger than ${MAX_BODY_BYTES} bytes (1 MiB)`),
        ),
    }),
  );

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.use('/api/*', auth);
  app.use('/api', auth);
  app.route('/api/pipelines', pipelineRoutes(deps));
  app.route('/api/executions', executionRoutes(deps));
  app.route('/api', operatorRoutes(deps));
  app.route('/api', rollbackRoutes(deps));
  app.route('/approvals', approvalRoutes(deps));
  app.route('/login/oidc', oidcRoutes(deps));
  app.route('/webhooks/github', githubWebhookRoutes(deps));
  app.use('/events', auth);
  app.use('/events/*', auth);
  app.route('/events', eventRoutes(deps));
  const dashboard = createDashboard(deps);
  app.route('/', dashboard.routes);
  return Object.assign(app, { closeLive: () => dashboard.hub.close() });
}
