/**
 * The providers the Lambda action runner uses: git sources, Commands and CodeBuild as builds on
 * the shared runner project (completed later by their CodeBuild events), Manual approval (the
 * local provider: it only waits), Invoke/Lambda, Deploy/S3 and Deploy/CloudFormation. Every
 * other provider Pipewright knows of fails with a configuration error that says it is not
 * supported in AWS yet.
 *
 * @example
 * ```ts
 * const providers = awsProviders({ codebuild, lambda, cloudformation, s3,
 *   runnerProject: 'pipewright-prod-runner', artifactBucket: 'pipewright-prod-artifacts' });
 * ```
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CodeBuildClient } from '@aws-sdk/client-codebuild';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { ActionCategory } from '@pipewright/core';
import type { ActionProvider } from '@pipewright/engine';
import { AWS_ONLY_PROVIDERS, failed, manualApprovalProvider } from '@pipewright/providers';
import { AwsAdapterError } from '../errors.ts';
import { awsCloudFormationDeployProvider } from './cloudformation-deploy.ts';
import { awsCodeBuildProvider } from './codebuild.ts';
import type { ArtifactAdopter } from './codebuild-completion.ts';
import { awsCodeDeployProvider } from './codedeploy-deploy.ts';
import { awsCodeDeployToEcsProvider } from './codedeploy-to-ecs.ts';
import { awsCommandsProvider } from './commands.ts';
import { awsEcsDeployProvider } from './ecs-deploy.ts';
import { awsElasticBeanstalkDeployProvider } from './elastic-beanstalk-deploy.ts';
import { awsSourceProvider } from './git-source.ts';
import { awsLambdaInvokeProvider } from './lambda-invoke.ts';
import type { ClientSource } from './lazy-client.ts';
import { awsS3DeployProvider } from './s3-deploy.ts';
import { awsStepFunctionsInvokeProvider } from './step-functions-invoke.ts';

/**
 * Options of {@link awsProviders}.
 *
 * @example
 * ```ts
 * const options: AwsProvidersOptions = { codebuild, lambda, cloudformation, s3,
 *   runnerProject: 'pipewright-prod-runner', artifactBucket: 'pipewright-prod-artifacts', artifacts: store };
 * ```
 */
export interface AwsProvidersOptions {
  codebuild: CodeBuildClient;
  lambda: LambdaClient;
  cloudformation: CloudFormationClient;
  s3: S3Client;
  /** Deploy/ECS actions' client (absent: those actions fail as not supported). */
  ecs?: ClientSource<ECSClient>;
  /** Deploy/CodeDeploy and Deploy/CodeDeployToECS actions' client (absent: not supported). */
  codedeploy?: ClientSource<CodeDeployClient>;
  /** Deploy/ElasticBeanstalk actions' client (absent: not supported). */
  beanstalk?: ClientSource<ElasticBeanstalkClient>;
  /** Invoke/StepFunctions actions' client (absent: those actions fail as not supported). */
  sfn?: SFNClient;
  /** The shared CodeBuild project Source, Commands and CodeBuild actions run on. */
  runnerProject: string;
  /** The artifact bucket builds and functions write output artifacts to. */
  artifactBucket: string;
  /** The artifact bucket's KMS key. */
  kmsKeyArn?: string;
  /** The S3 artifact store: adopts the output artifacts Invoke/Lambda functions write. */
  artifacts?: ArtifactAdopter;
  /** The account shown to Lambda functions as the job's `accountId`. */
  accountId?: string;
}

/**
 * The AWS provider set.
 *
 * @throws {AwsAdapterError} `PW6403` when `runnerProject` or `artifactBucket` is empty.
 * @example
 * ```ts
 * awsProviders(options).map((p) => p.provider); // ['Git', 'CodeCommit', …, 'CloudFormation', …]
 * ```
 */
export function awsProviders(options: AwsProvidersOptions): ActionProvider[] {
  for (const key of ['runnerProject', 'artifactBucket'] as const) {
    if (typeof options[key] !== 'string' || options[key].trim() === '') {
      throw new AwsAdapterError(
        'PW6403',
        `awsProviders needs ${key}; pass the name Pipewright's infrastructure gave it (see the function's environment)`,
      );
    }
  }
  const runner = {
    codebuild: options.codebuild,
    runnerProject: options.runnerProject,
    artifactBucket: options.artifactBucket,
    ...(options.kmsKeyArn === undefined ? {} : { kmsKeyArn: options.kmsKeyArn }),
  };
  const supported: ActionProvider[] = [
    awsSourceProvider('Git', runner),
    awsSourceProvider('CodeCommit', runner),
    awsSourceProvider('CodeStarSourceConnection', runner),
    awsSourceProvider('GitHub', runner),
    awsCommandsProvider(runner),
    awsCodeBuildProvider(runner),
    manualApprovalProvider(),
    awsLambdaInvokeProvider({
      lambda: options.lambda,
      artifactBucket: options.artifactBucket,
      ...(options.artifacts === undefined ? {} : { artifacts: options.artifacts }),
      ...(options.kmsKeyArn === undefined ? {} : { kmsKeyArn: options.kmsKeyArn }),
      ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
    }),
    awsS3DeployProvider({ s3: options.s3 }),
    awsCloudFormationDeployProvider({
      cloudformation: options.cloudformation,
      s3: options.s3,
      artifactBucket: options.artifactBucket,
    }),
    ...(options.ecs === undefined ? [] : [awsEcsDeployProvider({ ecs: options.ecs })]),
    ...(options.sfn === undefined ? [] : [awsStepFunctionsInvokeProvider({ sfn: options.sfn })]),
    ...(options.codedeploy === undefined ? [] : [awsCodeDeployProvider({ codedeploy: options.codedeploy })]),
    ...(options.beanstalk === undefined
      ? []
      : [awsElasticBeanstalkDeployProvider({ beanstalk: options.beanstalk })]),
    ...(options.codedeploy === undefined || options.ecs === undefined
      ? []
      : [awsCodeDeployToEcsProvider({ codedeploy: options.codedeploy, ecs: options.ecs })]),
  ];
  const unsupported = AWS_ONLY_PROVIDERS.filter(
    (p) => !supported.some((s) => s.provider === p.provider && s.categories.includes(p.category)),
  ).map((p) => unsupportedProvider(p.category, p.provider));
  return [...supported, ...unsupported];
}

function unsupportedProvider(category: ActionCategory, provider: string): ActionProvider {
  return {
    categories: [category],
    provider,
    async run(run) {
      return failed(
        'ConfigurationError',
        `${category}/${provider} action "${run.action.name}" is not supported by Pipewright in AWS yet; ` +
          'replace it with a Build/Commands action that runs the same tool, or an Invoke/Lambda action',
      );
    },
  };
}
