/**
 * What S3 actions name: the objects Deploy/S3 actions write (with their canned ACL and KMS
 * key) and the objects S3 sources read. Bucket ARNs carry no region and no account.
 */
import { arnOf, type DeploymentSite } from './deployment-names.ts';
import { type ProviderGrants, pattern, type Subject } from './provider-grants.ts';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Adds the objects a Deploy/S3 action writes (and their canned ACL and KMS key) to `g`; a
 * `BucketName` that is no bucket name (a local directory) grants nothing and is reported.
 *
 * @example
 * ```ts
 * addDeployS3(g, names, { pipeline: 'p', where: 'p: stage "Deploy" action "Site"', action });
 * [...g.deployObjects]; // ['arn:aws:s3:::my-site/*']
 * ```
 */
export function addDeployS3(g: ProviderGrants, names: DeploymentSite, s: Subject): void {
  const config = s.action.configuration;
  const bucket = pattern(g, s, 'BucketName', config.BucketName);
  if (bucket === undefined) return;
  if (!BUCKET_NAME.test(bucket.replace(/\*/g, 'x'))) {
    g.warnings.push(
      `${s.where}: BucketName "${config.BucketName}" is not an S3 bucket name (a local directory?); it deploys only locally — in AWS name a bucket`,
    );
    return;
  }
  const extract = /^true$/i.test(config.Extract ?? '');
  const key = pattern(g, s, 'ObjectKey', config.ObjectKey);
  const objects = extract
    ? `${bucket}/${key === undefined ? '' : `${key.replace(/\/+$/, '')}/`}*`
    : `${bucket}/${key ?? '*'}`;
  const arn = arnOf(names, 's3', objects, { region: '', account: '' });
  g.deployObjects.add(arn);
  if (config.CannedACL !== undefined && config.CannedACL !== '') g.deployAclObjects.add(arn);
  const kmsKey = pattern(g, s, 'KMSEncryptionKeyARN', config.KMSEncryptionKeyARN);
  if (kmsKey !== undefined) g.deployKeys.add(kmsKey);
}

/**
 * Adds the object an S3 source reads to `g`.
 *
 * @example
 * ```ts
 * addS3Source(g, names, { pipeline: 'p', where: 'p: stage "Source" action "Bundle"', action });
 * [...g.sourceObjects]; // ['arn:aws:s3:::releases/app.zip']
 * ```
 */
export function addS3Source(g: ProviderGrants, names: DeploymentSite, s: Subject): void {
  const bucket = pattern(g, s, 'S3Bucket', s.action.configuration.S3Bucket);
  const key = pattern(g, s, 'S3ObjectKey', s.action.configuration.S3ObjectKey);
  if (bucket === undefined || key === undefined) return;
  g.sourceObjects.add(arnOf(names, 's3', `${bucket}/${key}`, { region: '', account: '' }));
}
