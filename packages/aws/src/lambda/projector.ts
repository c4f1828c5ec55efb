/**
 * Lambda entry: the projector (the event table's DynamoDB stream → CodePipeline state-change
 * events on the bus, SNS notifications with signed approval links, stopping builds of abandoned
 * actions). Bundles the DynamoDB, EventBridge, SNS, Secrets Manager and CodeBuild clients.
 *
 * @example
 * ```ts
 * // infra: the table's stream → an event source mapping on this function
 * ```
 */
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { EventRecord } from '@pipewright/core';
import { signApprovalLink } from '@pipewright/engine';
import { type ApprovalTopicPublication, topicRegion } from '../approval-topic.ts';
import { DynamoEventStore } from '../dynamo-event-store.ts';
import { DynamoOnce } from '../dynamo-once.ts';
import { AwsAdapterError } from '../errors.ts';
import { EventBridgePublisher } from '../eventbridge-publisher.ts';
import { stopAbandonedBuilds } from '../providers/stop-action-builds.ts';
import { isRetryableSdkError, sdkErrorSummary } from '../sdk-error.ts';
import { SnsNotifier } from '../sns-notifier.ts';
import { recordedDefinitions } from './deployed-pipelines.ts';
import { deploymentSecrets } from './deployment-secrets.ts';
import { functionLogger, lambdaEntry, once } from './lambda-entry.ts';
import { lambdaEnvironment, topicArnOf } from './lambda-environment.ts';
import { projectorHandler } from './projector-handler.ts';

const logger = functionLogger('projector');

const parts = once(async () => {
  const env = lambdaEnvironment(process.env);
  const dynamodb = new DynamoDBClient({});
  const store = new DynamoEventStore({ client: dynamodb, tableName: env.tableName });
  const { approvalKey: key } = await deploymentSecrets(new SecretsManagerClient({}), env);
  const publisher = new EventBridgePublisher({ client: new EventBridgeClient({}), busName: env.busName });
  const notifier = new SnsNotifier({ client: new SNSClient({}), topicArnFor: (p) => topicArnOf(env, p) });
  const codebuild = new CodeBuildClient({});
  const snsByRegion = new Map<string, SNSClient>();
  const snsIn = (region: string) => {
    const client = snsByRegion.get(region) ?? new SNSClient({ region });
    snsByRegion.set(region, client);
    return client;
  };
  return {
    store,
    async stopBuilds(history: readonly EventRecord[], batch: readonly EventRecord[]) {
      const stopped = await stopAbandonedBuilds(codebuild, history, batch, env.runnerProject, (message) =>
        logger.warn(message),
      );
      if (stopped.length > 0)
        logger.info('stopped builds of actions that no longer wait for them', { stopped });
    },
    definition: recordedDefinitions(store),
    publish: (changes: Parameters<EventBridgePublisher['publish']>[0]) => publisher.publish(changes),
    async notify(message: Parameters<SnsNotifier['send']>[0]) {
      if (message.channel === 'email') await notifier.send(message);
      else
        logger.warn('webhook notifications are sent by pipewright serve only; skipped', { id: message.id });
    },
    once: new DynamoOnce({ client: dynamodb, tableName: env.tableName }),
    publicUrl: env.publicUrl,
    async publishApproval(p: ApprovalTopicPublication) {
      const sns = snsIn(topicRegion(p.topicArn) ?? env.region);
      await sns
        .send(new PublishCommand({ TopicArn: p.topicArn, Subject: p.subject, Message: p.message }))
        .catch((e: unknown) => {
          throw new AwsAdapterError(
            'PW6302',
            `publishing the approval to ${p.topicArn} failed: ${sdkErrorSummary(e)}; the topic's policy must allow sns:Publish by the projector's role`,
            {
              retryable: isRetryableSdkError(e),
              cause: e,
            },
          );
        });
    },
    approvalLink: (approvalId: string, expiresAt: string) =>
      signApprovalLink({ baseUrl: env.publicUrl, approvalId, expiresAt }, key),
    region: env.region,
    account: env.account,
    onDropped: (stream: string, error: Error) =>
      logger.error('state-change events or notifications of an execution were dropped', {
        stream,
        error: error.message,
      }),
  };
});

/** The projector's handler (Lambda calls it; tests call the factories in `*-handler.ts`). @example `await handler(event, context)` */
export const handler = lambdaEntry(logger, projectorHandler(parts));
