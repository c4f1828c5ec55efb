import type { Diagnostic } from '../model/diagnostic.ts';
import type { LoadedPipeline, LoadResult } from '../model/loaded-pipeline.ts';
import { checkActionRegions } from './check-action-regions.ts';
import { checkArtifacts } from './check-artifacts.ts';
import { checkConditions } from './check-conditions.ts';
import { checkLimits } from './check-limits.ts';
import { checkNames } from './check-names.ts';
import { checkNotifications } from './check-notifications.ts';
import { checkPipelineType } from './check-pipeline-type.ts';
import { checkProviders } from './check-providers.ts';
import { checkStructure } from './check-structure.ts';
import { checkTriggers } from './check-triggers.ts';
import { checkVariables } from './check-variables.ts';
import { ValidationContext } from './validation-context.ts';

const CHECKS = [
  checkPipelineType,
  checkNames,
  checkStructure,
  checkProviders,
  checkLimits,
  checkArtifacts,
  checkVariables,
  checkConditions,
  checkTriggers,
  checkNotifications,
  checkActionRegions,
] as const;

function byLocation(diagnostics: Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic): number => (d.location ? d.location.line * 100_000 + d.location.col : 0);
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => key(a.d) - key(b.d) || a.i - b.i)
    .map(({ d }) => d);
}

/**
 * Validates a loaded pipeline against CodePipeline's rules and Pipewright's provider schemas.
 * Reports every problem at once, in document order, each with a stable `code`, the model
 * path, a message saying what is wrong and what to do, and its location in the user's file.
 * Never throws; an empty list (or warnings only) means the pipeline is valid.
 *
 * @example
 * ```ts
 * const [loaded] = loadPipelines(text, { file: 'pipeline.yaml' }).pipelines;
 * validatePipeline(loaded).map(formatDiagnostic);
 * // ['pipeline.yaml:14:11 stages[1].actions[0].inputArtifacts[0]: artifact "BuildOut" is not produced by any earlier action; …']
 * ```
 */
export function validatePipeline(loaded: LoadedPipeline): Diagnostic[] {
  const ctx = new ValidationContext(loaded);
  for (const check of CHECKS) {
    try {
      check(ctx);
    } catch (cause) {
      ctx.error(
        'validation-failed',
        [],
        `validation stopped in ${check.name} on a malformed model (${cause instanceof Error ? cause.message : String(cause)}); fix the errors above and validate again`,
      );
    }
  }
  return byLocation(ctx.diagnostics);
}

/**
 * The loader's diagnostics followed by the validation of every pipeline it loaded.
 *
 * @example
 * ```ts
 * const diagnostics = validateLoaded(loadPipelines(text, { file: 'pipeline.yaml' }));
 * if (hasErrors(diagnostics)) throw new PipelineInvalidError(diagnostics);
 * ```
 */
export function validateLoaded(result: LoadResult): Diagnostic[] {
  return [...result.diagnostics, ...result.pipelines.flatMap((p) => validatePipeline(p))];
}
