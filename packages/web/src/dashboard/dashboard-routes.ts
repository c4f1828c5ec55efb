/**
 * The dashboard's routes, mounted at `/` next to the API and the approval pages:
 *
 * | method and path                                            | what                                    |
 * | ---------------------------------------------------------- | --------------------------------------- |
 * | `GET /`                                                    | the pipelines                           |
 * | `GET /pipelines/:name`                                     | a pipeline's stages, approvals, latest  |
 * | `GET /pipelines/:name/history`                             | its executions, filtered and paged      |
 * | `GET /pipelines/:name/triggers`                            | its trigger log                         |
 * | `GET /pipelines/:name/executions/:id`                      | one execution                           |
 * | `GET /pipelines/:name/executions/:id/logs/:stage/:action`  | an action's log (`follow=1` streams it) |
 * | `GET /dashboard/live?view=&gen=`                           | live updates (Server-Sent Events)       |
 * | `POST /pipelines/:name/release`, `…/transitions/:stage`, `…/executions/:id/stop\|retry\|approvals` | the forms |
 * | `GET /login`, `POST /login`, `POST /logout`                | the session                             |
 * | `GET /dashboard/app.css`, `GET /dashboard/app.js`          | the style sheet and the client script   |
 *
 * Pages and the event stream need a session (`/login`); forms also need its CSRF token.
 *
 * @example
 * ```ts
 * const dashboard = createDashboard(deps);
 * app.route('/', dashboard.routes);
 * ```
 */
import { createHash } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { actionLogRoute } from '../api/logs.ts';
import type { WebDeps } from '../deps.ts';
import { html, raw, type SafeHtml } from '../html/escape.ts';
import { CLIENT_SCRIPT } from './client-script.ts';
import {
  DONE_MESSAGES,
  decisionAction,
  releaseAction,
  retryAction,
  stopAction,
  transitionAction,
} from './dashboard-actions.ts';
import { type DashboardEnv, loginRoutes, requireCsrf, requireSession, sessionOf } from './dashboard-auth.ts';
import type { DashboardContext, Regions } from './dashboard-context.ts';
import { DashboardReader } from './dashboard-reader.ts';
import { executionOf, executionPage } from './execution-page.ts';
import { historyPage, historyRegions, parseHistoryQuery } from './history-page.ts';
import { type Chrome, SCRIPT_PATH, STYLE_PATH, sendDashboardPage } from './layout.ts';
import { LiveHub } from './live-hub.ts';
import { liveKey, resolveLiveView, servedPipeline } from './live-views.ts';
import { overviewPage } from './overview-page.ts';
import { pipelinePage } from './pipeline-page.ts';
import { SSE_HEADERS } from './server-sent-events.ts';
import { csrfToken } from './session.ts';
import { DASHBOARD_CSS } from './styles.ts';
import { parseTriggerQuery, triggersPage } from './triggers-page.ts';

/** The dashboard: its routes and its live machinery (for tests and benchmarks). @example `createDashboard(deps).hub.clients` */
export interface Dashboard {
  routes: Hono;
  hub: LiveHub;
  reader: DashboardReader;
}

function asset(body: string, type: string) {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  const headers = {
    'content-type': type,
    'cache-control': 'no-cache',
    etag,
    'x-content-type-options': 'nosniff',
  };
  return (c: Context) =>
    c.req.header('if-none-match') === etag ? c.body(null, 304, headers) : c.body(body, 200, headers);
}

function notice(done: string | undefined): SafeHtml | undefined {
  const message = done === undefined ? undefined : DONE_MESSAGES[done];
  return message === undefined ? undefined : html`<p class="notice ok" role="status">${message}</p>`;
}

/**
 * Builds the dashboard.
 *
 * @example
 * ```ts
 * const { routes } = createDashboard(deps);
 * app.route('/', routes);
 * ```
 */
export function createDashboard(deps: WebDeps): Dashboard {
  if (
    deps.liveMaxSeconds !== undefined &&
    !(deps.liveMaxSeconds > 0 && Number.isFinite(deps.liveMaxSeconds))
  ) {
    throw new RangeError(
      `liveMaxSeconds must be a positive number of seconds; got ${deps.liveMaxSeconds}; leave it out for streams without an end`,
    );
  }
  const reader = new DashboardReader(deps, { heard: deps.changes !== undefined });
  const ctx: DashboardContext = { deps, reader, now: () => deps.now?.() ?? new Date() };
  const hub = new LiveHub({
    reader,
    resolve: (key) => resolveLiveView(ctx, key),
    ...(deps.changes === undefined ? {} : { changes: deps.changes }),
    ...(deps.onError === undefined ? {} : { onError: deps.onError }),
    ...(deps.liveMaxSeconds === undefined ? {} : { maxStreamMs: deps.liveMaxSeconds * 1000 }),
  });
  const routes = new Hono<DashboardEnv>();
  const session = requireSession(deps);
  const csrf = requireCsrf(deps);

  routes.get(STYLE_PATH, asset(DASHBOARD_CSS, 'text/css; charset=utf-8'));
  routes.get(SCRIPT_PATH, asset(CLIENT_SCRIPT, 'text/javascript; charset=utf-8'));
  routes.route('/', loginRoutes(deps));
  addPageRoutes(routes, ctx, hub, session);
  routes.get('/dashboard/live', liveRoute(ctx, hub));
  routes.post('/pipelines/:name/release', session, csrf, releaseAction(ctx));
  routes.post('/pipelines/:name/transitions/:stage', session, csrf, transitionAction(ctx));
  routes.post('/pipelines/:name/executions/:id/stop', session, csrf, stopAction(ctx));
  routes.post('/pipelines/:name/executions/:id/retry', session, csrf, retryAction(ctx));
  routes.post('/pipelines/:name/executions/:id/approvals', session, csrf, decisionAction(ctx));

  return { routes: routes as unknown as Hono, hub, reader };
}

