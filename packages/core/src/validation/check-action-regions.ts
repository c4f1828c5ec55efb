import { arr } from './patterns.ts';
import type { ValidationContext } from './validation-context.ts';

/**
 * Cross-region actions, as CodePipeline checks them: with `artifactStores`, every action's
 * `region` needs a store in that region (its artifacts are copied there); with a single
 * `artifactStore`, an action naming a `region` is only valid in the pipeline's own region, which
 * is not known before deploy, so it is a warning.
 *
 * @example
 * ```ts
 * checkActionRegions(ctx); // 'stages[1].actions[0].region: the action runs in us-east-1, but artifactStores has no store there; …'
 * ```
 */
export function checkActionRegions(ctx: ValidationContext): void {
  const stores = ctx.pipeline.artifactStores;
  const regions = stores !== null && typeof stores === 'object' ? Object.keys(stores) : undefined;
  arr(ctx.pipeline.stages).forEach((stage, s) => {
    arr(stage?.actions).forEach((action, a) => {
      const region = action?.region;
      const at = ['stages', s, 'actions', a, 'region'];
      if (typeof region !== 'string' || region === '' || ctx.isUnresolved(at)) return;
      if (regions === undefined) {
        ctx.warn(
          'action-region-without-artifact-stores',
          at,
          `the action names region ${region}; if that is not the pipeline's region, replace artifactStore with artifactStores holding a bucket in ${region} (and one in the pipeline's region)`,
        );
      } else if (!regions.includes(region)) {
        ctx.error(
          'missing-region-artifact-store',
          at,
          `the action runs in ${region}, but artifactStores has no store there; add artifactStores.${region} (an S3 bucket in ${region}) or change the action's region`,
        );
      }
    });
  });
}
