/**
 * Lambda entry: the action runner (invoked by every action Task of the state machines).
 * Bundles the DynamoDB, Step Functions, S3, CodeBuild, Lambda, CloudFormation, ECR and STS
 * clients; ECS, CodeDeploy and Elastic Beanstalk load lazily from their own chunks.
 *
 * @example
 * ```ts
 * // infra: new sst.aws.Function('ActionRunner', { handler: 'packages/aws/src/lambda/action-runner.handler' })
 * ```
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { ECRClient } from '@aws-sdk/client-ecr';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { STSClient } from '@aws-sdk/client-sts';
import { ActionClients } from '../providers/action-clients.ts';
import { artifactSite } from '../providers/artifact-site.ts';
import { awsProviders } from '../providers/aws-providers.ts';
import { S3ActionLogStore } from '../s3-action-log-store.ts';
import { S3ArtifactStore } from '../s3-artifact-store.ts';
import { openDeployedRuntime } from './deployed-runtime.ts';
import { functionLogger, lambdaEntry, once } from './lambda-entry.ts';
import { actionRunnerHandler } from './task-handlers.ts';

const logger = functionLogger('action-runner');

const parts = once(async () => {
  const { env, runtime } = await openDeployedRuntime(logger);
  const s3 = new S3Client({});
  const artifacts = new S3ArtifactStore({
    client: s3,
    bucket: env.artifactBucket,
    ...(env.kmsKeyArn === undefined ? {} : { kmsKeyId: env.kmsKeyArn }),
  });
  // Actions naming a roleArn or region get their own clients (STS AssumeRole), deploys too.
  const clients = new ActionClients({ sts: new STSClient({}), region: env.region });
  const engine = runtime.engine({
    artifacts,
    logs: new S3ActionLogStore({ client: s3, bucket: env.artifactBucket }),
    providers: awsProviders({
      codebuild: new CodeBuildClient({}),
      lambda: new LambdaClient({}),
      cloudformation: new CloudFormationClient({}),
      // Loaded from their own chunks when an action first needs them (bundle size).
      ecs: async (scope) => clients.client((await import('@aws-sdk/client-ecs')).ECSClient, scope),
      codedeploy: async (scope) =>
        clients.client((await import('@aws-sdk/client-codedeploy')).CodeDeployClient, scope),
      beanstalk: async (scope) =>
        clients.client((await import('@aws-sdk/client-elastic-beanstalk')).ElasticBeanstalkClient, scope),
      sfn: (scope) => clients.client(SFNClient, scope),
      s3,
      ecr: new ECRClient({}),
      runnerProject: env.runnerProject,
      artifactBucket: env.artifactBucket,
      artifacts,
      accountId: env.account,
      ...(env.kmsKeyArn === undefined ? {} : { kmsKeyArn: env.kmsKeyArn }),
      clients,
      site: (run) =>
        artifactSite(runtime.pipelines.get(run.pipeline), run.action.region, {
          region: env.region,
          bucket: env.artifactBucket,
          ...(env.kmsKeyArn === undefined ? {} : { kmsKeyArn: env.kmsKeyArn }),
        }),
    }),
  });
  return { engine, runErrors: () => runtime.takeRunErrors() };
});

/** The action runner's handler (Lambda calls it; tests call the factories in `*-handler.ts`). @example `await handler(event, context)` */
export const handler = lambdaEntry(logger, actionRunnerHandler(parts));
