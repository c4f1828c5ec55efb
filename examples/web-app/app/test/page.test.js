import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, renderPage } from '../src/page.js';

describe('renderPage', () => {
  it('shows the version, the commit and every product with its price', () => {
    const html = renderPage({ version: '1.2.3', commit: 'abc1234' });
    assert.match(html, /<footer>version 1\.2\.3, commit abc1234<\/footer>/);
    assert.match(html, /Pipeline stickers <span class="price">\$4\.99<\/span>/);
    assert.match(html, /<h1 id="greeting">Hello, world!<\/h1>/);
  });

  it('escapes what it is given', () => {
    const html = renderPage({ version: '<1>', commit: 'a&b', visitor: '<script>' });
    assert.doesNotMatch(html, /<script>!/);
    assert.match(html, /Hello, &#60;script&#62;!/);
    assert.match(html, /commit a&#38;b/);
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML special characters', () => {
    assert.equal(
      escapeHtml(`<a href="x">'&'</a>`),
      '&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;',
    );
  });
});
