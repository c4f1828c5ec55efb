/**
 * Where an action's artifacts live: the pipeline's artifact store of the action's region. An
 * action in the functions' own region uses Pipewright's artifact bucket, encrypted with the
 * pipeline's `encryptionKey` when it declares one (CodePipeline's customer-managed key) and
 * Pipewright's key otherwise. An action in another `region` uses the pipeline's
 * `artifactStores[region]` (bucket and key), as CodePipeline requires for cross-region actions;
 * its input artifacts are copied there before it runs ({@link copyInputsTo}).
 *
 * @example
 * ```ts
 * artifactSite(pipeline, run.action.region, { region: 'eu-west-1', bucket: 'pw-artifacts' });
 * // { bucket: 'acme-artifacts-us-east-1', kmsKeyArn: 'arn:aws:kms:us-east-1:…:key/…' }
 * ```
 */
import { CopyObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Pipeline } from '@pipewright/core';
import type { ActionRun } from '@pipewright/engine';
import { awsFailure } from './aws-failure.ts';
import { configurationError } from './checked-configuration.ts';
import { s3Location } from './s3-location.ts';

/**
 * A bucket and the key its artifacts are written with.
 *
 * @example
 * ```ts
 * const site: ArtifactSite = { bucket: 'pw-artifacts', kmsKeyArn: 'arn:aws:kms:eu-west-1:1:key/k' };
 * ```
 */
export interface ArtifactSite {
  bucket: string;
  kmsKeyArn?: string;
}

/**
 * The artifact site of an action of `pipeline` in `region` (absent: the home region).
 *
 * @throws {ProviderFailure} `ConfigurationError` for a region the pipeline has no artifact store for.
 * @example
 * ```ts
 * artifactSite(undefined, undefined, { region: 'eu-west-1', bucket: 'pw-artifacts' }); // { bucket: 'pw-artifacts' }
 * ```
 */
export function artifactSite(
  pipeline: Pick<Pipeline, 'artifactStore' | 'artifactStores'> | undefined,
  region: string | undefined,
  home: { region: string } & ArtifactSite,
): ArtifactSite {
  if (region === undefined || region.trim() === '' || region === home.region) {
    const key =
      pipeline?.artifactStore?.encryptionKey?.id ??
      pipeline?.artifactStores?.[home.region]?.encryptionKey?.id ??
      home.kmsKeyArn;
    return { bucket: home.bucket, ...(key === undefined ? {} : { kmsKeyArn: key }) };
  }
  const store = pipeline?.artifactStores?.[region];
  if (store === undefined) {
    return configurationError(
      `the action runs in ${region}, but the pipeline has no artifact store there; add artifactStores.${region} (an S3 bucket in ${region}, and its KMS key) as CodePipeline requires for cross-region actions`,
    );
  }
  const key = store.encryptionKey?.id;
  return { bucket: store.location, ...(key === undefined ? {} : { kmsKeyArn: key }) };
}

/**
 * The run with its input artifacts copied into `site` (same keys; encrypted with the site's
 * key), for an action whose service reads them in another region. Inputs already there are
 * left as they are; a copy is idempotent, so a duplicate delivery copies the same objects again.
 *
 * @example
 * ```ts
 * const regional = await copyInputsTo(run, s3InRegion, { bucket: 'acme-artifacts-us-east-1' });
 * regional.inputs[0]?.artifact.uri; // 's3://acme-artifacts-us-east-1/artifacts/sha256/….zip'
 * ```
 */
export async function copyInputsTo(run: ActionRun, s3: S3Client, site: ArtifactSite): Promise<ActionRun> {
  const inputs = [];
  for (const input of run.inputs) {
    const { bucket, key } = s3Location(input.artifact.uri, `input artifact ${input.name}`);
    if (bucket === site.bucket) {
      inputs.push(input);
      continue;
    }
    await s3
      .send(
        new CopyObjectCommand({
          Bucket: site.bucket,
          Key: key,
          CopySource: `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
          ...(site.kmsKeyArn === undefined
            ? {}
            : { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: site.kmsKeyArn }),
        }),
        { abortSignal: run.signal },
      )
      .catch((error: unknown) => {
        throw awsFailure(error, `copying input artifact ${input.name} to s3://${site.bucket}/${key}`);
      });
    inputs.push({ ...input, artifact: { ...input.artifact, uri: `s3://${site.bucket}/${key}` } });
  }
  return { ...run, inputs };
}
