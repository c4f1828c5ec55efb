import { EXECUTION_MODES, PIPELINE_TYPES } from '../model/pipeline.ts';
import { actionPath, placeActions } from './action-order.ts';
import { arr } from './patterns.ts';
import type { ValidationContext } from './validation-context.ts';

/**
 * Pipeline type and execution mode: valid values, and the V2-only features (triggers,
 * pipeline variables, QUEUED/PARALLEL, stage conditions, Commands actions) used in a V1
 * pipeline. Also warns about polling sources.
 *
 * @example
 * ```ts
 * checkPipelineType(ctx); // e.g. 'triggers: triggers need pipelineType V2; set pipelineType: V2'
 * ```
 */
export function checkPipelineType(ctx: ValidationContext): void {
  const p = ctx.pipeline;
  if (!(EXECUTION_MODES as readonly unknown[]).includes(p.executionMode))
    ctx.error(
      'invalid-execution-mode',
      ['executionMode'],
      `executionMode must be ${EXECUTION_MODES.join(', ')}, got ${JSON.stringify(p.executionMode)}; SUPERSEDED is the default`,
    );
  if (!(PIPELINE_TYPES as readonly unknown[]).includes(p.pipelineType))
    ctx.error(
      'invalid-pipeline-type',
      ['pipelineType'],
      `pipelineType must be V1 or V2, got ${JSON.stringify(p.pipelineType)}`,
    );

  if (p.pipelineType === 'V1') {
    const v2 = (what: string, verb = 'need'): string =>
      `${what} ${verb} pipelineType V2; set pipelineType: V2`;
    if (arr(p.triggers).length > 0) ctx.error('requires-pipeline-type-v2', ['triggers'], v2('triggers'));
    if (arr(p.variables).length > 0)
      ctx.error('requires-pipeline-type-v2', ['variables'], v2('pipeline variables'));
    if (p.executionMode === 'QUEUED' || p.executionMode === 'PARALLEL')
      ctx.error(
        'requires-pipeline-type-v2',
        ['executionMode'],
        v2(`executionMode ${p.executionMode}`, 'needs'),
      );
    arr(p.stages).forEach((stage, s) => {
      for (const kind of ['beforeEntry', 'onSuccess', 'onFailure'] as const)
        if (stage?.[kind] !== undefined)
          ctx.error('requires-pipeline-type-v2', ['stages', s, kind], v2(`stage conditions (${kind})`));
    });
    for (const placed of placeActions(p))
      if (placed.action.actionTypeId?.provider === 'Commands')
        ctx.error(
          'requires-pipeline-type-v2',
          [...actionPath(placed), 'actionTypeId'],
          v2('Commands actions'),
        );
  }

  for (const placed of placeActions(p)) {
    const poll = placed.action.configuration?.PollForSourceChanges;
    if (typeof poll === 'string' && /^true$/i.test(poll))
      ctx.warn(
        'polling-source',
        [...actionPath(placed), 'configuration', 'PollForSourceChanges'],
        'polling for source changes is slow and deprecated; set PollForSourceChanges to "false" and start the pipeline from a git trigger or event instead',
      );
  }
}
