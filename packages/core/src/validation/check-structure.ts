import { arr } from './patterns.ts';
import type { ValidationContext } from './validation-context.ts';

const MAX_STAGES = 50;
const MAX_ACTIONS = 50;
const MAX_PARALLEL = 50;

function checkArtifactStores(ctx: ValidationContext): void {
  const p = ctx.pipeline;
  if (p.artifactStore !== undefined && p.artifactStores !== undefined) {
    ctx.error(
      'artifact-store-conflict',
      ['artifactStores'],
      'artifactStore and artifactStores are mutually exclusive; keep artifactStore for a single-region pipeline, or artifactStores (one per region) for a cross-region one',
    );
  }
  const stores: [(string | number)[], unknown][] = [];
  if (p.artifactStore !== undefined) stores.push([['artifactStore'], p.artifactStore]);
  if (p.artifactStores !== null && typeof p.artifactStores === 'object')
    for (const [region, store] of Object.entries(p.artifactStores))
      stores.push([['artifactStores', region], store]);
  for (const [path, store] of stores) {
    const location = (store as { location?: unknown } | null)?.location;
    const at = [...path, 'location'];
    if (ctx.isUnresolved(at)) continue;
    if (typeof location !== 'string' || location.length < 3 || location.length > 63)
      ctx.error(
        'invalid-artifact-store',
        at,
        `artifact store location ${JSON.stringify(location)} is not a bucket name; give the S3 bucket name (3–63 characters)`,
      );
  }
}

/**
 * Pipeline structure: 2–50 stages, 1–50 actions per stage, Source actions exactly in the
 * first stage, no approval in the first stage, runOrder 1–999, at most 50 actions in
 * parallel, artifactStore vs artifactStores.
 *
 * @example
 * ```ts
 * checkStructure(ctx); // e.g. 'stages: a pipeline needs at least 2 stages, got 1; …'
 * ```
 */
export function checkStructure(ctx: ValidationContext): void {
  const stages = arr(ctx.pipeline.stages);
  if (stages.length < 2)
    ctx.error(
      'too-few-stages',
      ['stages'],
      `a pipeline needs at least 2 stages, got ${stages.length}; add a Source stage first and at least one stage after it`,
    );
  if (stages.length > MAX_STAGES)
    ctx.error(
      'too-many-stages',
      ['stages'],
      `a pipeline may have at most ${MAX_STAGES} stages, got ${stages.length}; merge stages or split the pipeline`,
    );
  checkArtifactStores(ctx);

  stages.forEach((stage, s) => {
    const actions = arr(stage?.actions);
    const name = typeof stage?.name === 'string' ? stage.name : `#${s}`;
    if (actions.length === 0)
      ctx.error(
        'empty-stage',
        ['stages', s, 'actions'],
        `stage "${name}" has no actions; add at least one action or remove the stage`,
      );
    if (actions.length > MAX_ACTIONS)
      ctx.error(
        'too-many-actions',
        ['stages', s, 'actions'],
        `stage "${name}" has ${actions.length} actions; a stage may have at most ${MAX_ACTIONS}: move some to another stage`,
      );
    const perRunOrder = new Map<number, number>();
    actions.forEach((action, a) => {
      const at = ['stages', s, 'actions', a];
      const category = action?.actionTypeId?.category;
      if (s === 0 && category === 'Approval')
        ctx.error(
          'approval-in-first-stage',
          [...at, 'actionTypeId', 'category'],
          `approval "${action.name}" cannot be in the first stage, which holds only Source actions; move it to a later stage`,
        );
      else if (s === 0 && category !== 'Source')
        ctx.error(
          'non-source-in-first-stage',
          [...at, 'actionTypeId', 'category'],
          `the first stage may only contain Source actions, but "${action?.name}" is a ${category} action; move it to a later stage`,
        );
      else if (s > 0 && category === 'Source')
        ctx.error(
          'source-not-in-first-stage',
          [...at, 'actionTypeId', 'category'],
          `Source action "${action.name}" must be in the first stage; move it to stages[0] ("${stages[0]?.name}")`,
        );
      const runOrder = action?.runOrder;
      if (!Number.isInteger(runOrder) || (runOrder as number) < 1 || (runOrder as number) > 999) {
        if (!ctx.isUnresolved([...at, 'runOrder']))
          ctx.error(
            'invalid-run-order',
            [...at, 'runOrder'],
            `runOrder must be a whole number from 1 to 999, got ${JSON.stringify(runOrder)}; actions with equal runOrder run in parallel, lower first`,
          );
      } else perRunOrder.set(runOrder as number, (perRunOrder.get(runOrder as number) ?? 0) + 1);
    });
    for (const [runOrder, count] of perRunOrder)
      if (count > MAX_PARALLEL)
        ctx.error(
          'too-many-parallel-actions',
          ['stages', s, 'actions'],
          `${count} actions of stage "${name}" share runOrder ${runOrder}; at most ${MAX_PARALLEL} may run in parallel: give some a higher runOrder`,
        );
  });
}
