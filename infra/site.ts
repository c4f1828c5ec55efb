/**
 * The account, region and partition the deploy targets, read once before any resource is
 * declared, so every name and ARN of the deployment plan is a plain string (see
 * `DeploymentNames` in core).
 */
import type { DeploymentSite } from '@pipewright/core/deploy';
import type { Platform } from './platform.ts';

/**
 * `{ app, stage, region, accountId, partition }` of the current AWS provider.
 *
 * @example
 * ```ts
 * const site = await deploymentSite(platform, $app.name, $app.stage);
 * site.accountId; // '123456789012'
 * ```
 */
export async function deploymentSite(
  platform: Platform,
  app: string,
  stage: string,
): Promise<DeploymentSite> {
  const { aws } = platform;
  const [identity, region, partition] = await Promise.all([
    aws.getCallerIdentity({}),
    aws.getRegion({}),
    aws.getPartition({}),
  ]);
  return {
    app,
    stage,
    accountId: identity.accountId,
    region: region.region ?? region.name,
    partition: partition.partition,
  };
}