type DashboardContextOf = Context<DashboardEnv>;

function page(c: DashboardContextOf, chrome: Omit<Chrome, 'session'>, body: SafeHtml): Response {
  c.header('Vary', 'Cookie');
  return sendDashboardPage(c, 200, { ...chrome, session: c.get('session') }, body, c.get('csrf'));
}

/** Rendered regions are the dashboard's own markup. */
function trusted(regions: Record<string, string>): Regions {
  return Object.fromEntries(Object.entries(regions).map(([id, markup]) => [id, raw(markup)]));
}

/** A page with live regions: rendered through the hub, so its stream starts from what the page shows. */
async function livePage(
  hub: LiveHub,
  c: DashboardContextOf,
  key: string,
  chrome: Pick<Chrome, 'title' | 'nav'>,
  body: (regions: Regions) => SafeHtml,
): Promise<Response> {
  const { regions, gen } = await hub.renderForPage(key);
  return page(c, { ...chrome, live: key, gen }, body(trusted(regions)));
}

function addPageRoutes(
  routes: Hono<DashboardEnv>,
  ctx: DashboardContext,
  hub: LiveHub,
  session: ReturnType<typeof requireSession>,
): void {
  routes.get('/', session, (c) =>
    livePage(hub, c, liveKey.overview(), { title: 'Pipelines', nav: 'pipelines' }, (regions) =>
      overviewPage(regions),
    ),
  );

  routes.get('/pipelines/:name', session, (c) => {
    const pipeline = servedPipeline(ctx, c.req.param('name'));
    return livePage(
      hub,
      c,
      liveKey.pipeline(pipeline.name),
      { title: pipeline.name, nav: 'pipelines' },
      (regions) => pipelinePage(ctx, pipeline, regions, notice(c.req.query('done'))),
    );
  });

  routes.get('/pipelines/:name/history', session, async (c) => {
    const pipeline = servedPipeline(ctx, c.req.param('name'));
    const query = parseHistoryQuery(c.req.query());
    const chrome = { title: `History of ${pipeline.name}`, nav: 'pipelines' as const };
    if (query.before === undefined) {
      return livePage(hub, c, liveKey.history(pipeline.name, query), chrome, (regions) =>
        historyPage(pipeline, query, regions),
      );
    }
    // Later pages are not live: they would shift under the reader.
    return page(c, chrome, historyPage(pipeline, query, await historyRegions(ctx, pipeline, query)));
  });

  routes.get('/pipelines/:name/triggers', session, async (c) => {
    const pipeline = servedPipeline(ctx, c.req.param('name'));
    const query = parseTriggerQuery(c.req.query());
    const key = liveKey.triggers(pipeline.name, query);
    const chrome = { title: `Triggers of ${pipeline.name}`, nav: 'pipelines' as const };
    if (query.page === 1)
      return livePage(hub, c, key, chrome, (regions) => triggersPage(pipeline, query, regions));
    const { render } = resolveLiveView(ctx, key);
    return page(c, chrome, triggersPage(pipeline, query, trusted(await render())));
  });

  routes.get('/pipelines/:name/executions/:id', session, async (c) => {
    const pipeline = servedPipeline(ctx, c.req.param('name'));
    const executionId = c.req.param('id');
    await executionOf(ctx, pipeline.name, executionId);
    return livePage(
      hub,
      c,
      liveKey.execution(pipeline.name, executionId),
      { title: `Execution ${executionId.slice(0, 8)} of ${pipeline.name}`, nav: 'pipelines' },
      (regions) => executionPage(pipeline, executionId, regions, notice(c.req.query('done'))),
    );
  });

  const logs = actionLogRoute(ctx.deps);
  routes.get('/pipelines/:name/executions/:id/logs/:stage/:action', session, async (c, next) => {
    await executionOf(ctx, servedPipeline(ctx, c.req.param('name')).name, c.req.param('id'));
    return logs(c, next);
  });
}

/** `GET /dashboard/live`: the Server-Sent Events of one live view, for a signed-in browser. */
function liveRoute(ctx: DashboardContext, hub: LiveHub) {
  const { deps } = ctx;
  return async (c: DashboardContextOf): Promise<Response> => {
    const signedIn = sessionOf(c, deps);
    if (signedIn === undefined) return c.text('sign in at /login first', 403);
    const key = c.req.query('view') ?? '';
    resolveLiveView(ctx, key);
    if (key.startsWith('execution:')) {
      const [, name = '', id = ''] = key.split(':');
      await executionOf(ctx, decodeURIComponent(name), decodeURIComponent(id));
    }
    // A reconnecting browser names the generation it shows (the last patch's id); a fresh one, its page's.
    const gen = c.req.header('last-event-id') || c.req.query('gen');
    // The stream ends when the session does: it was checked only now.
    const endInMs = signedIn.expires * 1000 - (deps.now?.() ?? new Date()).getTime();
    try {
      const stream = hub.connect(key, csrfToken(deps.apiToken, signedIn), gen, { endInMs });
      return new Response(stream, { headers: SSE_HEADERS });
    } catch (e) {
      if (e instanceof RangeError) return c.text(e.message, 503);
      throw e;
    }
  };
}
