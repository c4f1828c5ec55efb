/**
 * A Commands action's command lines, ready for a shell: every `#{…}` reference rewritten to the
 * environment variable holding its value (never spliced into the text, DESIGN.md §1.6), and its
 * `outputVariables` checked as environment variable names. The same for a local child process
 * and for a CodeBuild build in AWS.
 *
 * @example
 * ```ts
 * const { names } = variableEnvironment(run.variables);
 * commandLines(run.action, names).commands; // ['echo "$PW_SourceVariables_CommitId"']
 * ```
 */
import type { Action } from '@pipewright/core';
import { configurationError } from '../outcome.ts';
import { SHELL_NAME } from './shell-quote.ts';
import { rewriteVariableReferences } from './variable-environment.ts';

/**
 * The rewritten commands and the output variable names. Throws a ConfigurationError
 * `ProviderFailure` for no commands, an unknown reference, or an output name no shell takes.
 *
 * @example
 * ```ts
 * commandLines({ ...action, commands: ['make'], outputVariables: ['VERSION'] }, new Map());
 * // { commands: ['make'], outputNames: ['VERSION'] }
 * ```
 */
export function commandLines(
  action: Pick<Action, 'commands' | 'outputVariables'>,
  names: ReadonlyMap<string, string>,
): { commands: string[]; outputNames: string[] } {
  const commands = action.commands ?? [];
  if (commands.length === 0) configurationError('a Commands action needs at least one entry in commands');
  const rewritten = commands.map((command, i) => {
    const { text, missing } = rewriteVariableReferences(command, names);
    if (missing.length > 0) {
      configurationError(
        `commands[${i}] references ${missing.join(', ')}, which no earlier action or pipeline variable provides; check the namespace and name`,
      );
    }
    return text;
  });
  const outputNames = action.outputVariables ?? [];
  for (const name of outputNames) {
    if (!SHELL_NAME.test(name)) {
      configurationError(`outputVariables entry ${JSON.stringify(name)} is not an environment variable name`);
    }
  }
  return { commands: rewritten, outputNames: [...outputNames] };
}
