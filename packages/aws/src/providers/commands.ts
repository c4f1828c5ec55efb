/**
 * `Build|Test|Compute/Commands` in AWS: the commands run as the build phase of an inline
 * buildspec on the runner project (as CodePipeline's Commands action runs in CodeBuild).
 * `#{Namespace.Name}` in a command is rewritten to `${PW_Namespace_Name}` (the local
 * provider's scheme) and the value travels as an environment variable: no variable value is
 * ever part of the buildspec's text. The output artifact takes its `files` globs (default
 * everything); `outputVariables` become the buildspec's `env.exported-variables`.
 *
 * @example
 * ```ts
 * const provider = awsCommandsProvider({ codebuild, runnerProject: 'pipewright-prod-runner', artifactBucket });
 * await provider.run(run); // { status: 'Waiting', summary: 'CodeBuild build pipewright-prod-runner:…' }
 * ```
 */
import type { ActionProvider, ActionRun } from '@pipewright/engine';
import { commandLines, guardOutcome } from '@pipewright/providers';
import { declaredEnvironment, pipelineVariableEnvironment } from './build-environment.ts';
import { checkedConfiguration, configurationError } from './checked-configuration.ts';
import { buildspecText, type RunnerBuildOptions, startRunnerBuild } from './runner-build.ts';

/**
 * The Commands provider for Build, Test and Compute, on the runner project.
 *
 * @example
 * ```ts
 * awsCommandsProvider(options).categories; // ['Build', 'Test', 'Compute']
 * ```
 */
export function awsCommandsProvider(options: RunnerBuildOptions): ActionProvider {
  return {
    categories: ['Build', 'Test', 'Compute'],
    provider: 'Commands',
    run: (run) =>
      guardOutcome(async () => {
        checkedConfiguration(run);
        const { buildspec, environment } = commandsBuild(run);
        return startRunnerBuild(run, options, { buildspec, environment });
      }),
  };
}

/**
 * The buildspec object and environment of a Commands action (pure).
 *
 * @example
 * ```ts
 * commandsBuild(run).buildspec; // '{ "version": "0.2", … }'
 * ```
 */
export function commandsBuild(run: ActionRun): {
  buildspec: string;
  environment: ReturnType<typeof declaredEnvironment>;
} {
  const { action } = run;
  const { names, environment: variableEnv } = pipelineVariableEnvironment(run.variables);
  const { commands: rewritten, outputNames } = commandLines(action, names);
  const output = action.outputArtifacts[0];
  if (action.outputArtifacts.length > 1) {
    configurationError('a Commands action has at most one output artifact; run a second action for another');
  }
  const spec = {
    version: '0.2',
    env: {
      shell: 'bash',
      ...(outputNames.length === 0 ? {} : { 'exported-variables': outputNames }),
    },
    phases: { build: { commands: rewritten } },
    ...(output === undefined
      ? {}
      : { artifacts: { files: output.files && output.files.length > 0 ? output.files : ['**/*'] } }),
  };
  return {
    buildspec: buildspecText(spec),
    environment: [
      ...variableEnv,
      ...declaredEnvironment(action.environmentVariables ?? [], run, 'environmentVariables', true),
    ],
  };
}
