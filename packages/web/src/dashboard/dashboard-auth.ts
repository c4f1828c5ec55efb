/**
 * Signing in to the dashboard and guarding its pages and forms (see `session.ts` for the
 * scheme): `GET /login` asks for an API token — the user's own (it names them) or the server's
 * (its owner, who may give a name to record as the actor) — `POST /login` verifies it and sets
 * the session cookie, `POST /logout` clears it. With OpenID Connect configured, `/login` also
 * offers signing in with the provider (see `identity/oidc-routes.ts`).
 * Pages without a session redirect to `/login?next=…`; state-changing requests without a
 * session, from another site, or without the session's CSRF token are refused (403) and
 * change nothing.
 *
 * @example
 * ```ts
 * app.route('/', loginRoutes(deps));
 * app.get('/pipelines/:name', requireSession(deps), handler);
 * app.post('/pipelines/:name/release', requireSession(deps), requireCsrf(deps), handler);
 * ```
 */
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { WebDeps } from '../deps.ts';
import { html, type SafeHtml } from '../html/escape.ts';
import { directoryOf } from '../identity/authorize-decision.ts';
import type { Identity } from '../identity/identity.ts';
import { sendDashboardPage } from './layout.ts';
import {
  CSRF_FIELD,
  csrfToken,
  type DashboardSession,
  DEFAULT_SESSION_USER,
  fromOwnPages,
  readSession,
  SECURE_SESSION_COOKIE,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  SESSION_USER_MAX,
  sessionUserProblem,
  signSession,
  validCsrf,
} from './session.ts';

/** What the guards put on the context. @example `c.get('session').user` */
export type DashboardEnv = { Variables: { session: DashboardSession; csrf: string } };

function clock(deps: WebDeps): Date {
  return deps.now?.() ?? new Date();
}

function overHttps(c: Context): boolean {
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
  return forwarded === 'https' || new URL(c.req.url).protocol === 'https:';
}

/**
 * The session of the request, when its cookie holds a valid one.
 *
 * @example
 * ```ts
 * sessionOf(c, deps)?.user; // 'alice'
 * ```
 */
export function sessionOf(c: Context, deps: WebDeps): DashboardSession | undefined {
  const value = getCookie(c, SECURE_SESSION_COOKIE) ?? getCookie(c, SESSION_COOKIE);
  const session = readSession(deps.apiToken, value, clock(deps));
  if (session?.via !== 'token') return session;
  // A token user's roles are the users file's now: a removed user's sessions end with it.
  const listed = directoryOf(deps).listed(session.user);
  return listed === undefined ? undefined : { ...session, roles: listed.roles, groups: listed.groups };
}

/**
 * The verified identity of a session.
 *
 * @example
 * ```ts
 * sessionIdentity(c.get('session')).roles; // ['approver']
 * ```
 */
export function sessionIdentity(session: DashboardSession): Identity {
  return { user: session.user, roles: session.roles, groups: session.groups, via: session.via };
}

/**
 * Signs the identity in: sets the session cookie (12 hours).
 *
 * @example
 * ```ts
 * startSession(c, deps, identity);
 * return c.redirect(next, 303);
 * ```
 */
export function startSession(c: Context, deps: WebDeps, identity: Identity): void {
  const secure = overHttps(c);
  const claims = { via: identity.via, roles: identity.roles, groups: identity.groups };
  setCookie(
    c,
    secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE,
    signSession(deps.apiToken, identity.user, clock(deps), SESSION_TTL_SECONDS, claims),
    { path: '/', httpOnly: true, sameSite: 'Strict', secure, maxAge: SESSION_TTL_SECONDS },
  );
}

/**
 * A local path to go back to after signing in (anything else becomes `/`).
 *
 * @example
 * ```ts
 * safeNext('//evil.example/'); // '/'
 * safeNext('/pipelines/web-app'); // '/pipelines/web-app'
 * ```
 */
export function safeNext(next: string | undefined): string {
  if (next === undefined || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\'))
    return '/';
  if (next.length > 2000 || /[\p{Cc}]/u.test(next)) return '/';
  return next;
}

function refusal(c: Context, title: string, message: SafeHtml): Response {
  return sendDashboardPage(
    c,
    403,
    { title, narrow: true },
    html`<h1>${title}</h1><p class="notice" role="alert">${message}</p><p><a href="/login">Sign in</a></p>`,
  );
}

/**
 * Lets requests with a session through (and puts it and its CSRF token on the context). A GET
 * without one is redirected to sign in; anything else is refused.
 *
 * @example
 * ```ts
 * routes.get('/', requireSession(deps), (c) => c.text(c.get('session').user));
 * ```
 */
export function requireSession(deps: WebDeps): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const session = sessionOf(c, deps);
    if (session === undefined) {
      if (c.req.method === 'GET' || c.req.method === 'HEAD') {
        const url = new URL(c.req.url);
        return c.redirect(`/login?next=${encodeURIComponent(`${url.pathname}${url.search}`)}`, 303);
      }
      return refusal(
        c,
        'Not signed in',
        html`Your session has ended or you never signed in, so nothing was done. Sign in and try again.`,
      );
    }
    c.set('session', session);
    c.set('csrf', csrfToken(deps.apiToken, session));
    await next();
  };
}

