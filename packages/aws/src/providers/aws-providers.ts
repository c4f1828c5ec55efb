/**
 * The providers the Lambda action runner uses: git sources and Commands as builds on the shared
 * runner project, CodeBuild as builds of the action's own project (all completed later by their
 * CodeBuild events), S3 and ECR sources, Manual approval (the
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
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECRClient } from '@aws-sdk/client-ecr';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { ActionCategory } from '@pipewright/core';
import type { ActionProvider, ActionRun } from '@pipewright/engine';
import { AWS_ONLY_PROVIDERS, failed, manualApprovalProvider } from '@pipewright/providers';
import { AwsAdapterError } from '../errors.ts';
import type { ActionClients } from './action-clients.ts';
import { type ArtifactSite, copyInputsTo } from './artifact-site.ts';
import type { ClientSource } from './client-source.ts';
import { awsCloudFormationDeployProvider } from './cloudformation-deploy.ts';
import { awsCodeBuildProvider, type CodeBuildProjectOptions } from './codebuild.ts';
import type { ArtifactAdopter } from './codebuild-completion.ts';
import { awsCodeDeployProvider } from './codedeploy-deploy.ts';
import { awsCodeDeployToEcsProvider } from './codedeploy-to-ecs.ts';
import { awsCommandsProvider } from './commands.ts';
import { awsEcrSourceProvider } from './ecr-source.ts';
import { awsEcsDeployProvider } from './ecs-deploy.ts';
import { awsElasticBeanstalkDeployProvider } from './elastic-beanstalk-deploy.ts';
import { awsSourceProvider } from './git-source.ts';
import { awsLambdaInvokeProvider } from './lambda-invoke.ts';
import { awsS3DeployProvider } from './s3-deploy.ts';
import { awsS3SourceProvider } from './s3-source.ts';
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
  /** ECR (Source/ECR). */
  ecr: ECRClient;
  /** Deploy/ECS actions' client (absent: those actions fail as not supported). */
  ecs?: ClientSource<ECSClient>;
  /** Deploy/CodeDeploy and Deploy/CodeDeployToECS actions' client (absent: not supported). */
  codedeploy?: ClientSource<CodeDeployClient>;
  /** Deploy/ElasticBeanstalk actions' client (absent: not supported). */
  beanstalk?: ClientSource<ElasticBeanstalkClient>;
  /** Invoke/StepFunctions actions' client (absent: those actions fail as not supported). */
  sfn?: ClientSource<SFNClient>;
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
  /**
   * Cross-account and cross-region: the clients of actions naming a `roleArn` or `region`
   * (CodeBuild, ECR and S3 sources, Invoke/Lambda, Deploy/S3). Without it every action uses the
   * clients above. The deploy clients (`ecs`, `codedeploy`, `beanstalk`, `sfn`) are per action
   * themselves: pass functions of the action that ask these clients.
   */
  clients?: ActionClients;
  /** The artifact site of an action (`artifactSite`): its region's bucket and the pipeline's key. */
  site?: (run: ActionRun) => ArtifactSite;
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
  const clients = options.clients;
  const supported: ActionProvider[] = [
    awsSourceProvider('Git', runner),
    awsSourceProvider('CodeCommit', runner),
    awsSourceProvider('CodeStarSourceConnection', runner),
    awsSourceProvider('GitHub', runner),
    awsCommandsProvider(runner),
    awsCodeBuildProvider(codeBuildOptions(options)),
    awsS3SourceProvider({ s3: clients === undefined ? options.s3 : (run) => clients.client(S3Client, run) }),
    awsEcrSourceProvider({
      ecr: clients === undefined ? options.ecr : (run) => clients.client(ECRClient, run),
    }),
    manualApprovalProvider(),
    awsLambdaInvokeProvider({
      lambda: clients === undefined ? options.lambda : (run) => clients.client(LambdaClient, run),
      artifactBucket: options.artifactBucket,
      ...(options.artifacts === undefined ? {} : { artifacts: options.artifacts }),
      ...(options.kmsKeyArn === undefined ? {} : { kmsKeyArn: options.kmsKeyArn }),
      ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
    }),
    awsS3DeployProvider({ s3: clients === undefined ? options.s3 : (run) => clients.client(S3Client, run) }),
    awsCloudFormationDeployProvider({
      cloudformation:
        clients === undefined ? options.cloudformation : (run) => clients.client(CloudFormationClient, run),
      // Templates go to Pipewright's own bucket: the function's credentials, the action's region.
      s3: clients === undefined ? options.s3 : (run) => clients.client(S3Client, run, { role: false }),
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

/** The CodeBuild provider's options: per-action clients and artifact site when given. */
function codeBuildOptions(options: AwsProvidersOptions): CodeBuildProjectOptions {
  const { clients, site } = options;
  const kmsKeyArn = options.kmsKeyArn;
  if (clients === undefined || site === undefined) {
    return {
      codebuild: options.codebuild,
      artifactBucket: options.artifactBucket,
      ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }),
    };
  }
  return {
    codebuild: (run) => clients.client(CodeBuildClient, run),
    artifactBucket: (run) => site(run).bucket,
    kmsKeyArn: (run) => site(run).kmsKeyArn,
    copyInputs: async (run, target) =>
      copyInputsTo(run, await clients.client(S3Client, run, { role: false }), target),
  };
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
