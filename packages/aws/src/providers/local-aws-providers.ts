/**
 * The AWS providers `pipewright run` and `serve` use when `pipewright.local.yaml` opts in
 * (`aws: { profile, region }`): AWS-only actions run from this machine against the real
 * account, with the SDK's default credential chain (or the named profile) and region. Their
 * artifacts stay in the local artifact store: the sources write what they fetch through it,
 * and deploys read their inputs from the extracted directories. Deploys and Step Functions
 * executions wait as in AWS: the provider answers "in progress" and the local states runtime's
 * Wait + poll loop asks again, up to CodePipeline's timeouts. An action's `roleArn` and
 * `region` pick its clients (STS `AssumeRole` with the profile's credentials).
 *
 * @example
 * ```ts
 * const providers = localAwsProviders({ profile: 'dev', region: 'eu-west-1' });
 * await openLocalRuntime({ providers: [...providers, ...createLocalProviders()] });
 * ```
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { STSClient } from '@aws-sdk/client-sts';
import type { ActionProvider } from '@pipewright/engine';
import { ActionClients } from './action-clients.ts';
import type { ClientScope } from './client-source.ts';
import { awsCloudFormationDeployProvider } from './cloudformation-deploy.ts';
import { awsCodeDeployProvider } from './codedeploy-deploy.ts';
import { awsCodeDeployToEcsProvider } from './codedeploy-to-ecs.ts';
import { awsEcrSourceProvider } from './ecr-source.ts';
import { awsEcsDeployProvider } from './ecs-deploy.ts';
import { awsElasticBeanstalkDeployProvider } from './elastic-beanstalk-deploy.ts';
import { awsS3SourceProvider } from './s3-source.ts';
import { awsStepFunctionsInvokeProvider } from './step-functions-invoke.ts';

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

/**
 * The providers of AWS-only actions that run from this machine.
 *
 * @example
 * ```ts
 * localAwsProviders({ region: 'eu-west-1' }).map((p) => p.provider);
 * // ['S3', 'ECR', 'CloudFormation', 'ECS', 'CodeDeployToECS', 'CodeDeploy', 'ElasticBeanstalk', 'StepFunctions']
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
  const ecs = (run: ClientScope) => clients.client(ECSClient, run);
  const codedeploy = (run: ClientScope) => clients.client(CodeDeployClient, run);
  return [
    awsS3SourceProvider({ s3: (run) => clients.client(S3Client, run) }),
    awsEcrSourceProvider({ ecr: (run) => clients.client(ECRClient, run) }),
    awsCloudFormationDeployProvider({
      cloudformation: (run) => clients.client(CloudFormationClient, run),
      s3,
      artifactBucket: options.artifactBucket ?? '',
    }),
    awsEcsDeployProvider({ ecs }),
    awsCodeDeployToEcsProvider({ codedeploy, ecs }),
    awsCodeDeployProvider({ codedeploy }),
    awsElasticBeanstalkDeployProvider({ beanstalk: (run) => clients.client(ElasticBeanstalkClient, run) }),
    awsStepFunctionsInvokeProvider({ sfn: (run) => clients.client(SFNClient, run) }),
  ];
}
