import { readFileSync } from 'node:fs';
import { EventBridgeClient, PutEventsCommand, ResourceNotFoundException } from '@aws-sdk/client-eventbridge';
import {
  advanceStateChanges,
  type EventRecord,
  initialExecutionView,
  type Pipeline,
  STATE_CHANGE_DETAIL_TYPES,
  type StateChange,
} from '@pipewright/core';
import { describe, expect, it } from 'vitest';
import { AwsAdapterError } from './errors.ts';
import {
  EventBridgePublisher,
  MAX_PUT_EVENTS_BYTES,
  MAX_PUT_EVENTS_ENTRIES,
  putEventsEntrySize,
} from './eventbridge-publisher.ts';
import { mockedClient, UNREACHABLE } from './testing/mocked-client.ts';

const fixtures = new URL('../../../test/fixtures/streams/', import.meta.url);
const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));

/** The state changes core derives from a recorded execution. */
function changesOf(stream: string): StateChange[] {
  const { pipeline, events } = readJson(`${stream}.json`) as { pipeline: string; events: EventRecord[] };
  const definition = readJson(pipeline) as Pipeline;
  return advanceStateChanges(initialExecutionView(definition), events, definition, {
    region: 'eu-west-1',
    account: '123456789012',
  }).changes;
}

const client = new EventBridgeClient(UNREACHABLE);
const events = mockedClient(client);

const publisher = (source?: string) =>
  new EventBridgePublisher({
    client,
    busName: 'pipewright-prod',
    retryDelayMs: 0,
    ...(source ? { source } : {}),
  });
const accepted = (n: number) => ({
  FailedEntryCount: 0,
  Entries: Array.from({ length: n }, (_, i) => ({ EventId: `ev-${i}` })),
});
const sentEntries = () => events.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);

async function failure(promise: Promise<unknown>): Promise<AwsAdapterError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AwsAdapterError);
  return error as AwsAdapterError;
}

