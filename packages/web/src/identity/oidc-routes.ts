/**
 * Signing in to the dashboard and the approval pages with OpenID Connect (any provider:
 * Cognito, Okta, Google, Keycloak, GitHub through an OIDC bridge), with `openid-client`: the
 * authorization code flow with PKCE, state and nonce. `GET /login/oidc?next=` sends the browser
 * to the provider (the PKCE verifier, state and nonce travel in a sealed, 10-minute cookie);
 * `GET /login/oidc/callback` checks the answer, reads the user and groups from the ID token (and
 * the userinfo endpoint when the token lacks them), maps them to roles through the users file,
 * and starts a session. A sign-in that fails or leaves no role is a 403 page and starts nothing.
 *
 * @example
 * ```ts
 * app.route('/login/oidc', oidcRoutes(deps));
 * ```
 */
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as client from 'openid-client';
import * as z from 'zod';
import { safeNext, startSession } from '../dashboard/dashboard-auth.ts';
import { openSealed, seal } from '../dashboard/session.ts';
import type { WebDeps } from '../deps.ts';
import { messagePage } from '../html/page.ts';
import { directoryOf } from './authorize-decision.ts';
import type { OidcSettings } from './users-file.ts';

const FLOW_COOKIE = 'pw_oidc';
const FLOW_SECONDS = 600;
const FlowSchema = z.object({ verifier: z.string(), state: z.string(), nonce: z.string(), next: z.string() });

const discovered = new Map<string, Promise<client.Configuration>>();

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** The provider's configuration, discovered once per issuer and client (again after a failure). */
function configuration(settings: OidcSettings, secret: string | undefined): Promise<client.Configuration> {
  const key = `${settings.issuer} ${settings.clientId}`;
  let found = discovered.get(key);
  if (found === undefined) {
    const issuer = new URL(settings.issuer);
    // Plain HTTP only for a provider on this machine (development, tests).
    const insecure = issuer.protocol === 'http:' && isLoopback(issuer);
    found = client.discovery(
      issuer,
      settings.clientId,
      secret,
      secret === undefined ? client.None() : undefined,
      insecure ? { execute: [client.allowInsecureRequests] } : undefined,
    );
    found.catch(() => discovered.delete(key));
    discovered.set(key, found);
  }
  return found;
}

function origin(c: Context): string {
  const url = new URL(c.req.url);
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
  const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim();
  return `${proto === 'https' || proto === 'http' ? proto : url.protocol.slice(0, -1)}://${host ?? url.host}`;
}

function redirectUri(c: Context, settings: OidcSettings): string {
  return settings.redirectUri ?? `${origin(c)}/login/oidc/callback`;
}

function refused(c: Context, message: string): Response {
  return messagePage(c, 403, 'Sign-in failed', `${message} Nothing was changed; try signing in again.`);
}

function claimText(claims: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = claims[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

async function signedInUser(
  config: client.Configuration,
  settings: OidcSettings,
  tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
): Promise<{ user: string | undefined; groups: string[] }> {
  let claims: Record<string, unknown> = { ...(tokens.claims() ?? {}) };
  const userClaims =
    settings.userClaim === undefined ? ['email', 'preferred_username', 'sub'] : [settings.userClaim];
  if (claims[settings.groupsClaim] === undefined || claimText(claims, userClaims.slice(0, 1)) === undefined) {
    const info = await client.fetchUserInfo(config, tokens.access_token, String(claims.sub ?? ''));
    claims = { ...info, ...claims };
  }
  const groups = claims[settings.groupsClaim];
  return {
    user: claimText(claims, userClaims),
    groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
  };
}

/**
 * The routes, to mount at `/login/oidc`; without OpenID Connect in the users file they answer 404.
 *
 * @example
 * ```ts
 * app.route('/login/oidc', oidcRoutes(deps));
 * ```
 */
export function oidcRoutes(deps: WebDeps): Hono {
  const routes = new Hono();
  const now = () => deps.now?.() ?? new Date();
  const settingsOf = (c: Context) => {
    const settings = directoryOf(deps).oidc;
    if (settings === undefined) {
      return messagePage(
        c,
        404,
        'Not available here',
        'This server has no OpenID Connect provider; sign in with your API token.',
      );
    }
    return settings;
  };

  routes.get('/', async (c) => {
    const settings = settingsOf(c);
    if (settings instanceof Response) return settings;
    let config: client.Configuration;
    try {
      config = await configuration(settings, deps.oidcClientSecret);
    } catch (e) {
      return refused(c, `The provider ${settings.issuer} could not be reached (${(e as Error).message}).`);
    }
    const flow = {
      verifier: client.randomPKCECodeVerifier(),
      state: client.randomState(),
      nonce: client.randomNonce(),
      next: safeNext(c.req.query('next')),
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri(c, settings),
      scope: settings.scope,
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    setCookie(c, FLOW_COOKIE, seal(deps.apiToken, 'oidc', flow, now(), FLOW_SECONDS), {
      path: '/login/oidc',
      httpOnly: true,
      // The provider sends the browser back with a top-level GET from its own site.
      sameSite: 'Lax',
      secure: origin(c).startsWith('https:'),
      maxAge: FLOW_SECONDS,
    });
    return c.redirect(url.href, 302);
  });

  routes.get('/callback', async (c) => {
    const settings = settingsOf(c);
    if (settings instanceof Response) return settings;
    const flow = FlowSchema.safeParse(openSealed(deps.apiToken, 'oidc', getCookie(c, FLOW_COOKIE), now()));
    deleteCookie(c, FLOW_COOKIE, { path: '/login/oidc' });
    if (!flow.success) return refused(c, 'The sign-in took longer than 10 minutes or did not start here.');
    try {
      const config = await configuration(settings, deps.oidcClientSecret);
      const current = new URL(`${redirectUri(c, settings)}${new URL(c.req.url).search}`);
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.data.verifier,
        expectedState: flow.data.state,
        expectedNonce: flow.data.nonce,
        idTokenExpected: true,
      });
      const { user, groups } = await signedInUser(config, settings, tokens);
      if (user === undefined)
        return refused(c, 'The provider named no user (email, preferred_username or sub).');
      const identity = directoryOf(deps).fromClaims(user, groups);
      if (identity === undefined) {
        return refused(
          c,
          `${user} signed in, but the users file gives them no role here; ask an admin to add them or their group.`,
        );
      }
      startSession(c, deps, identity);
      return c.redirect(flow.data.next, 303);
    } catch (e) {
      return refused(c, `The provider's answer was not accepted (${(e as Error).message}).`);
    }
  });

  return routes;
}
