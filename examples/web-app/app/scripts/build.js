// Builds the site into dist/: index.html rendered from src/page.js, and app.js, the browser
// script bundled with the modules it uses. Shows the version from package.json and the commit
// the pipeline passes in COMMIT_ID.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { renderPage } from '../src/page.js';

const root = new URL('../', import.meta.url);
const dist = new URL('dist/', root);
const { version } = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));
const commit = (process.env.COMMIT_ID ?? '').slice(0, 12) || 'local';

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await writeFile(new URL('index.html', dist), renderPage({ version, commit }));

// A bundle without a bundler: the helper modules with `export` removed, then the browser script.
const parts = [];
for (const file of ['greet.js', 'format-price.js', 'browser.js']) {
  const source = await readFile(new URL(`src/${file}`, root), 'utf8');
  parts.push(`// src/${file}\n${source.replace(/^export /gm, '')}`);
}
await writeFile(new URL('app.js', dist), `// web-app-example ${version}\n${parts.join('\n')}`);

console.log(`built dist/index.html and dist/app.js (version ${version}, commit ${commit})`);
