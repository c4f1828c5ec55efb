/**
 * The dashboard's browser session: stateless (it works the same on `pipewright serve` and in a
 * Lambda), derived from the API token so nobody without the token can make one.
 *
 * - The session cookie is `v2.<expires>.<user>.<claims>.<mac>`: who signed in, how they were
 *   verified (their token, the server's token, OpenID Connect) with their roles and groups, and
 *   until when (12 hours), MACed with HMAC-SHA256 under a key derived from the API token. It is
 *   `HttpOnly`, `SameSite=Strict`, `Path=/` and, over HTTPS, `Secure` with the `__Host-` prefix.
 *   Changing the API token ends every session.
 * - Every form carries a CSRF token, the HMAC of the session value under the same key: a page
 *   of another site can neither read it nor make a request that carries the cookie
 *   (`SameSite=Strict`), and POSTs whose `Origin` (or `Sec-Fetch-Site`) says they come from
 *   another site are refused before the token is even looked at.
 *
 * @example
 * ```ts
 * const value = signSession(token, 'alice', new Date());
 * const session = readSession(token, value, new Date()); // { user: 'alice', expires, value }
 * const csrf = csrfToken(token, session!);
 * validCsrf(token, session!, csrf); // true
 * ```
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { type IdentityVia, ROLES, type Role } from '../identity/identity.ts';

/** The cookie's name over plain HTTP. @example `'pw_session'` */
export const SESSION_COOKIE = 'pw_session';
/** The cookie's name over HTTPS (`__Host-` prefix: Secure, Path=/, no Domain). @example `'__Host-pw_session'` */
export const SECURE_SESSION_COOKIE = '__Host-pw_session';
/** How long a session lasts (seconds). @example `43200` */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;
/** The form field that carries the CSRF token. @example `'_csrf'` */
export const CSRF_FIELD = '_csrf';
/** The name a session has when the person signing in gave none. @example `'dashboard'` */
export const DEFAULT_SESSION_USER = 'dashboard';
/** The longest user name a session takes. @example `64` */
export const SESSION_USER_MAX = 64;

/** A valid session. @example `{ user: 'alice', expires: 1767916800, value: 'v1.1767916800.YWxpY2U.…' }` */
export interface DashboardSession extends SessionClaims {
  /** Who signed in (the name recorded as the actor of what they do). */
  user: string;
  /** Unix seconds after which the session is over. */
  expires: number;
  /** The cookie value. */
  value: string;
}

function base64url(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64url');
}

function sessionKey(apiToken: string): Buffer {
  return createHmac('sha256', apiToken).update('pipewright dashboard session v1').digest();
}

function mac(apiToken: string, text: string): string {
  return createHmac('sha256', sessionKey(apiToken)).update(text).digest('base64url');
}

/**
 * Seals a short-lived value for a cookie (`<base64url json>.<mac>`), MACed like sessions;
 * {@link openSealed} gives it back while it has not expired and nobody changed it.
 *
 * @example
 * ```ts
 * const sealed = seal(token, 'oidc', { state: 'x' }, new Date(), 600);
 * openSealed(token, 'oidc', sealed, new Date()); // { state: 'x' }
 * ```
 */
export function seal(
  apiToken: string,
  purpose: string,
  value: object,
  now: Date,
  ttlSeconds: number,
): string {
  const body = base64url(JSON.stringify({ value, expires: Math.floor(now.getTime() / 1000) + ttlSeconds }));
  return `${body}.${mac(apiToken, `${purpose} ${body}`)}`;
}

/** @see seal @example `openSealed(token, 'oidc', cookie, new Date())` */
export function openSealed(
  apiToken: string,
  purpose: string,
  sealed: string | undefined,
  now: Date,
): unknown {
  if (sealed === undefined || sealed.length > 4096) return undefined;
  const [body = '', given = '', extra] = sealed.split('.');
  if (extra !== undefined || !sameText(given, mac(apiToken, `${purpose} ${body}`))) return undefined;
  try {
    const opened = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
      value: unknown;
      expires: number;
    };
    return opened.expires * 1000 > now.getTime() ? opened.value : undefined;
  } catch {
    return undefined;
  }
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The problem with a user name for a session, or `undefined` when it is fine (1 to 64
 * printable characters, no control characters).
 *
 * @example
 * ```ts
 * sessionUserProblem('alice'); // undefined
 * sessionUserProblem('a\nb'); // 'a name of 1 to 64 printable characters'
 * ```
 */
export function sessionUserProblem(user: string): string | undefined {
  if (user.length === 0 || user.length > SESSION_USER_MAX || /\p{Cc}/u.test(user)) {
    return `a name of 1 to ${SESSION_USER_MAX} printable characters`;
  }
  return undefined;
}