/**
 * Refuses state-changing requests from other sites or without the session's CSRF token (form
 * field `_csrf`). Runs after {@link requireSession}.
 *
 * @example
 * ```ts
 * routes.post('/x', requireSession(deps), requireCsrf(deps), handler);
 * ```
 */
export function requireCsrf(deps: WebDeps): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    if (!fromOwnPages(requestOriginOf(c))) {
      return refusal(c, 'Refused', html`This request came from another site, so nothing was done.`);
    }
    const form = await c.req.parseBody();
    if (!validCsrf(deps.apiToken, c.get('session'), form[CSRF_FIELD])) {
      return refusal(
        c,
        'Refused',
        html`The form was not sent from a page of this session (its CSRF token is missing or old), so nothing was done. Reload the page and try again.`,
      );
    }
    await next();
  };
}

/**
 * What {@link fromOwnPages} needs of a request.
 *
 * @example
 * ```ts
 * fromOwnPages(requestOriginOf(c));
 * ```
 */
export function requestOriginOf(c: Context) {
  return {
    url: c.req.url,
    origin: c.req.header('origin'),
    fetchSite: c.req.header('sec-fetch-site'),
    forwardedProto: c.req.header('x-forwarded-proto'),
    forwardedHost: c.req.header('x-forwarded-host'),
  };
}

function loginPage(c: Context, deps: WebDeps, status: 200 | 403, next: string, problem?: string): Response {
  const oidc = directoryOf(deps).oidc;
  return sendDashboardPage(
    c,
    status,
    { title: 'Sign in', narrow: true },
    html`<h1>Sign in to Pipewright</h1>
${problem === undefined ? '' : html`<p class="notice" role="alert">${problem}</p>`}
${oidc === undefined ? '' : html`<p><a class="button" href="/login/oidc?next=${encodeURIComponent(next)}">Sign in with ${new URL(oidc.issuer).host}</a></p><p class="muted">or with an API token:</p>`}
<p>Enter your API token (<code>pipewright users token &lt;name&gt;</code> makes one), or this server's own token, which <code>pipewright serve</code> keeps in <code>&lt;state-dir&gt;/api-token</code> (<code>.pipewright/api-token</code> by default).</p>
<form method="post" action="/login" class="stack">
<input type="hidden" name="next" value="${next}">
<div class="field"><label for="token">API token</label>
<input id="token" name="token" type="password" required autocomplete="current-password" spellcheck="false"></div>
<div class="field"><label for="user">Your name <span class="muted">(with the server's own token only: your token names you)</span></label>
<input id="user" name="user" maxlength="${SESSION_USER_MAX}" autocomplete="username" placeholder="${DEFAULT_SESSION_USER}"></div>
<div class="buttons"><button type="submit">Sign in</button></div>
</form>`,
  );
}

/**
 * The routes, to mount at `/`.
 *
 * @example
 * ```ts
 * app.route('/', loginRoutes(deps));
 * ```
 */
export function loginRoutes(deps: WebDeps): Hono {
  const routes = new Hono();
  routes.get('/login', (c) => {
    const next = safeNext(c.req.query('next'));
    if (sessionOf(c, deps) !== undefined) return c.redirect(next, 303);
    return loginPage(c, deps, 200, next);
  });
  routes.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(typeof form.next === 'string' ? form.next : undefined);
    if (!fromOwnPages(requestOriginOf(c)))
      return loginPage(c, deps, 403, next, 'This sign-in came from another site.');
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    const named = typeof form.user === 'string' ? form.user.trim() : '';
    const identity =
      token === ''
        ? undefined
        : directoryOf(deps).byToken(token, named === '' ? DEFAULT_SESSION_USER : named);
    if (identity === undefined) {
      return loginPage(
        c,
        deps,
        403,
        next,
        'That is not a token of this server: use your own (pipewright users token <name>) or the server token in <state-dir>/api-token.',
      );
    }
    const problem = sessionUserProblem(identity.user);
    if (problem !== undefined) return loginPage(c, deps, 403, next, `Your name: ${problem}.`);
    startSession(c, deps, identity);
    return c.redirect(next, 303);
  });
  routes.post('/logout', requireSession(deps), requireCsrf(deps), (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    deleteCookie(c, SECURE_SESSION_COOKIE, { path: '/', secure: true });
    return c.redirect('/login', 303);
  });
  return routes;
}
