import {
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { AwsAdapterError } from './errors.ts';
import { replayFailedDeliveries, stageDeliveries, stageQueueUrl } from './replay-failed-deliveries.ts';
import { mockedClient, UNREACHABLE } from './testing/mocked-client.ts';

const clients = {
  sqs: new SQSClient(UNREACHABLE),
  lambda: new LambdaClient(UNREACHABLE),
  streams: new DynamoDBStreamsClient(UNREACHABLE),
};
const sqs = mockedClient(clients.sqs);
const lambda = mockedClient(clients.lambda);
const streams = mockedClient(clients.streams);

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/pipewright-prod-failed-deliveries';
const FN = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;
const STREAM =
  'arn:aws:dynamodb:eu-west-1:123456789012:table/pipewright-prod-events/stream/2026-01-01T00:00:00.000';
const { functions } = stageDeliveries({ app: 'pipewright', stage: 'prod' });
const encode = (value: unknown) =>
  new TextEncoder().encode(JSON.stringify(value)) as InvokeCommandOutput['Payload'];

/** The queue hands out `messages` once, then is empty. */
function queueHolding(...messages: { id: string; body?: unknown; attributes?: Record<string, string> }[]) {
  sqs
    .on(ReceiveMessageCommand)
    .resolvesOnce({
      Messages: messages.map((m) => ({
        MessageId: m.id,
        ReceiptHandle: `receipt-${m.id}`,
        Body: typeof m.body === 'string' ? m.body : JSON.stringify(m.body),
        ...(m.attributes
          ? {
              MessageAttributes: Object.fromEntries(
                Object.entries(m.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
              ),
            }
          : {}),
      })),
    })
    .resolves({ Messages: [] });
  sqs.on(DeleteMessageCommand).resolves({});
}

const replay = () => replayFailedDeliveries({ ...clients, queueUrl: QUEUE, functions });
const deleted = () => sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle);
const invoked = () =>
  lambda.commandCalls(InvokeCommand).map((c) => ({
    name: c.args[0].input.FunctionName,
    type: c.args[0].input.InvocationType,
    payload: JSON.parse(new TextDecoder().decode(c.args[0].input.Payload as Uint8Array)),
  }));

describe('replayFailedDeliveries', () => {
  it('redelivers a failed asynchronous invocation to its function and deletes it once taken', async () => {
    // Prepare
    const event = {
      kind: 'schedule',
      pipeline: 'web',
      triggerIndex: 0,
      scheduledTime: '2026-01-05T06:00:00Z',
    };
    queueHolding({
      id: 'm-1',
      body: {
        requestContext: {
          functionArn: `${FN('pipewright-prod-trigger')}:$LATEST`,
          condition: 'RetriesExhausted',
        },
        requestPayload: event,
      },
    });
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: encode({ started: true }) });
    // Act
    const report = await replay();
    // Assess
    expect(invoked()).toEqual([{ name: 'pipewright-prod-trigger', type: 'RequestResponse', payload: event }]);
    expect(deleted()).toEqual(['receipt-m-1']);
    expect(report).toEqual({
      received: 1,
      replayed: 1,
      kept: 0,
      outcomes: [
        { messageId: 'm-1', kind: 'invoke', functionName: 'pipewright-prod-trigger', replayed: true },
      ],
    });
  });

  it('keeps a message whose function fails again, with the function’s reason, and goes on with the next', async () => {
    // Prepare
    const record = (id: string) => ({
      requestContext: { functionArn: FN('pipewright-prod-callback') },
      requestPayload: { id },
    });
    queueHolding({ id: 'm-1', body: record('a') }, { id: 'm-2', body: record('b') });
    lambda
      .on(InvokeCommand)
      .resolvesOnce({
        StatusCode: 200,
        FunctionError: 'Unhandled',
        Payload: encode({ errorMessage: 'table throttled' }),
      })
      .resolves({ StatusCode: 200, Payload: encode(null) });
    // Act
    const report = await replay();
    // Assess
    expect(deleted()).toEqual(['receipt-m-2']);
    expect(report.outcomes[0]).toEqual({
      messageId: 'm-1',
      kind: 'invoke',
      functionName: 'pipewright-prod-callback',
      replayed: false,
      reason: 'pipewright-prod-callback failed again: table throttled',
    });
    expect(report.kept).toBe(1);
  });

  it('reads a passed-over stream batch back from the stream and hands its records to the projector', async () => {
    // Prepare
    queueHolding({
      id: 'm-1',
      body: {
        requestContext: { functionArn: FN('pipewright-prod-projector'), condition: 'RetryAttemptsExhausted' },
        DDBStreamBatchInfo: {
          streamArn: STREAM,
          shardId: 'shardId-1',
          startSequenceNumber: '100',
          endSequenceNumber: '200',
          batchSize: 2,
        },
      },
    });
    const item = (seq: string) => ({
      eventID: `e-${seq}`,
      eventName: 'INSERT' as const,
      dynamodb: {
        SequenceNumber: seq,
        ApproximateCreationDateTime: new Date('2026-01-05T06:00:00Z'),
        NewImage: { item: { S: 'event' } },
      },
    });
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-1' });
    streams
      .on(GetRecordsCommand, { ShardIterator: 'it-1' })
      .resolves({ Records: [item('100'), item('200'), item('300')], NextShardIterator: 'it-2' });
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: encode({ batchItemFailures: [] }) });
    // Act
    const report = await replay();
    // Assess
    expect(streams.commandCalls(GetShardIteratorCommand)[0]?.args[0].input).toEqual({
      StreamArn: STREAM,
      ShardId: 'shardId-1',
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: '100',
    });
    const [call] = invoked();
    expect(call?.name).toBe('pipewright-prod-projector');
    expect(
      call?.payload.Records.map((r: { dynamodb: { SequenceNumber: string } }) => r.dynamodb.SequenceNumber),
    ).toEqual(['100', '200']);
    expect(call?.payload.Records[0]).toMatchObject({
      eventSourceARN: STREAM,
      dynamodb: { ApproximateCreationDateTime: 1767592800 },
    });
    expect(report.replayed).toBe(1);
    expect(deleted()).toEqual(['receipt-m-1']);
  });

  it('keeps a stream batch the projector still fails on, and one whose records left the stream', async () => {
    // Prepare
    const batch = (id: string) => ({
      id,
      body: {
        requestContext: { functionArn: FN('pipewright-prod-projector') },
        DDBStreamBatchInfo: {
          streamArn: STREAM,
          shardId: 's',
          startSequenceNumber: '1',
          endSequenceNumber: '1',
        },
      },
    });
    queueHolding(batch('m-1'), batch('m-2'));
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it' });
    streams
      .on(GetRecordsCommand)
      .resolvesOnce({ Records: [{ eventName: 'INSERT', dynamodb: { SequenceNumber: '1' } }] })
      .resolves({ Records: [] });
    lambda
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, Payload: encode({ batchItemFailures: [{ itemIdentifier: '1' }] }) });
    // Act
    const report = await replay();
    // Assess
    expect(report.outcomes.map((o) => o.reason)).toEqual([
      'pipewright-prod-projector failed again on 1 record(s)',
      'its records are no longer in the table stream (kept 24 hours); the events are in the table: the projections they feed can be rebuilt from it',
    ]);
    expect(deleted()).toEqual([]);
  });

  it('redelivers a rule’s or schedule’s dead letter to its target', async () => {
    // Prepare
    const event = {
      source: 'pipewright.webhook',
      'detail-type': 'Pipewright Trigger Delivery',
      detail: { pipeline: 'web' },
    };
    queueHolding({
      id: 'm-1',
      body: event,
      attributes: {
        RULE_ARN:
          'arn:aws:events:eu-west-1:123456789012:rule/pipewright-prod-bus/pipewright-prod-webhook-deliveries',
        TARGET_ARN: FN('pipewright-prod-trigger'),
        ERROR_CODE: 'Throttling',
      },
    });
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: encode({}) });
    // Act
    const report = await replay();
    // Assess
    expect(invoked()).toEqual([{ name: 'pipewright-prod-trigger', type: 'RequestResponse', payload: event }]);
    expect(report.outcomes[0]).toMatchObject({ kind: 'dead-letter', replayed: true });
  });

  it('never delivers to a function of another stage, nor what it cannot read; both stay for a person to look at', async () => {
    // Prepare
    queueHolding(
      {
        id: 'm-1',
        body: { requestContext: { functionArn: FN('pipewright-staging-trigger') }, requestPayload: {} },
      },
      { id: 'm-2', body: 'not json' },
    );
    // Act
    const report = await replay();
    // Assess
    expect(invoked()).toEqual([]);
    expect(deleted()).toEqual([]);
    expect(report.outcomes.map((o) => [o.kind, o.reason])).toEqual([
      [
        'invoke',
        'it is for pipewright-staging-trigger, not a function of this stage; replay it with that stage',
      ],
      ['unreadable', 'not replayable: its body is not JSON; look at it and delete it by hand'],
    ]);
  });

  it('takes no more than max messages in one run', async () => {
    // Prepare
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [] });
    // Act
    await replayFailedDeliveries({ ...clients, queueUrl: QUEUE, functions, max: 3 });
    // Assess
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toMatchObject({
      QueueUrl: QUEUE,
      MaxNumberOfMessages: 3,
      MessageAttributeNames: ['All'],
    });
  });
});

describe('stageQueueUrl', () => {
  it('finds the stage’s queue by its deployed name, and says what to check when it is not there', async () => {
    sqs
      .on(GetQueueUrlCommand, { QueueName: 'pipewright-prod-failed-deliveries' })
      .resolves({ QueueUrl: QUEUE });
    expect(await stageQueueUrl(clients.sqs, { app: 'pipewright', stage: 'prod' })).toBe(QUEUE);
    sqs
      .on(GetQueueUrlCommand, { QueueName: 'pipewright-nope-failed-deliveries' })
      .rejects(new Error('The specified queue does not exist.'));
    const missing = stageQueueUrl(clients.sqs, { app: 'pipewright', stage: 'nope' });
    await expect(missing).rejects.toThrow(AwsAdapterError);
    await expect(missing).rejects.toThrow(
      /\[PW6601\] there is no queue pipewright-nope-failed-deliveries here .*check --stage/,
    );
  });
});
