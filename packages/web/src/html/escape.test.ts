import { describe, expect, it } from 'vitest';
import { escapeHtml, html, httpUrl, raw } from './escape.ts';

describe('escapeHtml', () => {
  it('escapes the five characters that make markup', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('html', () => {
  it('escapes interpolated text, keeps SafeHtml, renders nothing for undefined and booleans', () => {
    const inner = html`<b>${'x<y'}</b>`;
    expect(html`<p>${'<script>'}${inner}${undefined}${false}${[1, raw('<br>')]}</p>`.toString()).toBe(
      '<p>&lt;script&gt;<b>x&lt;y</b>1<br></p>',
    );
  });
});

describe('httpUrl', () => {
  it('keeps http and https URLs and refuses other schemes and non-URLs', () => {
    expect(httpUrl('https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(httpUrl('http://example.com')).toBe('http://example.com/');
    expect(httpUrl('javascript:alert(1)')).toBeUndefined();
    expect(httpUrl('data:text/html,hi')).toBeUndefined();
    expect(httpUrl('/relative')).toBeUndefined();
  });
});
