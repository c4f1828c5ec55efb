/**
 * The page shell the dashboard shares with the approval and error pages: a skip link, a top
 * bar (the brand, the navigation, the live-update indicator, who is signed in and a sign-out
 * button), one `main` landmark, the style sheet `/dashboard/app.css` and — on live pages —
 * the client script `/dashboard/app.js`. No inline script or style: the Content-Security-Policy
 * allows scripts, styles and connections from the app's own origin only.
 *
 * Forms carry {@link CSRF_PLACEHOLDER} where the session's CSRF token goes; it is filled in
 * per response (and per live update) by {@link withCsrf}, so one rendering serves every
 * session.
 *
 * @example
 * ```ts
 * return sendDashboardPage(c, 200, { title: 'Pipelines', session, csrf }, html`<h1>Pipelines</h1>`);
 * ```
 */
import type { Context } from 'hono';
import { html, raw, type SafeHtml } from '../html/escape.ts';
import type { DashboardSession } from './session.ts';

/** Where the style sheet is served. @example `'/dashboard/app.css'` */
export const STYLE_PATH = '/dashboard/app.css';
/** Where the client script is served. @example `'/dashboard/app.js'` */
export const SCRIPT_PATH = '/dashboard/app.js';

/** Stands for the CSRF token in rendered forms (text can never contain it: `<` is escaped). @example `html\`<input name="_csrf" value="${CSRF_INPUT_VALUE}">\`` */
export const CSRF_PLACEHOLDER = '<pw-csrf>';

/** The hidden field every dashboard form carries. @example `html\`<form method="post">${csrfField()}</form>\`` */
export function csrfField(): SafeHtml {
  return raw(`<input type="hidden" name="_csrf" value="${CSRF_PLACEHOLDER}">`);
}

/**
 * Fills the CSRF token in; with none, the placeholders are emptied (a form then fails its
 * check and says so).
 *
 * @example
 * ```ts
 * withCsrf('<input value="<pw-csrf>">', 'abc'); // '<input value="abc">'
 * ```
 */
export function withCsrf(markup: string, csrf: string | undefined): string {
  return markup.replaceAll(CSRF_PLACEHOLDER, csrf ?? '');
}

/** Headers of every dashboard page. @example `DASHBOARD_HEADERS['Content-Security-Policy']` */
export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};

/** What the shell shows around a page. @example `{ title: 'web-app', session, nav: 'pipelines', live: 'pipeline:web-app' }` */
export interface Chrome {
  title: string;
  /** Who is signed in (absent on the approval and error pages). */
  session?: DashboardSession | undefined;
  /** The navigation entry of this page. */
  nav?: 'pipelines' | undefined;
  /** The live view this page listens to (`data-live`); the client script is loaded with it. */
  live?: string | undefined;
  /** The generation of the live view's regions the page shows (`data-gen`). */
  gen?: string | undefined;
  /** A narrow column (forms, messages). */
  narrow?: boolean | undefined;
}

function topBar(chrome: Chrome): SafeHtml {
  const session = chrome.session;
  const live =
    chrome.live === undefined
      ? ''
      : html`<span class="live" id="live-state" role="status" data-state="connecting">Connecting…</span>`;
  const nav =
    session === undefined
      ? ''
      : html`<nav aria-label="Main"><ul><li><a href="/"${chrome.nav === 'pipelines' ? raw(' aria-current="page"') : ''}>Pipelines</a></li></ul></nav>`;
  const who =
    session === undefined
      ? ''
      : html`<span class="who">Signed in as <strong>${session.user}</strong></span>
<form method="post" action="/logout" class="inline">${csrfField()}<button type="submit" class="secondary">Sign out</button></form>`;
  return html`<header class="topbar">
<a class="brand" href="/">Pipewright</a>
${nav}
<span class="spacer"></span>
${live}
${who}
</header>`;
}

/**
 * A whole HTML document.
 *
 * @example
 * ```ts
 * dashboardDocument({ title: 'Pipelines' }, html`<h1>Pipelines</h1>`).toString().startsWith('<!doctype html>'); // true
 * ```
 */
export function dashboardDocument(chrome: Chrome, body: SafeHtml): SafeHtml {
  const script = chrome.live === undefined ? '' : html`<script src="${SCRIPT_PATH}" defer></script>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${chrome.title} · Pipewright</title>
<link rel="stylesheet" href="${STYLE_PATH}">
${script}
</head>
<body${chrome.live === undefined ? '' : html` data-live="${chrome.live}" data-gen="${chrome.gen ?? ''}"`}>
<a class="skip" href="#main">Skip to content</a>
${topBar(chrome)}
<main id="main" tabindex="-1"${chrome.narrow === true ? raw(' class="narrow"') : ''}>
${body}
</main>
</body>
</html>
`;
}

/**
 * Responds with a dashboard page, its CSRF placeholders filled for the session.
 *
 * @example
 * ```ts
 * return sendDashboardPage(c, 200, { title: 'Pipelines', session }, body, csrf);
 * ```
 */
export function sendDashboardPage(
  c: Context,
  status: 200 | 400 | 403 | 404 | 409 | 413 | 500 | 501,
  chrome: Chrome,
  body: SafeHtml,
  csrf?: string,
): Response {
  for (const [name, value] of Object.entries(DASHBOARD_HEADERS)) c.header(name, value);
  return c.html(withCsrf(dashboardDocument(chrome, body).toString(), csrf), status);
}
