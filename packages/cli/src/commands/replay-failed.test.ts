/**
 * `pipewright replay-failed`: the command over SQS and Lambda clients mocked at the class level
 * (every client the command makes is mocked; none reaches AWS).
 */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { main } from '../main.ts';

const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);
const streams = mockClient(DynamoDBStreamsClient);
afterEach(() => {
  for (const m of [sqs, lambda, streams]) m.reset();
});
afterAll(() => {
  for (const m of [sqs, lambda, streams]) m.restore();
});

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/pipewright-prod-failed-deliveries';
const payload = (value: unknown) =>
  new TextEncoder().encode(JSON.stringify(value)) as InvokeCommandOutput['Payload'];

async function replay(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd: process.cwd(),
    env: { NO_COLOR: '1', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
  };
  return { code: await main(['replay-failed', ...args], io), stdout: () => stdout, stderr: () => stderr };
}

function holding(...bodies: unknown[]) {
  sqs
    .on(GetQueueUrlCommand, { QueueName: 'pipewright-prod-failed-deliveries' })
    .resolves({ QueueUrl: QUEUE });
  sqs
    .on(ReceiveMessageCommand)
    .resolvesOnce({
      Messages: bodies.map((b, i) => ({
        MessageId: `m-${i + 1}`,
        ReceiptHandle: `r-${i + 1}`,
        Body: JSON.stringify(b),
      })),
    })
    .resolves({ Messages: [] });
  sqs.on(DeleteMessageCommand).resolves({});
}

const failedInvoke = (fn: string, event: unknown) => ({
  requestContext: { functionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${fn}` },
  requestPayload: event,
});

describe('pipewright replay-failed', () => {
  it('redelivers each waiting message to its function, deletes it, and exits 0', async () => {
    // Prepare
    holding(failedInvoke('pipewright-prod-callback', { id: 'build-1' }));
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ completed: 'x' }) });
    // Act
    const run = await replay(['--stage', 'prod']);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout()).toBe('✓ m-1 (invoke) → pipewright-prod-callback\n1 of 1 redelivered\n');
    expect(lambda.commandCalls(InvokeCommand)[0]?.args[0].input.FunctionName).toBe(
      'pipewright-prod-callback',
    );
    expect(sqs.commandCalls(DeleteMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE,
      ReceiptHandle: 'r-1',
    });
  });

  it('exits 1 with the reason when a message fails again, and keeps it', async () => {
    // Prepare
    holding(failedInvoke('pipewright-prod-trigger', {}));
    lambda
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: payload({ errorMessage: 'boom' }) });
    // Act
    const run = await replay(['--stage', 'prod', '--json']);
    // Assess
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout())).toMatchObject({ received: 1, replayed: 0, kept: 1 });
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  it('says so and exits 0 when nothing waits', async () => {
    holding();
    const run = await replay(['--stage', 'prod']);
    expect(run.code).toBe(0);
    expect(run.stdout()).toBe('nothing is waiting in pipewright-prod-failed-deliveries\n');
  });

  it('exits 1 naming the queue when the stage is not deployed there, and 2 without --stage', async () => {
    sqs.on(GetQueueUrlCommand).rejects(new Error('The specified queue does not exist.'));
    const missing = await replay(['--stage', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr()).toMatch(/there is no queue pipewright-nope-failed-deliveries here/);
    expect((await replay([])).code).toBe(2);
    expect((await replay(['--stage', 'prod', '--max', '0'])).code).toBe(2);
  });
});
