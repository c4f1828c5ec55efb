/**
 * The dashboard's browser session: stateless (it works the same on `pipewright serve` and in a
 * Lambda), derived from the API token so nobody without the token can make one.
 *
 * - The session cookie is `v1.<expires>.<user>.<mac>`: who signed in (the name they gave) and
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
export interface DashboardSession {
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

/**
 * A new session cookie value for `user`, valid for `ttlSeconds` from `now`.
 *
 * @example
 * ```ts
 * signSession(token, 'alice', new Date()).startsWith('v1.'); // true
 * ```
 */
export function signSession(
  apiToken: string,
  user: string,
  now: Date,
  ttlSeconds: number = SESSION_TTL_SECONDS,
): string {
  const problem = sessionUserProblem(user);
  if (problem !== undefined) throw new TypeError(`session user: ${problem}`);
  const expires = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const body = `v1.${expires}.${base64url(user)}`;
  return `${body}.${mac(apiToken, body)}`;
}

/**
 * The session a cookie value holds, when its MAC is right and it has not expired.
 *
 * @example
 * ```ts
 * readSession(token, 'v1.0.YQ.bad', new Date()); // undefined
 * ```
 */
export function readSession(
  apiToken: string,
  value: string | undefined,
  now: Date,
): DashboardSession | undefined {
  if (value === undefined || value.length > 512) return undefined;
  const match = /^v1\.(\d{1,12})\.([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (match === null) return undefined;
  const [, expiresText = '', userText = '', given = ''] = match;
  if (!sameText(given, mac(apiToken, `v1.${expiresText}.${userText}`))) return undefined;
  const expires = Number(expiresText);
  if (expires * 1000 <= now.getTime()) return undefined;
  const user = Buffer.from(userText, 'base64url').toString('utf8');
  if (sessionUserProblem(user) !== undefined) return undefined;
  return { user, expires, value };
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
