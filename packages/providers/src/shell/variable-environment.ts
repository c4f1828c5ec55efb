/**
 * Pipeline variables reach shell commands as environment variables, never as command text
 * (DESIGN.md §1.6).
 *
 * Scheme: the variable `Namespace.Name` becomes the environment variable `PW_<Namespace>_<Name>`,
 * every character outside `[A-Za-z0-9_]` replaced by `_`:
 * `#{SourceVariables.CommitId}` → `PW_SourceVariables_CommitId`,
 * `#{variables.DEPLOY_ENV}` → `PW_variables_DEPLOY_ENV`,
 * `#{codepipeline.PipelineExecutionId}` → `PW_codepipeline_PipelineExecutionId`.
 * When two variables would get the same name, the later one (in sorted order) gets `_2`, `_3`, ….
 * Every variable visible to the action is in the environment under this name.
 *
 * In command text each `#{Namespace.Name}` is rewritten to `${PW_Namespace_Name}`: the shell
 * substitutes the value at run time exactly as `$VAR` would — word-split when unquoted, one
 * word inside double quotes, never evaluated as code. Inside single quotes (where `$` does not
 * expand) the rewrite closes the quote around it: `'a #{X.Y} b'` → `'a '"${PW_X_Y}"' b'`.
 *
 * @example
 * ```ts
 * const names = variableEnvironmentNames(['SourceVariables.CommitId']);
 * rewriteVariableReferences('git show #{SourceVariables.CommitId}', names).text;
 * // 'git show ${PW_SourceVariables_CommitId}'
 * ```
 */

/** Matches `#{Namespace.Name}` as CodePipeline writes references. */
const REFERENCE = /#\{([A-Za-z0-9@\-_]+)\.([A-Za-z0-9@\-_.]+)\}/g;

/** Prefix of every pipeline-variable environment variable. */
export const VARIABLE_ENV_PREFIX = 'PW_';

/**
 * The environment variable name of each variable key (`Namespace.Name`), collision-free.
 *
 * @example
 * ```ts
 * variableEnvironmentNames(['a.b-c', 'a.b_c']).get('a.b_c'); // 'PW_a_b_c_2'
 * ```
 */
export function variableEnvironmentNames(keys: Iterable<string>): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const key of [...new Set(keys)].sort()) {
    const base = `${VARIABLE_ENV_PREFIX}${key.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    names.set(key, name);
  }
  return names;
}

/**
 * The environment holding every variable under its {@link variableEnvironmentNames} name.
 *
 * @example
 * ```ts
 * variableEnvironment({ 'variables.ENV': 'prod' }).env; // { PW_variables_ENV: 'prod' }
 * ```
 */
export function variableEnvironment(variables: Readonly<Record<string, string>>): {
  names: Map<string, string>;
  env: Record<string, string>;
} {
  const names = variableEnvironmentNames(Object.keys(variables));
  const env: Record<string, string> = {};
  for (const [key, name] of names) env[name] = variables[key] ?? '';
  return { names, env };
}

/**
 * Rewrites every `#{…}` reference of shell text to a parameter expansion of its environment
 * variable. References with no variable are returned in `missing` (and left as written).
 *
 * @example
 * ```ts
 * rewriteVariableReferences("echo '#{a.b}'", new Map([['a.b', 'PW_a_b']])).text; // `echo ''"${PW_a_b}"''`
 * ```
 */
export function rewriteVariableReferences(
  text: string,
  names: ReadonlyMap<string, string>,
): { text: string; missing: string[] } {
  const refs = [...text.matchAll(REFERENCE)];
  if (refs.length === 0) return { text, missing: [] };
  const contexts = quoteContexts(
    text,
    refs.map((m) => m.index),
  );
  const missing: string[] = [];
  let out = '';
  let from = 0;
  refs.forEach((match, i) => {
    const key = `${match[1]}.${match[2]}`;
    const name = names.get(key);
    out += text.slice(from, match.index);
    from = match.index + match[0].length;
    if (name === undefined) {
      missing.push(match[0]);
      out += match[0];
      return;
    }
    const context = contexts[i];
    if (context === 'single') out += `'"\${${name}}"'`;
    else if (context === 'ansi') out += `'"\${${name}}"$'`;
    else out += `\${${name}}`;
  });
  return { text: out + text.slice(from), missing };
}

/**
 * Resolves references in a value that is data, not shell text (an environment variable's
 * value): known references are replaced by their values; unknown ones stay as written.
 *
 * @example
 * ```ts
 * substituteVariables('v#{a.b}', { 'a.b': '1' }); // 'v1'
 * ```
 */
export function substituteVariables(text: string, variables: Readonly<Record<string, string>>): string {
  return text.replace(REFERENCE, (raw, ns: string, name: string) => variables[`${ns}.${name}`] ?? raw);
}

type QuoteContext = 'none' | 'single' | 'double' | 'ansi';

/**
 * The shell quoting context at each offset: a small lexer for `'…'`, `"…"`, `$'…'`, backslash
 * escapes and `#` comments. Offsets in `positions` that start a reference are never taken for
 * a comment. Heredoc bodies are read as unquoted text.
 */
function quoteContexts(text: string, positions: readonly number[]): QuoteContext[] {
  const wanted = new Set(positions);
  const at = new Map<number, QuoteContext>();
  let state: QuoteContext = 'none';
  for (let i = 0; i < text.length; i++) {
    if (wanted.has(i)) at.set(i, state);
    const c = text[i];
    if (state === 'single') {
      if (c === "'") state = 'none';
    } else if (state === 'ansi') {
      if (c === '\\') i++;
      else if (c === "'") state = 'none';
    } else if (state === 'double') {
      if (c === '\\') i++;
      else if (c === '"') state = 'none';
    } else if (c === '\\') {
      i++;
    } else if (c === "'") {
      state = 'single';
    } else if (c === '"') {
      state = 'double';
    } else if (c === '$' && text[i + 1] === "'") {
      state = 'ansi';
      i++;
    } else if (c === '#' && !wanted.has(i) && (i === 0 || /[\s;&|()]/.test(text[i - 1] ?? ''))) {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      for (const p of positions) if (p > i && p < end) at.set(p, 'none');
      i = end;
    }
  }
  return positions.map((p) => at.get(p) ?? 'none');
}
