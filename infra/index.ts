/**
 * The AWS app's resources, declared by `sst.config.ts`'s `run()`. Thin: it reads the pipeline
 * files, asks core for the deployment plan (`deploymentPlan`: every name, policy, rule,
 * schedule and definition) and declares it with the functions of `shared-resources.ts`,
 * `pipeline-resources.ts` (plain `@pulumi/aws`) and `functions.ts` (SST Functions).
 *
 * Uses SST's globals (`$app`, `$cli`, `$util`, `aws`): see docs/aws.md for the offline and
 * online typecheck.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEPLOYED_PIPELINES_FILE } from '@pipewright/aws';
import { assertDeployable, deploymentPlan, sharedResourceNames } from '@pipewright/core/deploy';
import type * as pulumi from '@pulumi/pulumi';
import { pipewrightFunctions } from './functions.ts';
import { loadPipelineDirectory } from './load-pipelines.ts';
import { functionManagedPolicies } from './managed-policies.ts';
import { pipelineResources } from './pipeline-resources.ts';
import type { Platform } from './platform.ts';
import { artifactKey, type SharedSecrets, sharedResources, sharedWiring } from './shared-resources.ts';
import { deploymentSite } from './site.ts';
import { deployUsersFile } from './users-file.ts';

/** Where `sst deploy` reads the pipelines from, relative to the project root. */
export const PIPELINES_DIRECTORY = 'pipelines';
/** Where it writes the validated definitions the functions load (`pipelines.json`), relative to the root. */
export const DEPLOYED_PIPELINES_DIRECTORY = '.sst/pipewright/pipelines';

/** Fresh values for the deployment's secrets (used on the first deploy only; later deploys keep the stored ones). */
function newSecrets(): SharedSecrets {
  return {
    approvalKey: randomBytes(32).toString('base64'),
    apiToken: randomBytes(32).toString('base64url'),
    webhookSecret: randomBytes(32).toString('hex'),
  };
}

/**
 * Declares everything for the pipelines in `pipelines/` and returns the app's outputs. First it
 * checks the deployment as `pipewright plan` does (`assertDeployable`: AWS quotas, wildcard
 * grants) and throws `DeploymentCheckError` (`PW1100`, every reason listed) before declaring
 * anything.
 *
 * @example
 * ```ts
 * // sst.config.ts
 * async run() { return (await import('./infra/index.ts')).deploy(); }
 * ```
 */
export async function deploy(): Promise<Record<string, pulumi.Input<string>>> {
  const platform: Platform = { aws, pulumi: $util };
  const root = $cli.paths.root;
  const { pipelines, warnings } = loadPipelineDirectory(join(root, PIPELINES_DIRECTORY), root);
  const site = await deploymentSite(platform, $app.name, $app.stage);
  const retain = $app.removal !== 'remove';

  // The same check as `pipewright plan`, before any resource is declared: a deployment over an
  // AWS quota (or granting `*`) fails here with every reason, not halfway through. The key's ARN
  // is not known yet: a placeholder of the same length stands in.
  const keyPlaceholder = `arn:${site.partition ?? 'aws'}:kms:${site.region}:${site.accountId}:key/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`;
  assertDeployable(pipelines, deploymentPlan(pipelines, { ...site, artifactKeyArn: keyPlaceholder }));

  const names = sharedResourceNames(site);
  const { key } = artifactKey(platform, { alias: names.keyAlias, description: names.keyDescription, retain });
  const plan = deploymentPlan(pipelines, { ...site, artifactKeyArn: key.arn });
  for (const warning of [...warnings, ...plan.warnings]) $util.log.warn(warning);

  mkdirSync(join(root, DEPLOYED_PIPELINES_DIRECTORY), { recursive: true });
  writeFileSync(
    join(root, DEPLOYED_PIPELINES_DIRECTORY, DEPLOYED_PIPELINES_FILE),
    `${JSON.stringify(pipelines, null, 2)}\n`,
  );
  deployUsersFile(join(root, PIPELINES_DIRECTORY), join(root, DEPLOYED_PIPELINES_DIRECTORY));

  const shared = sharedResources(platform, plan, { retain, secrets: newSecrets() });
  const functions = pipewrightFunctions(
    plan,
    [
      shared.table,
      shared.bus,
      shared.bucketEncryption,
      shared.runner.project,
      ...shared.secretValues,
      ...functionManagedPolicies(platform, plan),
    ],
    DEPLOYED_PIPELINES_DIRECTORY,
  );
  const dependsOn = Object.values(functions);
  const wiring = sharedWiring(platform, plan, shared, { dependsOn });
  for (const pipeline of plan.pipelines) {
    pipelineResources(platform, plan, pipeline, {
      busName: shared.bus.name,
      deadLetters: wiring.failedDeliveriesPolicy,
      ...(shared.scheduler ? { scheduler: shared.scheduler } : {}),
      dependsOn,
    });
  }

  return {
    url: functions.http.url,
    table: plan.table.name,
    bus: plan.bus.name,
    artifactBucket: plan.bucket.name,
    apiTokenSecret: plan.secrets.apiToken.name,
    webhookSecretSecret: plan.secrets.webhookSecret.name,
    stateMachines: plan.pipelines.map((p) => p.stateMachine.name).join(', '),
    failedDeliveries: plan.failedDeliveries.name,
  };
}
