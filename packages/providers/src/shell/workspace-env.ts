/**
 * The environment of a shell action, CodeBuild style: the machine's environment, then
 * `CODEBUILD_SRC_DIR` (the workspace, holding the first input artifact) and
 * `CODEBUILD_SRC_DIR_<ArtifactName>` for every other input artifact, then the pipeline
 * variables (see `variable-environment.ts`), then the action's own variables.
 *
 * @example
 * ```ts
 * const env = workspaceEnvironment(run, variableEnv, { NODE_ENV: 'test' });
 * ```
 */
import type { ActionRun } from '@pipewright/engine';

/**
 * Builds the child environment of a shell action.
 *
 * @example
 * ```ts
 * workspaceEnvironment(run, {}, {}).CODEBUILD_SRC_DIR === run.workspace; // true
 * ```
 */
export function workspaceEnvironment(
  run: Pick<ActionRun, 'workspace' | 'inputs' | 'pipeline' | 'executionId' | 'actionExecutionId'>,
  variableEnv: Readonly<Record<string, string>>,
  actionEnv: Readonly<Record<string, string>>,
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  env.CODEBUILD_SRC_DIR = run.workspace;
  run.inputs.forEach((input, i) => {
    if (i > 0) env[`CODEBUILD_SRC_DIR_${input.name}`] = input.dir;
  });
  env.CODEBUILD_INITIATOR = `codepipeline/${run.pipeline}`;
  env.CODEBUILD_BUILD_ID = `pipewright-local:${run.actionExecutionId}`;
  env.CODEBUILD_LOCAL = 'true';
  return { ...env, ...variableEnv, ...actionEnv };
}
