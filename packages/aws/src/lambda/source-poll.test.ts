import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Pipeline, TriggerDelivery } from '@pipewright/core';
import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { describe, expect, it } from 'vitest';
import { awsError, mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { observeSource } from './source-poll.ts';
import { triggerHandler } from './trigger-handler.ts';

const client = new S3Client(UNREACHABLE);
const s3 = mockedClient(client);
const NOW = new Date('2026-12-04T10:00:00Z');
const pipeline: Pipeline = testPipeline(
  [
    {
      name: 'Source',
      actions: [
        fakeAction('Polled', 'Source', {
          actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
          configuration: { S3Bucket: 'acme-releases', S3ObjectKey: 'docs.zip' },
        }),
      ],
    },
  ],
  { name: 'images' },
);

describe('observeSource', () => {
  it('turns the object’s current version into the poll’s event', async () => {
    s3.on(HeadObjectCommand).resolves({ VersionId: 'v-9' });
    const event = await observeSource(client, pipeline, 'Polled', NOW);
    expect(s3.calls().map((c) => c.args[0].input)).toEqual([{ Bucket: 'acme-releases', Key: 'docs.zip' }]);
    expect(event).toEqual({
      id: 'poll:images:Polled:v-9',
      source: 'pipewright.poll',
      'detail-type': 'Source Version Observed',
      time: '2026-12-04T10:00:00.000Z',
      detail: { action: 'Polled', bucket: 'acme-releases', key: 'docs.zip', 'version-id': 'v-9' },
    });
  });

  it('sees nothing for a missing object or an unversioned bucket, and says what S3 refused', async () => {
    s3.on(HeadObjectCommand).rejects(awsError('NotFound', 404));
    expect(await observeSource(client, pipeline, 'Polled', NOW)).toBeUndefined();
    s3.reset();
    s3.on(HeadObjectCommand).resolves({});
    expect(await observeSource(client, pipeline, 'Polled', NOW)).toBeUndefined();
    s3.reset();
    s3.on(HeadObjectCommand).rejects(awsError('Forbidden', 403));
    await expect(observeSource(client, pipeline, 'Polled', NOW)).rejects.toMatchObject({
      code: 'PW6206',
      retryable: false,
    });
    s3.reset();
    s3.on(HeadObjectCommand).rejects(awsError('SlowDown', 503));
    await expect(observeSource(client, pipeline, 'Polled', NOW)).rejects.toMatchObject({
      code: 'PW6206',
      retryable: true,
    });
    await expect(observeSource(client, pipeline, 'Other', NOW)).rejects.toMatchObject({ code: 'PW6502' });
  });
});

describe('triggerHandler of a poll', () => {
  it('delivers the version a poll sees under an id of that version, so a repeated poll is one trigger', async () => {
    s3.on(HeadObjectCommand).resolves({ VersionId: 'v-9' });
    const delivered: TriggerDelivery[] = [];
    const handler = triggerHandler(async () => ({
      now: () => NOW,
      dispatcher: {
        async deliver(_pipeline: string, delivery: TriggerDelivery) {
          delivered.push(delivery);
          return { triggerId: delivery.triggerId, matched: true, reason: 'x' };
        },
      },
      observe: (_name, action, now) => observeSource(client, pipeline, action, now),
    }));
    const poll = {
      kind: 'poll',
      pipeline: 'images',
      sourceAction: 'Polled',
      scheduledTime: '2026-12-04T10:00:00Z',
    };
    await handler(poll);
    await handler(poll);
    expect(delivered.map((d) => [d.kind, d.triggerId])).toEqual([
      ['event', 'poll:images:Polled:v-9'],
      ['event', 'poll:images:Polled:v-9'],
    ]);
    s3.reset();
    s3.on(HeadObjectCommand).resolves({});
    expect(await handler(poll)).toMatchObject({ matched: false, reason: 'the poll saw no version' });
    expect(delivered).toHaveLength(2);
  });
});
