import {
  AuthorizationErrorException,
  NotFoundException,
  PublishCommand,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import type { EmailNotification } from '@pipewright/core';
import { describe, expect, it } from 'vitest';
import { AwsAdapterError } from './errors.ts';
import { MAX_SNS_SUBJECT_CHARS, SnsNotifier, snsSubject } from './sns-notifier.ts';
import { mockedClient, UNREACHABLE } from './testing/mocked-client.ts';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:pipewright-web';
const client = new SNSClient(UNREACHABLE);
const sns = mockedClient(client);

function email(overrides: Partial<EmailNotification> = {}): EmailNotification {
  return {
    channel: 'email',
    id: '7f0c::pipeline:FAILED:0:email',
    event: 'execution.failed',
    pipeline: 'web',
    executionId: '7f0c',
    target: 0,
    to: ['ops@example.com'],
    subject: '[Pipewright] web: execution failed',
    text: 'Execution 7f0c of web failed.\nin stage Build: npm test exited with 1\n',
    ...overrides,
  };
}

function notifier(topics: Record<string, string> = { web: TOPIC }): SnsNotifier {
  return new SnsNotifier({ client, topicArnFor: (pipeline) => topics[pipeline] });
}

async function failure(promise: Promise<unknown>): Promise<AwsAdapterError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AwsAdapterError);
  return error as AwsAdapterError;
}

// The port's behaviour (delivery, other channels ignored, refusal, duplicates once) is
// test/contracts/notifier.contract.ts; here are the exact Publish requests and the adapter's errors.
describe('SnsNotifier', () => {
  it('publishes an email message to its pipeline topic: subject, text and the target its subscriptions filter on', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await notifier().send(email());
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input)).toEqual([
      {
        TopicArn: TOPIC,
        Subject: '[Pipewright] web: execution failed',
        Message: 'Execution 7f0c of web failed.\nin stage Build: npm test exited with 1\n',
        MessageAttributes: { target: { DataType: 'String', StringValue: String(email().target) } },
      },
    ]);
  });

  it('sends again after a failed publish (it was not delivered)', async () => {
    sns
      .on(PublishCommand)
      .rejectsOnce(new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }))
      .resolves({ MessageId: 'm-2' });
    const n = notifier();
    const error = await failure(n.send(email()));
    expect(error.code).toBe('PW6302');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('try again later');
    await n.send(email());
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  it('fails clearly when the pipeline has no topic', async () => {
    const error = await failure(notifier({}).send(email()));
    expect(error.code).toBe('PW6301');
    expect(error.message).toContain('pipeline web has email notification targets but no SNS topic');
    expect(sns.calls()).toHaveLength(0);
  });

  it('says what to do when SNS refuses', async () => {
    sns
      .on(PublishCommand)
      .rejectsOnce(
        new NotFoundException({ message: 'Topic does not exist', $metadata: { httpStatusCode: 404 } }),
      )
      .rejectsOnce(
        new AuthorizationErrorException({ message: 'not authorized', $metadata: { httpStatusCode: 403 } }),
      );
    const missing = await failure(notifier().send(email()));
    expect(missing.message).toContain(`topic ${TOPIC} does not exist`);
    expect(missing.retryable).toBe(false);
    const denied = await failure(notifier().send(email()));
    expect(denied.message).toContain(`grant sns:Publish on ${TOPIC}`);
  });

  it('makes the subject acceptable to SNS and keeps the message within 256 KiB', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const long = `[Pipewright] ${'déploiement—“prod” '.repeat(10)}\nfailed`;
    const big = 'é'.repeat(200_000);
    await notifier().send(email({ subject: long, text: big }));
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.Subject).toMatch(/^\[Pipewright\] deploiement-"prod" deploiement/);
    expect(input?.Subject).toMatch(/^[\x20-\x7e]{1,100}$/);
    expect(input?.Subject?.endsWith('...')).toBe(true);
    expect(Buffer.byteLength(input?.Message ?? '')).toBeLessThanOrEqual(256 * 1024);
    expect(input?.Message?.endsWith('é\n[message truncated]')).toBe(true);
  });

  it('gives a FIFO topic a group and the notification id as deduplication id', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    await notifier({ web: `${TOPIC}.fifo` }).send(email());
    await notifier({ web: `${TOPIC}.fifo` }).send(email({ id: 'ü'.repeat(10) }));
    const [first, second] = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(first).toMatchObject({
      MessageGroupId: 'web',
      MessageDeduplicationId: '7f0c::pipeline:FAILED:0:email',
    });
    expect(second?.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('snsSubject', () => {
  it.each([
    ['[Pipewright] web: execution failed', '[Pipewright] web: execution failed'],
    ['  line one\r\nline\ttwo  ', 'line one line two'],
    ['naïve café — “quoted” ‘x’…', 'naive cafe - "quoted" \'x\'...'],
    ['emoji 🚀 and 漢字', 'emoji ? and ??'],
    ['\n\t ', 'Pipewright notification'],
  ])('%j → %j', (input, expected) => {
    expect(snsSubject(input)).toBe(expected);
  });

  it('cuts at 100 characters', () => {
    const subject = snsSubject('x'.repeat(150));
    expect(subject).toHaveLength(MAX_SNS_SUBJECT_CHARS);
    expect(subject.endsWith('...')).toBe(true);
    expect(snsSubject('y'.repeat(100))).toBe('y'.repeat(100));
  });
});
