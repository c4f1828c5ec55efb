import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoOnce } from './dynamo-once.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from './testing/local-dynamodb.ts';

let local: LocalDynamoDb;
beforeAll(async () => {
  local = await startLocalDynamoDb();
});
afterAll(async () => {
  await local.close();
});

describe('DynamoOnce on DynamoDB Local', () => {
  it('claims once, holds for the lease, skips what is done, and lets an expired claim be taken over', async () => {
    // Prepare
    let now = Date.parse('2026-11-23T10:00:00Z');
    const once = new DynamoOnce({
      client: local.client(),
      tableName: await local.createEventTable(),
      leaseSeconds: 60,
      now: () => now,
    });
    // Act + Assess
    expect(await once.claim('notify:a')).toBe('claimed');
    expect(await once.claim('notify:a')).toBe('held');
    now += 61_000; // the worker died: its lease ran out
    expect(await once.claim('notify:a')).toBe('claimed');
    await once.done('notify:a');
    now += 3_600_000;
    expect(await once.claim('notify:a')).toBe('done');
    expect(await once.claim('notify:b')).toBe('claimed');
    await once.release('notify:b');
    expect(await once.claim('notify:b')).toBe('claimed');
  });
});
