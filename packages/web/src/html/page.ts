/**
 * The page shell of every HTML page: `lang`, a viewport for phones, a small inline style
 * sheet with light and dark colours (`prefers-color-scheme`), no external assets, and headers
 * that keep the page (and the signed link in its URL) to itself: no referrer, no caching, no
 * framing, no scripts.
 *
 * @example
 * ```ts
 * return sendPage(c, 403, 'Link not valid', html`<p>${reason}</p>`);
 * ```
 */
import type { Context } from 'hono';
import { html, raw, type SafeHtml } from './escape.ts';

const STYLE = raw(`
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;--link:#0969da;--ok:#1a7f37;--bad:#cf222e;--on:#fff}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--card:#151b23;--link:#4493f8;--ok:#3fb950;--bad:#f85149;--on:#0d1117}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:42rem;margin:0 auto;padding:1.25rem 1rem 3rem}
h1{font-size:1.45rem;line-height:1.25;margin:.25rem 0 1rem}
h2{font-size:1.1rem;margin:1.75rem 0 .5rem}
.eyebrow{color:var(--muted);margin:0;font-size:.9rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;margin:0}
dt{color:var(--muted)}
dd{margin:0;overflow-wrap:anywhere}
@media (max-width:32rem){dl{grid-template-columns:1fr;gap:0}dd{margin-bottom:.6rem}}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
a{color:var(--link)}
.custom{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.75rem;margin:0}
.notice{border-left:4px solid var(--bad);background:var(--card);padding:.6rem .85rem;margin:1rem 0}
.status{display:inline-block;font-weight:600;padding:0 .55rem;border:1px solid currentColor;border-radius:999px}
.Approved{color:var(--ok)}.Rejected,.Expired,.Abandoned{color:var(--bad)}
form{display:grid;gap:.5rem}
label{font-weight:600;margin-top:.5rem}
input,textarea{width:100%;font:inherit;color:inherit;background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.5rem .6rem}
textarea{min-height:6rem;resize:vertical}
.buttons{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:.75rem}
button{flex:1 1 9rem;font:inherit;font-weight:600;color:var(--on);border:0;border-radius:6px;padding:.65rem 1rem;cursor:pointer}
.approve{background:var(--ok)}.reject{background:var(--bad)}
:focus-visible{outline:3px solid var(--link);outline-offset:2px}
`);

/** Headers of every HTML page. @example `c.header('Content-Security-Policy', PAGE_HEADERS['Content-Security-Policy'])` */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
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
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${title} · Pipewright</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
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
