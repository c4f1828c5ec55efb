/**
 * `Build|Test|Compute/Commands`: the action's `commands` run in order in ONE `bash -e` process
 * in the workspace (so `cd` and `export` carry over, as in a CodeBuild buildspec 0.2), with
 * the input artifacts (the first at the workspace root, others at `$CODEBUILD_SRC_DIR_<Name>`).
 * Pipeline variables are environment variables (see `shell/variable-environment.ts`); output
 * artifacts are selected by their `files` globs; `outputVariables` are read from the shell when
 * the commands succeed.
 *
 * @example
 * ```ts
 * const provider = commandsProvider({});
 * await provider.run(run); // { status: 'Succeeded', … }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActionProvider, ActionRun, StoredArtifact } from '@pipewright/engine';
import type { LocalProvidersOptions } from './options.ts';
import { guardOutcome, ProviderFailure, succeeded } from './outcome.ts';
import { resolveActionEnvironment } from './shell/action-environment.ts';
import { commandLines } from './shell/command-lines.ts';
import { runScript, withPrivateDir } from './shell/run-script.ts';
import { dumpVariables, parseNulPairs, shellQuote } from './shell/shell-quote.ts';
import { variableEnvironment } from './shell/variable-environment.ts';
import { workspaceEnvironment } from './shell/workspace-env.ts';

/**
 * The Commands provider for Build, Test and Compute.
 *
 * @example
 * ```ts
 * commandsProvider({ resolveSecret: async (id) => vault.get(id) }).categories; // ['Build', 'Test', 'Compute']
 * ```
 */
export function commandsProvider(options: LocalProvidersOptions): ActionProvider {
  return {
    categories: ['Build', 'Test', 'Compute'],
    provider: 'Commands',
    run: (run) => guardOutcome(() => runCommands(run, options)),
  };
}

async function runCommands(run: ActionRun, options: LocalProvidersOptions) {
  const { action } = run;
  const commands = action.commands ?? [];
  const { names, env: variableEnv } = variableEnvironment(run.variables);
  const { commands: rewritten, outputNames } = commandLines(action, names);
  const { env: actionEnv, mask } = await resolveActionEnvironment(
    action.environmentVariables ?? [],
    run.variables,
    options,
  );

  return withPrivateDir(async (dir) => {
    const result = join(dir, 'result');
    const script = [
      `__pw_step=0`,
      `__pw_finish() {`,
      `  __pw_rc=$?`,
      `  if [ "$__pw_rc" -eq 0 ]; then`,
      dumpVariables(outputNames, shellQuote(result)),
      `  else printf '%s' "$__pw_step" > ${shellQuote(`${result}.step`)}; fi`,
      `}`,
      `trap __pw_finish EXIT`,
      ...rewritten.flatMap((command, i) => [`__pw_step=${i + 1}`, command]),
      '',
    ].join('\n');
    run.log.write('system', `running ${commands.length} command(s) in ${run.workspace}\n`);
    const outcome = await runScript({
      shell: 'bash',
      args: ['--noprofile', '--norc', '-e'],
      script,
      cwd: run.workspace,
      env: workspaceEnvironment(run, variableEnv, actionEnv),
      log: run.log,
      signal: run.signal,
      mask,
      privateDir: dir,
      ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
    });
    if (outcome.aborted) {
      throw new ProviderFailure('JobFailed', 'the commands were stopped before they finished', outcome.tail);
    }
    if (outcome.exitCode !== 0) {
      const step = Number(await readFile(`${result}.step`, 'utf8').catch(() => '0'));
      const which = step > 0 ? `command ${step} (${JSON.stringify(commands[step - 1])})` : 'the commands';
      const how =
        outcome.exitCode === null
          ? `was killed by ${outcome.signal}`
          : `exited with code ${outcome.exitCode}`;
      throw new ProviderFailure('JobFailed', `${which} ${how}`, outcome.tail);
    }
    const values = parseNulPairs(await readFile(result, 'utf8').catch(() => ''));
    const outputVariables: Record<string, string> = {};
    for (const name of outputNames) {
      const value = values[name];
      if (value === undefined)
        run.log.write('system', `output variable ${name} was not set by the commands\n`);
      else outputVariables[name] = value;
    }
    const artifacts: StoredArtifact[] = [];
    for (const output of action.outputArtifacts) {
      const files = output.files && output.files.length > 0 ? { files: output.files } : {};
      artifacts.push(await run.artifacts.putDirectory(run.workspace, { name: output.name, ...files }));
    }
    return succeeded(artifacts, outputVariables);
  });
}
