/**
 * A path into a pipeline document or model: property names and array indexes.
 *
 * @example
 * ```ts
 * formatPath(['stages', 1, 'actions', 0, 'inputArtifacts', 0]);
 * // 'stages[1].actions[0].inputArtifacts[0]'
 * ```
 */
export type Path = readonly (string | number)[];

/** Formats a path as `stages[1].actions[0].name`; keys that are not identifiers are quoted: `configuration["a b"]`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}
