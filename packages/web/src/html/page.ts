/**
 * The page shell of the approval and error pages: the dashboard's layout (`lang`, a viewport
 * for phones, the app's own style sheet with light and dark colours, one `main` landmark) and
 * headers that keep the page (and the signed link in its URL) to itself: no referrer, no
 * caching, no framing, no scripts.
 *
 * @example
 * ```ts
 * return sendPage(c, 403, 'Link not valid', html`<p>${reason}</p>`);
 * ```
 */
import type { Context } from 'hono';
import { dashboardDocument } from '../dashboard/layout.ts';
import { html, type SafeHtml } from './escape.ts';

/** Headers of every HTML page. @example `c.header('Content-Security-Policy', PAGE_HEADERS['Content-Security-Policy'])` */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};

/**
 * A whole HTML document around `body`.
 *
 * @example
 * ```ts
 * renderPage('Not found', html`<h1>Not found</h1>`).toString().startsWith('<!doctype html>'); // true
 * ```
 */
export function renderPage(title: string, body: SafeHtml): SafeHtml {
  return dashboardDocument({ title, narrow: true }, body);
}

/**
 * Responds with a page (and {@link PAGE_HEADERS}).
 *
 * @example
 * ```ts
 * return sendPage(c, 404, 'Approval not found', html`<h1>Approval not found</h1>`);
 * ```
 */
export function sendPage(
  c: Context,
  status: 200 | 400 | 403 | 404 | 409 | 413 | 500 | 501,
  title: string,
  body: SafeHtml,
): Response {
  for (const [name, value] of Object.entries(PAGE_HEADERS)) c.header(name, value);
  return c.html(renderPage(title, body).toString(), status);
}

/**
 * A page that only says what went wrong and what to do.
 *
 * @example
 * ```ts
 * return messagePage(c, 403, 'This link cannot be used', 'the link expired at …');
 * ```
 */
export function messagePage(
  c: Context,
  status: 200 | 400 | 403 | 404 | 409 | 413 | 500 | 501,
  title: string,
  message: string,
): Response {
  return sendPage(
    c,
    status,
    title,
    html`<p class="eyebrow">Pipewright</p>
<h1>${title}</h1>
<p class="notice" role="alert">${message}</p>`,
  );
}
