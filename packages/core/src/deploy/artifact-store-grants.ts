/**
 * What the action runner needs of the pipelines' own artifact stores: the bucket of each region
 * named in `artifactStores` other than the home region (input artifacts are copied there for
 * cross-region actions, which write their outputs there) and every customer KMS key the
 * pipelines declare as `encryptionKey` (artifacts are written with it, SSE-KMS).
 */
import type { Pipeline } from '../model/pipeline.ts';
import { arnOf, type DeploymentSite } from './deployment-names.ts';
import { allowStatement, type PolicyStatement } from './policy-statement.ts';

/**
 * The action runner's statements for the pipelines' regional artifact buckets and keys.
 *
 * @example
 * ```ts
 * artifactStoreStatements([pipeline], names).map((s) => s.Sid); // ['RegionalArtifacts', 'PipelineArtifactKeys']
 * ```
 */
export function artifactStoreStatements<K>(
  pipelines: readonly Pipeline[],
  names: DeploymentSite,
): PolicyStatement<K>[] {
  const buckets = new Set<string>();
  const keys = new Set<string>();
  for (const pipeline of pipelines) {
    const stores = Object.entries(pipeline.artifactStores ?? {});
    for (const [region, store] of stores) {
      if (region !== names.region)
        buckets.add(arnOf(names, 's3', `${store.location}/*`, { region: '', account: '' }));
      if (store.encryptionKey?.id !== undefined) keys.add(keyArn(names, region, store.encryptionKey.id));
    }
    const key = pipeline.artifactStore?.encryptionKey?.id;
    if (key !== undefined) keys.add(keyArn(names, names.region, key));
  }
  return [
    ...allowStatement<K>('RegionalArtifacts', ['s3:GetObject', 's3:PutObject'], [...buckets]),
    ...allowStatement<K>('PipelineArtifactKeys', ['kms:Decrypt', 'kms:GenerateDataKey'], [...keys]),
  ];
}

/** A key id, alias or ARN as an IAM resource (an alias grants through its key: `key/*` of that account). */
function keyArn(names: DeploymentSite, region: string, id: string): string {
  if (id.startsWith('arn:')) return id;
  if (id.startsWith('alias/')) return arnOf(names, 'kms', 'key/*', { region });
  return arnOf(names, 'kms', `key/${id}`, { region });
}
