/**
 * The Notifier contract on `SnsNotifier`, against SNS as AWS documents Publish (no SNS emulator
 * runs here: aws-sdk-client-mock answers the client). The topic keeps what it was given; a
 * refused Publish answers `AuthorizationErrorException`, as SNS does for a caller without
 * sns:Publish. Email subscribers receive `Subject` and `Message` as published.
 */
import {
  AuthorizationErrorException,
  NotFoundException,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { SnsNotifier } from '@pipewright/aws';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterAll } from 'vitest';
import { UNREACHABLE } from '../../packages/aws/src/testing/mocked-client.ts';
import { type DeliveredEmail, runNotifierContract } from './notifier.contract.ts';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:pipewright-test-web';
const meta = { $metadata: { httpStatusCode: 403 } };
const stubs: AwsClientStub<SNSClient>[] = [];
afterAll(() => {
  for (const stub of stubs) stub.restore();
});

runNotifierContract('SNS (SnsNotifier, documented API mocked)', async () => {
  const client = new SNSClient(UNREACHABLE);
  const sns = mockClient(client);
  stubs.push(sns);
  const topic: DeliveredEmail[] = [];
  let refuse = false;
  let published = 0;
  sns.on(PublishCommand).callsFake(({ TopicArn, Subject = '', Message }) => {
    if (TopicArn !== TOPIC) throw new NotFoundException({ message: 'Topic does not exist', ...meta });
    if (refuse) {
      refuse = false;
      throw new AuthorizationErrorException({ message: 'not authorized to perform SNS:Publish', ...meta });
    }
    topic.push({ subject: Subject, text: String(Message) });
    published += 1;
    return { MessageId: `m-${published}` };
  });
  return {
    notifier: new SnsNotifier({
      client,
      topicArnFor: (pipeline) => (pipeline === 'web' ? TOPIC : undefined),
    }),
    delivered: async () => [...topic],
    refuseNext: () => {
      refuse = true;
    },
  };
});
