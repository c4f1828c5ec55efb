/**
 * Quoting of *our own* values (paths we generate) for scripts we generate. Pipeline variables are
 * never quoted into scripts: they travel as environment variables (see `variable-environment.ts`).
 *
 * @example
 * ```ts
 * shellQuote("it's"); // `'it'\''s'`
 * ```
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A POSIX shell variable name. */
export const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses `name\0value\0…` as written by `printf '%s\0%s\0' name "$value"`.
 *
 * @example
 * ```ts
 * parseNulPairs('A\u00001\u0000'); // { A: '1' }
 * ```
 */
export function parseNulPairs(text: string): Record<string, string> {
  const parts = text.split('\0');
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length; i += 2) out[parts[i] as string] = parts[i + 1] as string;
  return out;
}

/**
 * Shell text that writes the variables in `names` that are set (exported or not) as NUL pairs.
 *
 * @example
 * ```ts
 * dumpVariables(['VERSION'], '"$__pw_dir/vars"');
 * ```
 */
export function dumpVariables(names: readonly string[], target: string): string {
  const lines = names.map((n) => `  if [ -n "\${${n}+x}" ]; then printf '%s\\0%s\\0' ${n} "$${n}"; fi`);
  return `{\n  :\n${lines.join('\n')}\n} > ${target}`;
}
