/**
 * Signing a test user in without the login form: a session cookie and its CSRF token, as
 * `POST /login` would set them.
 *
 * @example
 * ```ts
 * const s = signedIn(token, 'dana');
 * await app.request('/approvals/x', { method: 'POST', headers: { Cookie: s.cookie }, body: `_csrf=${s.csrf}&…` });
 * ```
 */
import {
  csrfToken,
  readSession,
  SERVER_TOKEN_CLAIMS,
  SESSION_COOKIE,
  type SessionClaims,
  signSession,
} from '../dashboard/session.ts';

/** A signed-in user's cookie header value and CSRF token. */
export interface SignedIn {
  cookie: string;
  csrf: string;
}

/** Signs `user` in with `claims` (default: the server token's owner, an admin). */
export function signedIn(
  apiToken: string,
  user: string,
  claims: SessionClaims = SERVER_TOKEN_CLAIMS,
  now = new Date(),
): SignedIn {
  const value = signSession(apiToken, user, now, 3600, claims);
  const session = readSession(apiToken, value, now);
  if (session === undefined) throw new Error('the test session did not read back');
  return { cookie: `${SESSION_COOKIE}=${value}`, csrf: csrfToken(apiToken, session) };
}
