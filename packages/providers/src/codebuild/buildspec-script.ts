/**
 * Turns a buildspec's phases into ONE POSIX shell script, so `cd` and variables carry over
 * between commands and phases as in CodeBuild. Phase-failure semantics follow CodeBuild's
 * documented phase transitions: a failed `install` or `pre_build` ends the build; a failed
 * `build` still runs `post_build`; `on-failure: ABORT` ends the build after that phase,
 * `on-failure: CONTINUE` goes on to the next phase (the build still fails). Within a phase the
 * first failing command skips the rest of `commands`; `finally` runs whenever the phase ran,
 * and its failure fails the phase. `CODEBUILD_BUILD_SUCCEEDING` is 1, or 0 once a phase failed.
 *
 * @example
 * ```ts
 * const script = buildspecScript(spec, { statusFile: join(dir, 'status'), varsFile: join(dir, 'vars') });
 * ```
 */
import { dumpVariables, shellQuote } from '../shell/shell-quote.ts';
import { BUILDSPEC_PHASES, type Buildspec, type BuildspecPhaseName } from './buildspec.ts';

/** Where the script reports. */
export interface BuildspecScriptFiles {
  /** Receives `<failed phases separated by spaces>\n<exit code of the first failing command>`. */
  statusFile: string;
  /** Receives the exported variables as NUL pairs, only when the build succeeded. */
  varsFile: string;
}

/** The on-failure behaviour CodeBuild applies when the buildspec does not set it. */
const DEFAULT_ON_FAILURE: Record<BuildspecPhaseName, 'ABORT' | 'CONTINUE'> = {
  install: 'ABORT',
  pre_build: 'ABORT',
  build: 'CONTINUE',
  post_build: 'CONTINUE',
};

/**
 * The script running every phase of `spec`.
 *
 * @example
 * ```ts
 * buildspecScript(parseBuildspec(text, 'buildspec.yml'), files).includes('Entering phase BUILD'); // true
 * ```
 */
export function buildspecScript(spec: Buildspec, files: BuildspecScriptFiles): string {
  const lines = [
    '__pw_abort=0',
    '__pw_first_rc=0',
    "__pw_failed_phases=''",
    'CODEBUILD_BUILD_SUCCEEDING=1',
    'export CODEBUILD_BUILD_SUCCEEDING',
    '__pw_check() {',
    '  if [ "$1" -ne 0 ]; then',
    '    __pw_phase_failed=1',
    '    if [ "$__pw_first_rc" -eq 0 ]; then __pw_first_rc=$1; fi',
    `    printf '%s\\n' "[Container] Command did not exit successfully $2 exit status $1" >&2`,
    '  fi',
    '}',
    '__pw_finish() {',
    '  __pw_rc=$?',
    '  if [ "$__pw_rc" -ne 0 ] && [ "$__pw_first_rc" -eq 0 ]; then __pw_first_rc=$__pw_rc; fi',
    `  printf '%s\\n%s\\n' "$__pw_failed_phases" "$__pw_first_rc" > ${shellQuote(files.statusFile)}`,
    '  if [ -z "$__pw_failed_phases" ] && [ "$__pw_rc" -eq 0 ]; then',
    dumpVariables(spec.exportedVariables, shellQuote(files.varsFile)),
    '  fi',
    '}',
    'trap __pw_finish EXIT',
  ];
  for (const name of BUILDSPEC_PHASES) {
    const phase = spec.phases[name];
    if (!phase) continue;
    const upper = name.toUpperCase();
    lines.push(
      `# phase ${name}`,
      'if [ "$__pw_abort" -eq 0 ]; then',
      '__pw_phase_failed=0',
      `printf '%s\\n' ${shellQuote(`[Container] Entering phase ${upper}`)}`,
    );
    for (const command of phase.commands) {
      lines.push(
        'if [ "$__pw_phase_failed" -eq 0 ]; then',
        `printf '%s\\n' ${shellQuote(`[Container] Running command ${command}`)}`,
        command,
        `__pw_check $? ${shellQuote(command)}`,
        'fi',
      );
    }
    if (phase.finally.length > 0) {
      lines.push('__pw_finally_failed=0');
      for (const command of phase.finally) {
        lines.push(
          'if [ "$__pw_finally_failed" -eq 0 ]; then',
          `printf '%s\\n' ${shellQuote(`[Container] Running command ${command}`)}`,
          command,
          '__pw_frc=$?',
          `__pw_check $__pw_frc ${shellQuote(command)}`,
          'if [ "$__pw_frc" -ne 0 ]; then __pw_finally_failed=1; fi',
          'fi',
        );
      }
    }
    const onFailure = phase.onFailure ?? DEFAULT_ON_FAILURE[name];
    lines.push(
      'if [ "$__pw_phase_failed" -ne 0 ]; then',
      `  __pw_failed_phases="$__pw_failed_phases ${name}"`,
      '  CODEBUILD_BUILD_SUCCEEDING=0',
      `  printf '%s\\n' ${shellQuote(`[Container] Phase complete: ${upper} State: FAILED`)}`,
      onFailure === 'ABORT' ? '  __pw_abort=1' : '  :',
      'else',
      `  printf '%s\\n' ${shellQuote(`[Container] Phase complete: ${upper} State: SUCCEEDED`)}`,
      'fi',
      'fi',
    );
  }
  lines.push(
    'if [ -n "$__pw_failed_phases" ]; then',
    '  if [ "$__pw_first_rc" -eq 0 ]; then __pw_first_rc=1; fi',
    '  exit "$__pw_first_rc"',
    'fi',
    'exit 0',
    '',
  );
  return lines.join('\n');
}
