/**
 * Reads the pipelines to deploy: every `*.yaml`, `*.yml` and `*.json` file directly in the
 * project's `pipelines/` directory, in any format core loads (native YAML, CodePipeline
 * declaration, CloudFormation template), validated. One invalid file fails the deploy with
 * every problem of every file, as `file:line:col path: message`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  type Diagnostic,
  formatDiagnostic,
  hasErrors,
  loadPipelines,
  type Pipeline,
  PipelineInvalidError,
  validateLoaded,
} from '@pipewright/core';

/** File names read from the directory. */
const PIPELINE_FILE = /\.(ya?ml|json)$/i;

/** What {@link loadPipelineDirectory} found. @example `loadPipelineDirectory(dir).pipelines.length // 3` */
export interface LoadedPipelines {
  pipelines: Pipeline[];
  /** Warnings of valid files, formatted (`file:line:col warning: …`). */
  warnings: string[];
}

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
    .filter((f) => PIPELINE_FILE.test(f) && statSync(join(dir, f)).isFile())
    .sort();
  if (files.length === 0) {
    throw new Error(
      `${shown}/ holds no pipeline file (*.yaml, *.yml, *.json): add one, e.g. cp examples/web-app/pipeline.yaml ${shown}/web-app.yaml`,
    );
  }
  const diagnostics: Diagnostic[] = [];
  const pipelines: { pipeline: Pipeline; file: string }[] = [];
  for (const f of files) {
    const file = relative(root, join(dir, f));
    const result = loadPipelines(readFileSync(join(dir, f), 'utf8'), { file });
    const found = validateLoaded(result);
    diagnostics.push(...found);
    if (result.pipelines.length === 0 && !hasErrors(found)) {
      diagnostics.push({
        severity: 'error',
        code: 'no-pipeline',
        path: [],
        message: 'the file declares no pipeline; remove it from the directory or add a pipeline',
        location: { file, line: 1, col: 1 },
      });
    }
    if (!hasErrors(found)) pipelines.push(...result.pipelines.map((p) => ({ pipeline: p.pipeline, file })));
  }
  const byName = new Map<string, string>();
  for (const { pipeline, file } of pipelines) {
    const other = byName.get(pipeline.name);
    if (other !== undefined) {
      diagnostics.push({
        severity: 'error',
        code: 'duplicate-pipeline-name',
        path: ['name'],
        message: `pipeline "${pipeline.name}" is also declared in ${other}; pipeline names must be unique — rename one`,
        location: { file, line: 1, col: 1 },
      });
    }
    byName.set(pipeline.name, file);
  }
  if (hasErrors(diagnostics)) throw new PipelineInvalidError(diagnostics);
  return {
    pipelines: pipelines.map((p) => p.pipeline),
    warnings: diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic),
  };
}
