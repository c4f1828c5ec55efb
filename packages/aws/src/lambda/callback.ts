/**
 * Lambda entry: the callback function ("CodeBuild Build State Change" events from the default
 * bus complete the actions whose builds they report). Bundles the DynamoDB, Step Functions,
 * CodeBuild and S3 clients.
 *
 * @example
 * ```ts
 * // infra: new sst.aws.Function('Callback', { handler: 'packages/aws/src/lambda/callback.handler' })
 * ```
 */
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { S3Client } from '@aws-sdk/client-s3';
import { codeBuildCompletion } from '../providers/codebuild-completion.ts';
import { S3ArtifactStore } from '../s3-artifact-store.ts';
import { callbackHandler } from './callback-handler.ts';
import { openDeployedRuntime } from './deployed-runtime.ts';
import { functionLogger, lambdaEntry, once } from './lambda-entry.ts';
import { stateMachineArnOf } from './lambda-environment.ts';

const logger = functionLogger('callback');

const parts = once(async () => {
  const { env, runtime } = await openDeployedRuntime(logger);
  const codebuild = new CodeBuildClient({});
  const artifacts = new S3ArtifactStore({
    client: new S3Client({ followRegionRedirects: true }),
    bucket: env.artifactBucket,
  });
  const own = new Set(runtime.pipelines.names().map((name) => stateMachineArnOf(env, name)));
  return {
    engine: runtime.engine(),
    completion: (event: unknown) => codeBuildCompletion(event, { codebuild, artifacts }),
    ownsStateMachine: (arn: string) => own.has(arn),
  };
});

/** The callback function's handler (Lambda calls it; tests call the factories in `*-handler.ts`). @example `await handler(event, context)` */
export const handler = lambdaEntry(logger, callbackHandler(parts));
