/**
 * Where a CloudFormation action's clients come from: the function's own, or the action's (its
 * `roleArn` assumed, its `region`), picked once per call of the action.
 *
 * @example
 * ```ts
 * const { cloudformation, s3 } = await clientsFor(options, run);
 * ```
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ActionRun } from '@pipewright/engine';
import { type ClientSource, clientOf } from './client-source.ts';

/**
 * Options of `awsCloudFormationDeployProvider`.
 *
 * @example
 * ```ts
 * const options: CloudFormationDeployOptions = { cloudformation, s3, artifactBucket: 'pipewright-prod-artifacts' };
 * ```
 */
export interface CloudFormationDeployOptions {
  /** A client, or the action's own (its `roleArn` assumed, its `region`): see `client-source.ts`. */
  cloudformation: ClientSource<CloudFormationClient>;
  /** Uploads templates too large to pass inline. */
  s3: ClientSource<S3Client>;
  artifactBucket: string;
}

/** {@link CloudFormationDeployOptions} with the action's clients picked. @example `{ cloudformation, s3, artifactBucket }` */
export interface DeploymentClients {
  cloudformation: CloudFormationClient;
  s3: S3Client;
  artifactBucket: string;
}

/**
 * The clients of one call of the action.
 *
 * @example
 * ```ts
 * await clientsFor(options, run);
 * ```
 */
export async function clientsFor(
  options: CloudFormationDeployOptions,
  run: ActionRun,
): Promise<DeploymentClients> {
  return {
    cloudformation: await clientOf(options.cloudformation, run),
    s3: await clientOf(options.s3, run),
    artifactBucket: options.artifactBucket,
  };
}
