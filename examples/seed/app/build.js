// Builds the site into out/: each pages/*.md becomes an HTML page (headings, paragraphs and
// lists), plus index.html linking them and build.json describing the build.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';

const root = new URL('./', import.meta.url);
const out = new URL('out/', root);

/** @param {string} text */
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A very small Markdown subset: `#` headings, `-` lists, paragraphs. @param {string} markdown */
function markdownToHtml(markdown) {
  const html = [];
  for (const block of markdown.split(/\n{2,}/)) {
    const lines = block.trim().split('\n');
    if (lines[0] === '') continue;
    const heading = /^(#{1,6}) (.*)$/.exec(lines[0]);
    if (heading && lines.length === 1) {
      html.push(`<h${heading[1].length}>${escapeHtml(heading[2])}</h${heading[1].length}>`);
    } else if (lines.every((l) => l.startsWith('- '))) {
      html.push(`<ul>\n${lines.map((l) => `  <li>${escapeHtml(l.slice(2))}</li>`).join('\n')}\n</ul>`);
    } else {
      html.push(`<p>${escapeHtml(lines.join(' '))}</p>`);
    }
  }
  return html.join('\n');
}

function page(title, body) {
  return `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n${body}\n</body>\n</html>\n`;
}

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const names = (await readdir(new URL('pages/', root))).filter((f) => f.endsWith('.md')).sort();
if (names.length === 0) throw new Error('no pages/*.md to build; add one');
const links = [];
for (const name of names) {
  const markdown = await readFile(new URL(`pages/${name}`, root), 'utf8');
  const title = /^# (.*)$/m.exec(markdown)?.[1] ?? name;
  const target = name.replace(/\.md$/, '.html');
  await writeFile(new URL(target, out), page(title, markdownToHtml(markdown)));
  links.push(`  <li><a href="${target}">${escapeHtml(title)}</a></li>`);
}
await writeFile(
  new URL('index.html', out),
  page('Seed site', `<h1>Seed site</h1>\n<ul>\n${links.join('\n')}\n</ul>`),
);
const build = { pages: names.length, commit: process.env.CODEBUILD_RESOLVED_SOURCE_VERSION ?? 'local' };
await writeFile(new URL('build.json', out), `${JSON.stringify(build, null, 2)}\n`);
console.log(`built ${names.length} page(s) and index.html into out/`);