describe('EventBridgePublisher', () => {
  it("sends core's detail-types and details under its own source, in one request", async () => {
    events.on(PutEventsCommand).resolves(accepted(10));
    const changes = changesOf('succeeded');
    expect(changes).toHaveLength(10);
    await publisher().publish(changes);
    const [entries] = sentEntries();
    expect(entries?.[0]).toEqual({
      EventBusName: 'pipewright-prod',
      Source: 'pipewright',
      DetailType: 'CodePipeline Pipeline Execution State Change',
      Detail: JSON.stringify(changes[0]?.event.detail),
      Resources: ['arn:aws:codepipeline:eu-west-1:123456789012:app'],
      Time: new Date('2026-01-05T10:00:00Z'),
    });
    expect(JSON.parse(entries?.[0]?.Detail ?? '{}')).toMatchObject({
      pipeline: 'app',
      'execution-id': 'e1',
      state: 'STARTED',
    });
    expect(entries?.map((e) => e.DetailType)).toEqual(changes.map((c) => c.event['detail-type']));
    expect(new Set(entries?.map((e) => e.DetailType))).toEqual(
      new Set(Object.values(STATE_CHANGE_DETAIL_TYPES)),
    );
    expect(entries?.map((e) => e.Detail)).toEqual(changes.map((c) => JSON.stringify(c.event.detail)));
  });

  it('sends more than ten events in batches of ten, in order', async () => {
    events.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => accepted(input.Entries.length));
    const changes = changesOf('retried');
    expect(changes.length).toBeGreaterThan(MAX_PUT_EVENTS_ENTRIES);
    await publisher('acme.pipewright').publish(changes);
    const sent = sentEntries();
    expect(sent.map((b) => b.length)).toEqual([10, changes.length - 10]);
    expect(sent.flat().map((e) => e.Detail)).toEqual(changes.map((c) => JSON.stringify(c.event.detail)));
    expect(new Set(sent.flat().map((e) => e.Source))).toEqual(new Set(['acme.pipewright']));
  });

  it('also splits batches at 256 KiB and refuses a single event above it', async () => {
    events.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => accepted(input.Entries.length));
    const base = changesOf('succeeded')[0] as StateChange;
    const big = (kib: number): StateChange => ({
      ...base,
      event: {
        ...base.event,
        detail: { ...base.event.detail, pipeline: 'p'.repeat(kib * 1024) },
      } as StateChange['event'],
    });
    await publisher().publish([big(100), big(100), big(100)]);
    expect(sentEntries().map((b) => b.length)).toEqual([2, 1]);
    const sizes = sentEntries().map((b) => b.reduce((n, e) => n + putEventsEntrySize(e), 0));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_PUT_EVENTS_BYTES);

    events.resetHistory();
    const error = await failure(publisher().publish([big(300)]));
    expect(error.code).toBe('PW6305');
    expect(error.message).toMatch(/^\[PW6305\] pipeline STARTED of p+ execution e1 is \d+ bytes/);
    expect(sentEntries()).toHaveLength(0);
  });

  it('retries throttled and internally failed entries once, and only those', async () => {
    const changes = changesOf('succeeded').slice(0, 4);
    events
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: 'a' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
          { EventId: 'c' },
          { ErrorCode: 'InternalFailure', ErrorMessage: 'oops' },
        ],
      })
      .resolves(accepted(2));
    await publisher().publish(changes);
    const [first, retry] = sentEntries();
    expect(first).toHaveLength(4);
    expect(retry).toEqual([first?.[1], first?.[3]]);
  });

  it('names the events still failing after the retry (retryable when only throttled)', async () => {
    const changes = changesOf('succeeded').slice(0, 3);
    events.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 1,
      Entries: input.Entries.map((_, i) =>
        i === input.Entries.length - 1
          ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }
          : { EventId: `ok-${i}` },
      ),
    }));
    const error = await failure(publisher().publish(changes));
    expect(sentEntries().map((b) => b.length)).toEqual([3, 1]);
    expect(error.code).toBe('PW6304');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(
      'EventBridge bus pipewright-prod rejected 1 of 3 state-change events: action Source/Checkout STARTED of app execution e1 (ThrottlingException: Rate exceeded)',
    );
  });

  it('does not retry entries refused for good, and says what to check', async () => {
    const changes = changesOf('succeeded').slice(0, 2);
    events.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [
        { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized' },
        { EventId: 'b' },
      ],
    });
    const error = await failure(publisher().publish(changes));
    expect(sentEntries()).toHaveLength(1);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('pipeline STARTED of app execution e1 (NotAuthorizedForSourceException');
    expect(error.message).toContain('events:PutEvents on the bus with source pipewright');
  });

  it('keeps publishing later batches when one has failures, then reports them all', async () => {
    const changes = changesOf('retried');
    events.on(PutEventsCommand).callsFake((input: { Entries: { Detail?: string }[] }) => ({
      FailedEntryCount: 1,
      Entries: input.Entries.map((_, i) =>
        i === 0 ? { ErrorCode: 'MalformedDetail', ErrorMessage: 'bad' } : { EventId: 'x' },
      ),
    }));
    const error = await failure(publisher().publish(changes));
    expect(sentEntries()).toHaveLength(2);
    expect(error.message).toContain(`rejected 2 of ${changes.length}`);
  });

  it('wraps a failed request with what to do', async () => {
    events.on(PutEventsCommand).rejects(
      new ResourceNotFoundException({
        message: 'Event bus pipewright-prod does not exist.',
        $metadata: {},
      }),
    );
    const error = await failure(publisher().publish(changesOf('succeeded')));
    expect(error.code).toBe('PW6306');
    expect(error.message).toContain('create the bus or fix busName');
  });

  it('sends nothing for no changes', async () => {
    await publisher().publish([]);
    expect(events.calls()).toHaveLength(0);
  });

  it.each(['aws.codepipeline', 'AWS.custom', ''])('refuses the source %j', (source) => {
    expect(() => new EventBridgePublisher({ client, busName: 'b', source })).toThrow(
      /PW6303.*reserves sources starting with "aws\."/,
    );
  });
});
