/**
 * The AWS providers `pipewright run` and `serve` use when `pipewright.local.yaml` opts in
 * (`aws: { profile, region }`): AWS-only actions run from this machine against the real
 * account, with the SDK's default credential chain (or the named profile) and region. Their
 * artifacts stay in the local artifact store: the sources write what they fetch through it,
 * and deploys read their inputs from the extracted directories. Actions wait in the process
 * (a laptop has no EventBridge callback), polling with the documented timeouts.
 *
 * @example
 * ```ts
 * const providers = localAwsProviders({ profile: 'dev', region: 'eu-west-1' });
 * await openLocalRuntime({ providers: [...providers, ...createLocalProviders()] });
 * ```
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ECRClient } from '@aws-sdk/client-ecr';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { ActionProvider } from '@pipewright/engine';
import { ActionClients } from './action-clients.ts';
import { awsCloudFormationDeployProvider } from './cloudformation-deploy.ts';
import { awsEcrSourceProvider } from './ecr-source.ts';
import { awsS3SourceProvider } from './s3-source.ts';

/**
 * Where the local AWS providers reach AWS.
 *
 * @example
 * ```ts
 * const options: LocalAwsOptions = { profile: 'dev', region: 'eu-west-1' };
 * ```
 */
export interface LocalAwsOptions {
  /** A profile of `~/.aws/config`; absent: the default credential chain. */
  profile?: string;
  /** Absent: the profile's region or `AWS_REGION`. */
  region?: string;
  /** Bucket for CloudFormation templates too large to send inline (optional). */
  artifactBucket?: string;
  /** Client options for tests (an endpoint, credentials). */
  clientConfig?: Record<string, unknown>;
}

/** CloudFormation's documented action timeout: 3 days, waited in the process. */
const CLOUDFORMATION_MAX_WAIT_SECONDS = 3 * 24 * 60 * 60;

/**
 * The providers of AWS-only actions that run from this machine.
 *
 * @example
 * ```ts
 * localAwsProviders({ region: 'eu-west-1' }).map((p) => p.provider); // ['S3', 'ECR', 'CloudFormation']
 * ```
 */
export function localAwsProviders(options: LocalAwsOptions): ActionProvider[] {
  const config = {
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.region === undefined ? {} : { region: options.region }),
    ...options.clientConfig,
  };
  const s3 = new S3Client(config);
  // An action's roleArn and region apply from a laptop as in AWS (profile credentials assume the role).
  const clients = new ActionClients({
    sts: new STSClient(config),
    ...(options.region === undefined ? {} : { region: options.region }),
    clientConfig: {
      ...(options.profile === undefined ? {} : { profile: options.profile }),
      ...options.clientConfig,
    },
  });
  return [
    awsS3SourceProvider({ s3: (run) => clients.client(S3Client, run) }),
    awsEcrSourceProvider({ ecr: (run) => clients.client(ECRClient, run) }),
    awsCloudFormationDeployProvider({
      cloudformation: new CloudFormationClient(config),
      s3,
      artifactBucket: options.artifactBucket ?? '',
      wait: { maxWaitSeconds: CLOUDFORMATION_MAX_WAIT_SECONDS },
    }),
  ];
}
