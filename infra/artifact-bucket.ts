/**
 * The artifact bucket of the deployment: owner-enforced, no public access, encrypted with the
 * artifact key (bucket keys on), with the plan's bucket policy.
 */
import type * as aws from '@pulumi/aws';
import type { Platform } from './platform.ts';
import type { Plan } from './shared-resources.ts';

/**
 * Declares the artifact bucket of `plan`.
 *
 * @example
 * ```ts
 * const { bucket, bucketEncryption } = artifactBucket(platform, plan, { retain: true });
 * ```
 */
export function artifactBucket(
  platform: Platform,
  plan: Plan,
  options: { retain: boolean },
): { bucket: aws.s3.Bucket; bucketEncryption: aws.s3.BucketServerSideEncryptionConfiguration } {
  const { aws } = platform;
  const bucket = new aws.s3.Bucket(
    'ArtifactBucket',
    { bucket: plan.bucket.name, forceDestroy: !options.retain },
    { retainOnDelete: options.retain },
  );
  new aws.s3.BucketOwnershipControls('ArtifactBucketOwnership', {
    bucket: bucket.id,
    rule: { objectOwnership: 'BucketOwnerEnforced' },
  });
  const publicAccess = new aws.s3.BucketPublicAccessBlock('ArtifactBucketPublicAccess', {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  const bucketEncryption = new aws.s3.BucketServerSideEncryptionConfiguration('ArtifactBucketEncryption', {
    bucket: bucket.id,
    rules: [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: plan.key.arn },
        bucketKeyEnabled: true,
      },
    ],
  });
  new aws.s3.BucketPolicy(
    'ArtifactBucketPolicy',
    { bucket: bucket.id, policy: JSON.stringify(plan.bucket.policy) },
    { dependsOn: [publicAccess] },
  );
  return { bucket, bucketEncryption };
}
