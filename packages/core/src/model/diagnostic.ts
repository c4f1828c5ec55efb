import { formatPath, type Path } from './path.ts';

/** Where a diagnostic points in the user's file. Lines and columns are 1-based. */
export interface SourceLocation {
  file?: string;
  line: number;
  col: number;
}

/**
 * One problem found while loading or validating a pipeline. Validation collects every
 * diagnostic at once; `error` fails validation, `warning` does not.
 *
 * @example
 * ```ts
 * const d: Diagnostic = {
 *   severity: 'error',
 *   code: 'artifact-not-produced',
 *   path: ['stages', 2, 'actions', 0, 'inputArtifacts', 0],
 *   message: 'artifact "BuildOut" is not produced by any earlier action; ...',
 * };
 * formatDiagnostic({ ...d, location: { file: 'pipeline.yaml', line: 12, col: 11 } });
 * // 'pipeline.yaml:12:11 stages[2].actions[0].inputArtifacts[0]: artifact "BuildOut" ...'
 * ```
 */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable kebab-case code, e.g. `duplicate-stage-name`; tests and tools key on it. */
  code: string;
  /** Path into the normalized model (`stages[1].actions[0]…`), camelCase. */
  path: Path;
  /** What is wrong and what to do about it. */
  message: string;
  location?: SourceLocation;
}

/** `file:line:col path: message` (parts that are unknown are left out). Warnings are prefixed `warning: `. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${d.location.file ?? '<input>'}:${d.location.line}:${d.location.col} ` : '';
  const path = d.path.length > 0 ? `${formatPath(d.path)}: ` : '';
  const sev = d.severity === 'warning' ? 'warning: ' : '';
  return `${where}${sev}${path}${d.message}`;
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
