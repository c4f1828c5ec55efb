/**
 * Lambda entry: the HTTP function (Function URL): API, approval pages and GitHub webhooks —
 * the same Hono app as `pipewright serve`. Bundles the DynamoDB, Step Functions, S3, SSM,
 * Secrets Manager and EventBridge clients. Responses stream (the Function URL's RESPONSE_STREAM
 * mode), so the dashboard's live updates work in AWS too.
 *
 * @example
 * ```ts
 * // infra: new sst.aws.Function('Http', { handler: 'packages/aws/src/lambda/http.handler', url: true })
 * ```
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Hono } from 'hono';
import { handle, streamHandle } from 'hono/aws-lambda';
import { AwsAdapterError } from '../errors.ts';
import { awsStopProviders } from '../providers/stop-providers.ts';
import { S3ActionLogStore } from '../s3-action-log-store.ts';
import { openDeployedRuntime } from './deployed-runtime.ts';
import { loadDeployedUsers } from './deployed-users.ts';
import { deploymentSecrets } from './deployment-secrets.ts';
import { awsWebApp } from './http-app.ts';
import { functionLogger, once } from './lambda-entry.ts';
import { relayedDetail, TRIGGER_DELIVERY_DETAIL_TYPE, WEBHOOK_SOURCE } from './trigger-handler.ts';

const logger = functionLogger('http');

const app = once(async (): Promise<Hono> => {
  const { env, runtime } = await openDeployedRuntime(logger);
  const secrets = await deploymentSecrets(new SecretsManagerClient({}), env);
  const bus = new EventBridgeClient({});
  const users = loadDeployedUsers(env.pipelinesDir, secrets.apiToken);
  const built = awsWebApp({
    ...(users === undefined ? {} : { users }),
    runtime,
    logs: new S3ActionLogStore({ client: new S3Client({}), bucket: env.artifactBucket }),
    // A stop cleans up what abandoned actions started; each client loads when first needed.
    providers: awsStopProviders({
      cloudformation: once(
        async () => new (await import('@aws-sdk/client-cloudformation')).CloudFormationClient({}),
      ),
      codedeploy: once(async () => new (await import('@aws-sdk/client-codedeploy')).CodeDeployClient({})),
      beanstalk: once(
        async () => new (await import('@aws-sdk/client-elastic-beanstalk')).ElasticBeanstalkClient({}),
      ),
      sfn: once(async () => new (await import('@aws-sdk/client-sfn')).SFNClient({})),
    }),
    approvalKey: secrets.approvalKey,
    apiToken: secrets.apiToken,
    ...(secrets.webhookSecret === undefined ? {} : { webhookSecret: secrets.webhookSecret }),
    async relay(pipeline, delivery) {
      const out = await bus.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: env.busName,
              Source: WEBHOOK_SOURCE,
              DetailType: TRIGGER_DELIVERY_DETAIL_TYPE,
              Detail: relayedDetail(pipeline, delivery),
            },
          ],
        }),
      );
      if ((out.FailedEntryCount ?? 0) > 0)
        throw new AwsAdapterError(
          'PW6304',
          `the bus refused the webhook delivery (${out.Entries?.[0]?.ErrorCode ?? 'unknown'}); GitHub redelivers it`,
          { retryable: true },
        );
    },
    onError: (error) => logger.error('request failed', { error: (error as Error).message }),
  });
  return built;
});

// The Function URL streams responses (RESPONSE_STREAM), so the dashboard's Server-Sent Events
// reach the browser as they are written. The app opens on the first request; this shell,
// built at init, hands every request to it.
const shell = new Hono();
shell.all('*', async (c) => {
  let opened: Hono;
  try {
    opened = await app();
  } catch (error) {
    // A cold start that cannot open (environment, secrets) is logged with its code and answered
    // 503 with what to do; the next request tries again.
    const e = error as Error & { code?: string };
    logger.error('the HTTP function could not start', {
      error: e.message,
      ...(e.code ? { code: e.code } : {}),
    });
    return c.json({ error: 'ServiceUnavailable', message: `${e.message}` }, 503);
  }
  return opened.fetch(c.req.raw);
});

/** Lambda's Node.js runtime offers response streaming (`awslambda.streamifyResponse`). */
const streaming =
  typeof (globalThis as { awslambda?: { streamifyResponse?: unknown } }).awslambda?.streamifyResponse ===
  'function';

/** The HTTP function's handler: streaming under Lambda's Node.js runtime, buffered elsewhere. */
export const handler: (...args: never[]) => unknown = streaming ? streamHandle(shell) : handle(shell);
