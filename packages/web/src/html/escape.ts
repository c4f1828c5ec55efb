/**
 * HTML text that is safe to send: {@link html} escapes every interpolated value unless it is
 * already {@link SafeHtml}, so user text (custom data, comments, names) can never become markup.
 *
 * @example
 * ```ts
 * html`<p>${'<b>hi</b>'}</p>`.toString(); // '<p>&lt;b&gt;hi&lt;/b&gt;</p>'
 * ```
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for an HTML text node or a quoted attribute value.
 *
 * @example
 * ```ts
 * escapeHtml(`"a" & <b>`); // '&quot;a&quot; &amp; &lt;b&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/**
 * Markup that is already escaped (or trusted, like the page's own CSS).
 *
 * @example
 * ```ts
 * new SafeHtml('<br>').toString(); // '<br>'
 * ```
 */
export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

/** What {@link html} takes between `${}`: text is escaped, `SafeHtml` is kept, nothing renders for `undefined`, `null` and booleans. @example `html\`${['a', html\`<br>\`]}\`` */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((v: HtmlValue) => render(v)).join('');
  if (value === undefined || value === null || typeof value === 'boolean') return '';
  return escapeHtml(String(value));
}

/**
 * The tagged template for markup: escapes what it interpolates.
 *
 * @example
 * ```ts
 * const item = (name: string) => html`<li>${name}</li>`;
 * html`<ul>${['a&b', 'c'].map(item)}</ul>`.toString(); // '<ul><li>a&amp;b</li><li>c</li></ul>'
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/**
 * Marks trusted constant markup as safe. Never pass it user text.
 *
 * @example
 * ```ts
 * raw('<hr>');
 * ```
 */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * The URL when it is an absolute `http:` or `https:` URL (safe as an `href`), else `undefined`
 * (`javascript:` and friends are shown as text, never as links).
 *
 * @example
 * ```ts
 * httpUrl('https://example.com/pr/7'); // 'https://example.com/pr/7'
 * httpUrl('javascript:alert(1)'); // undefined
 * ```
 */
export function httpUrl(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
