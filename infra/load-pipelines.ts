/**
 * Reads the pipelines to deploy: every `*.yaml`, `*.yml` and `*.json` file directly in the
 * project's `pipelines/` directory, in any format core loads (native YAML, CodePipeline
 * declaration, CloudFormation template), validated. One invalid file fails the deploy with
 * every problem of every file, as `file:line:col path: message`. The loading itself is core's
 * `deploymentPipelines`, which `pipewright plan` uses too.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  DEPLOYMENT_PIPELINE_FILE,
  type DeploymentPipelines,
  deploymentPipelines,
} from '@pipewright/core/deploy';

/** What {@link loadPipelineDirectory} found. @example `loadPipelineDirectory(dir).pipelines.length // 3` */
export type LoadedPipelines = DeploymentPipelines;

/**
 * The valid pipelines of `dir` (files sorted by name; a CloudFormation template may hold
 * several). Throws `PipelineInvalidError` listing every error when a file is invalid or two
 * pipelines share a name, and an `Error` saying what to do when there is no pipeline at all.
 *
 * @example
 * ```ts
 * const { pipelines, warnings } = loadPipelineDirectory('/repo/pipelines', '/repo');
 * pipelines.map((p) => p.name); // ['library', 'web-app']
 * ```
 */
export function loadPipelineDirectory(dir: string, root: string = dir): LoadedPipelines {
  const shown = relative(root, dir) || '.';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(
      `there is no ${shown}/ directory: put the pipeline files to deploy there (YAML or JSON), e.g. cp examples/web-app/pipeline.yaml ${shown}/web-app.yaml`,
    );
  }
  const files = readdirSync(dir)
    .filter((f) => DEPLOYMENT_PIPELINE_FILE.test(f) && statSync(join(dir, f)).isFile())
    .sort();
  if (files.length === 0) {
    throw new Error(
      `${shown}/ holds no pipeline file (*.yaml, *.yml, *.json): add one, e.g. cp examples/web-app/pipeline.yaml ${shown}/web-app.yaml`,
    );
  }
  return deploymentPipelines(
    files.map((f) => ({ file: relative(root, join(dir, f)), text: readFileSync(join(dir, f), 'utf8') })),
  );
}
