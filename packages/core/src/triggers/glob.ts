/**
 * CodePipeline's trigger-filter globs (userguide `syntax-glob.html`). The documented rules are
 * those of Java's `PathMatcher` "glob" syntax, implemented here exactly rather than through a
 * shell-style matcher whose `**` differs:
 *
 * - `*` — zero or more characters within one path segment (never `/`);
 * - `**` — zero or more characters crossing segments (`release/**` matches `release/1/x`;
 *   `**` alone matches everything; note `**\/README.md` needs a `/` before `README.md`, so it does
 *   not match a `README.md` at the root — as documented, not as shells do);
 * - `?` — one character other than `/`;
 * - `[abc]`, `[a-z]`, `[!a-c]` — one character (never `/`) of a set; inside, `*`, `?` and `\`
 *   are literal and `-` is literal when first (or first after `!`);
 * - `{a,b}` — alternatives, not nested;
 * - `\x` — the character `x` literally.
 *
 * Matching is case-sensitive and anchored to the whole string.
 */

export type GlobCompileResult = { ok: true; regex: RegExp } | { ok: false; message: string };

function escapeRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

function escapeClass(c: string): string {
  return /[\\^[\]-]/.test(c) ? `\\${c}` : c;
}

/**
 * Translates one glob into an anchored regular expression, or says what is wrong with it.
 *
 * @example
 * ```ts
 * const r = compileGlob('release/*');
 * r.ok && r.regex.test('release/1.2'); // true
 * r.ok && r.regex.test('release/1/2'); // false
 * compileGlob('{a,{b}}'); // { ok: false, message: 'glob "{a,{b}}": groups { } cannot be nested …' }
 * ```
 */
export function compileGlob(glob: string): GlobCompileResult {
  const fail = (what: string): GlobCompileResult => ({ ok: false, message: `glob "${glob}": ${what}` });
  let re = '';
  let inGroup = false;
  let i = 0;
  while (i < glob.length) {
    const c = glob[i] ?? '';
    i++;
    if (c === '\\') {
      if (i >= glob.length) return fail('ends with a lone backslash; write \\\\ for a literal backslash');
      re += escapeRegex(glob[i] ?? '');
      i++;
    } else if (c === '*') {
      if (glob[i] === '*') {
        re += '.*';
        i++;
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      let cls = '';
      if (glob[i] === '!') {
        cls += '^';
        i++;
      } else if (glob[i] === '^') {
        cls += '\\^';
        i++;
      }
      if (glob[i] === '-') {
        cls += '\\-';
        i++;
      }
      let closed = false;
      let last = '';
      while (i < glob.length) {
        const d = glob[i] ?? '';
        i++;
        if (d === ']') {
          closed = true;
          break;
        }
        if (d === '/') return fail('a bracket expression [ ] cannot match "/"; remove it from the brackets');
        if (d === '-' && last !== '' && glob[i] !== ']' && i < glob.length) {
          const end = glob[i] ?? '';
          i++;
          if (end < last)
            return fail(`invalid range ${last}-${end} in [ ]; write the smaller character first`);
          cls += `-${escapeClass(end)}`;
          last = '';
          continue;
        }
        cls += escapeClass(d);
        last = d;
      }
      if (!closed) return fail('a bracket expression is missing its closing "]"');
      if (cls === '' || cls === '^') return fail('empty bracket expression [ ]; list at least one character');
      re += `(?![/])[${cls}]`;
    } else if (c === '{') {
      if (inGroup) return fail('groups { } cannot be nested; list every alternative in one group');
      inGroup = true;
      re += '(?:';
    } else if (c === '}' && inGroup) {
      inGroup = false;
      re += ')';
    } else if (c === ',' && inGroup) {
      re += '|';
    } else {
      re += escapeRegex(c);
    }
  }
  if (inGroup) return fail('a group is missing its closing "}"');
  return { ok: true, regex: new RegExp(`^${re}$`, 'u') };
}

/**
 * Why `glob` is invalid, or `undefined` when it is valid. For validation diagnostics.
 *
 * @example
 * ```ts
 * validateGlob('feature/[z-a]'); // 'glob "feature/[z-a]": invalid range z-a in [ ]; …'
 * validateGlob('feature/**'); // undefined
 * ```
 */
export function validateGlob(glob: string): string | undefined {
  const r = compileGlob(glob);
  return r.ok ? undefined : r.message;
}

const cache = new Map<string, RegExp | undefined>();

/**
 * True when `text` matches `glob`; an invalid glob matches nothing.
 *
 * @example
 * ```ts
 * globMatch('*.{java,class}', 'Main.class'); // true
 * globMatch('directory/*', 'directory/sub/file'); // false
 * ```
 */
export function globMatch(glob: string, text: string): boolean {
  if (!cache.has(glob)) {
    const r = compileGlob(glob);
    if (cache.size > 1000) cache.clear();
    cache.set(glob, r.ok ? r.regex : undefined);
  }
  return cache.get(glob)?.test(text) ?? false;
}