/** Who a session is for, beyond the name: as verified at sign-in. @example `{ via: 'oidc', roles: ['approver'], groups: ['release'] }` */
export interface SessionClaims {
  via: IdentityVia;
  roles: readonly Role[];
  groups: readonly string[];
}

/** The claims of a session made with the server's own token (its owner: an admin). */
export const SERVER_TOKEN_CLAIMS: SessionClaims = { via: 'server-token', roles: ['admin'], groups: [] };

const ClaimsSchema = z.object({
  via: z.enum(['token', 'server-token', 'oidc']),
  roles: z.array(z.enum(ROLES)).max(ROLES.length),
  groups: z.array(z.string().max(128)).max(64),
});

/**
 * A new session cookie value for `user`, valid for `ttlSeconds` from `now`, holding how the
 * user was verified and (for OpenID Connect sign-ins) their roles and groups.
 *
 * @example
 * ```ts
 * signSession(token, 'alice', new Date()).startsWith('v2.'); // true
 * ```
 */
export function signSession(
  apiToken: string,
  user: string,
  now: Date,
  ttlSeconds: number = SESSION_TTL_SECONDS,
  claims: SessionClaims = SERVER_TOKEN_CLAIMS,
): string {
  const problem = sessionUserProblem(user);
  if (problem !== undefined) throw new TypeError(`session user: ${problem}`);
  const expires = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const packed = base64url(JSON.stringify({ via: claims.via, roles: claims.roles, groups: claims.groups }));
  const body = `v2.${expires}.${base64url(user)}.${packed}`;
  return `${body}.${mac(apiToken, body)}`;
}

function unpackClaims(text: string): SessionClaims | undefined {
  try {
    const parsed = ClaimsSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The session a cookie value holds, when its MAC is right and it has not expired.
 *
 * @example
 * ```ts
 * readSession(token, 'v2.0.YQ.e30.bad', new Date()); // undefined
 * ```
 */
export function readSession(
  apiToken: string,
  value: string | undefined,
  now: Date,
): DashboardSession | undefined {
  if (value === undefined || value.length > 3000) return undefined;
  const match = /^v2\.(\d{1,12})\.([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{1,2600})\.([A-Za-z0-9_-]{43})$/.exec(
    value,
  );
  if (match === null) return undefined;
  const [, expiresText = '', userText = '', claimsText = '', given = ''] = match;
  if (!sameText(given, mac(apiToken, `v2.${expiresText}.${userText}.${claimsText}`))) return undefined;
  const expires = Number(expiresText);
  if (expires * 1000 <= now.getTime()) return undefined;
  const user = Buffer.from(userText, 'base64url').toString('utf8');
  if (sessionUserProblem(user) !== undefined) return undefined;
  const claims = unpackClaims(claimsText);
  if (claims === undefined) return undefined;
  return { user, expires, value, ...claims };
}

/**
 * The CSRF token of a session (the same for the session's lifetime).
 *
 * @example
 * ```ts
 * csrfToken(token, session).length; // 43
 * ```
 */
export function csrfToken(apiToken: string, session: DashboardSession): string {
  return mac(apiToken, `csrf ${session.value}`);
}

/**
 * True when `given` is the session's CSRF token (compared in constant time).
 *
 * @example
 * ```ts
 * validCsrf(token, session, form._csrf);
 * ```
 */
export function validCsrf(apiToken: string, session: DashboardSession, given: unknown): boolean {
  return typeof given === 'string' && sameText(given, csrfToken(apiToken, session));
}

/**
 * Whether a state-changing request comes from the app's own pages: its `Origin` header, when
 * sent, is the request's own origin; without one, `Sec-Fetch-Site`, when sent, is
 * `same-origin` or `none` (typed in the address bar). A request with neither (an old browser,
 * a script) is left to the CSRF token.
 *
 * @example
 * ```ts
 * fromOwnPages({ url: 'http://127.0.0.1:4000/x', origin: 'https://evil.example' }); // false
 * ```
 */
export function fromOwnPages(request: {
  url: string;
  origin?: string | undefined;
  fetchSite?: string | undefined;
  forwardedProto?: string | undefined;
  forwardedHost?: string | undefined;
}): boolean {
  if (request.origin !== undefined && request.origin !== '') {
    if (request.origin === 'null') return false;
    const own = new URL(request.url);
    const origins = new Set([own.origin]);
    const proto = request.forwardedProto?.split(',')[0]?.trim();
    const host = request.forwardedHost?.split(',')[0]?.trim() ?? own.host;
    if (proto === 'http' || proto === 'https') origins.add(`${proto}://${host}`);
    return origins.has(request.origin);
  }
  if (request.fetchSite !== undefined && request.fetchSite !== '') {
    return request.fetchSite === 'same-origin' || request.fetchSite === 'none';
  }
  return true;
}
