/**
 * `Build|Test/CodeBuild` in AWS: the action's own buildspec runs on the runner project. The
 * buildspec is read from the primary source (`BuildspecPath`, default `buildspec.yml`) and sent
 * inline as written; when the primary source has no `buildspec.yml` and `BuildspecPath` is not
 * set, the project's buildspec is kept. CodeBuild checks the buildspec itself (a broken one
 * fails the build, and the completion reports CodeBuild's reason): the action runner carries
 * no YAML parser, which keeps its bundle under 1 MiB. Output artifacts follow CodeBuild's
 * rules: the first output is the buildspec's `artifacts`, every other one its
 * `secondary-artifacts` entry named after the artifact. `EnvironmentVariables`
 * keep their CodeBuild types (CodeBuild resolves PARAMETER_STORE and SECRETS_MANAGER itself);
 * exported variables come back through the build's completion.
 *
 * The build runs on Pipewright's shared runner project, not on `ProjectName`: the action's
 * project name is only logged.
 *
 * @example
 * ```ts
 * await awsCodeBuildProvider(options).run(run); // configuration { ProjectName: 'app' }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { ActionProvider, ActionRun } from '@pipewright/engine';
import { guardOutcome } from '@pipewright/providers';
import { declaredEnvironment } from './build-environment.ts';
import { checkedConfiguration, configurationError, required } from './checked-configuration.ts';
import { type RunnerBuildOptions, type RunnerBuildSpec, startRunnerBuild } from './runner-build.ts';

/**
 * The CodeBuild provider for Build and Test, on the runner project.
 *
 * @example
 * ```ts
 * awsCodeBuildProvider(options).categories; // ['Build', 'Test']
 * ```
 */
export function awsCodeBuildProvider(options: RunnerBuildOptions): ActionProvider {
  return {
    categories: ['Build', 'Test'],
    provider: 'CodeBuild',
    run: (run) => guardOutcome(async () => startRunnerBuild(run, options, await codeBuildBuild(run))),
  };
}

/**
 * The runner build of a CodeBuild action: its buildspec (inline) and environment.
 *
 * @example
 * ```ts
 * (await codeBuildBuild(run)).buildspec; // the text of buildspec.yml
 * ```
 */
export async function codeBuildBuild(run: ActionRun): Promise<RunnerBuildSpec> {
  const config = checkedConfiguration(run);
  const project = required(config, 'ProjectName');
  if (/^true$/i.test(config.BatchEnabled ?? '')) {
    configurationError(
      'BatchEnabled "true" (batch builds) is not supported by Pipewright; run one action per build instead',
    );
  }
  const primaryName = config.PrimarySource;
  const primary = primaryName === undefined ? run.inputs[0] : run.inputs.find((i) => i.name === primaryName);
  if (primary === undefined) {
    return configurationError(
      primaryName === undefined
        ? 'a CodeBuild action needs an input artifact holding its source'
        : `PrimarySource ${primaryName} is not one of the action's input artifacts`,
    );
  }
  const path = config.BuildspecPath ?? 'buildspec.yml';
  const file = resolve(primary.dir, path);
  if (file !== primary.dir && !file.startsWith(`${primary.dir}${sep}`)) {
    configurationError(
      `BuildspecPath ${JSON.stringify(path)} points outside the primary source ${primary.name}`,
    );
  }
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined && config.BuildspecPath !== undefined) {
    configurationError(`no ${path} in the primary source ${primary.name}; fix BuildspecPath or add the file`);
  }
  run.log.write(
    'system',
    `CodeBuild action (project ${project}) runs ${text === undefined ? "the runner project's buildspec" : path} on Pipewright's runner project\n`,
  );
  const declared = parseEnvironmentVariables(config.EnvironmentVariables);
  return {
    buildspec: text,
    primarySource: primary.name,
    environment: declaredEnvironment(declared, run, 'EnvironmentVariables', false),
  };
}

/** Core's schema already checked the shape: a JSON array of `{ name, value, type? }`. */
function parseEnvironmentVariables(
  json: string | undefined,
): { name: string; value: string; type?: string }[] {
  if (json === undefined || json.trim() === '') return [];
  return JSON.parse(json) as { name: string; value: string; type?: string }[];
}
