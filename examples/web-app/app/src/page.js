import { formatPrice } from './format-price.js';
import { greet } from './greet.js';
import { PRODUCTS } from './products.js';

/**
 * Escapes text for HTML.
 *
 * @param {string} text
 * @returns {string}
 */
export function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Renders the app's only page.
 *
 * @param {{ version: string, commit: string, visitor?: string }} build what the footer shows
 * @returns {string} a complete HTML document
 */
export function renderPage({ version, commit, visitor }) {
  const items = PRODUCTS.map(
    (p) => `      <li>${escapeHtml(p.name)} <span class="price">${formatPrice(p.cents)}</span></li>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Pipewright web-app example ${escapeHtml(version)}</title>
  </head>
  <body>
    <h1 id="greeting">${escapeHtml(greet(visitor))}</h1>
    <ul>
${items}
    </ul>
    <footer>version ${escapeHtml(version)}, commit ${escapeHtml(commit)}</footer>
    <script type="module" src="app.js"></script>
  </body>
</html>
`;
}
