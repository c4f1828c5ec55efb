/**
 * The pipelines of a deployment, from the texts of its pipeline files: every file loaded (any
 * format core reads), validated, and checked for pipelines sharing a name. `infra/` (under
 * `sst deploy`) and `pipewright plan` read the files and call this, so both deploy exactly the
 * same pipelines.
 */
import { PipelineInvalidError } from '../errors.ts';
import { loadPipelines } from '../loaders/load-pipelines.ts';
import { type Diagnostic, formatDiagnostic, hasErrors } from '../model/diagnostic.ts';
import type { Pipeline } from '../model/pipeline.ts';
import { validateLoaded } from '../validation/validate-pipeline.ts';

/** File names a deployment reads from its pipelines directory. @example `DEPLOYMENT_PIPELINE_FILE.test('web.yaml') // true` */
export const DEPLOYMENT_PIPELINE_FILE = /\.(ya?ml|json)$/i;

/** One pipeline file: its path as shown in messages, and its text. @example `{ file: 'pipelines/web-app.yaml', text }` */
export interface DeploymentFile {
  file: string;
  text: string;
}

/** What {@link deploymentPipelines} found. @example `deploymentPipelines(files).pipelines.length // 3` */
export interface DeploymentPipelines {
  pipelines: Pipeline[];
  /** Warnings of valid files, formatted (`file:line:col warning: …`). */
  warnings: string[];
}

/**
 * The valid pipelines of `files` (in the order given; a CloudFormation template may hold
 * several). Throws {@link PipelineInvalidError} listing every error when a file is invalid,
 * declares no pipeline, or two pipelines share a name.
 *
 * @example
 * ```ts
 * const { pipelines, warnings } = deploymentPipelines([{ file: 'pipelines/web.yaml', text }]);
 * pipelines.map((p) => p.name); // ['web']
 * ```
 */
export function deploymentPipelines(files: readonly DeploymentFile[]): DeploymentPipelines {
  const diagnostics: Diagnostic[] = [];
  const pipelines: { pipeline: Pipeline; file: string }[] = [];
  for (const { file, text } of files) {
    const result = loadPipelines(text, { file });
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
