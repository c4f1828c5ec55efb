import { readFileSync } from 'node:fs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { EventRecord, OutgoingNotification, Pipeline, StateChange } from '@pipewright/core';
import { describe, expect, it } from 'vitest';
import { AwsAdapterError } from '../errors.ts';
import { eventItem } from '../event-table.ts';
import { type DynamoStreamEvent, type ProjectorParts, projectorHandler } from './projector-handler.ts';

const fixtures = new URL('../../../../test/fixtures/streams/', import.meta.url);
const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));
const PIPELINE = readJson('release.pipeline.json') as Pipeline;
const EVENTS = (readJson('approval-rejected.json') as { events: EventRecord[] }).events;

/** The records as the table's stream delivers them, sequence numbers 100, 101, … */
function streamOf(records: readonly EventRecord[]): DynamoStreamEvent {
  return {
    Records: records.map((r, i) => ({
      eventName: 'INSERT',
      dynamodb: {
        SequenceNumber: String(100 + i),
        NewImage: marshall(eventItem(r.stream, r.seq, r) as unknown as Record<string, unknown>, {
          removeUndefinedValues: true,
        }),
      },
    })),
  };
}

/** Parts over the fixture's log, with claims kept in memory and side effects recorded. */
function parts(publish: (changes: readonly StateChange[]) => Promise<void>) {
  const claimed = new Set<string>();
  const sent: OutgoingNotification[] = [];
  const dropped: string[] = [];
  const p: ProjectorParts = {
    store: { read: async () => [] },
    definition: async () => PIPELINE,
    publish,
    notify: async (m) => {
      sent.push(m);
    },
    once: {
      claim: async (key) => {
        if (claimed.has(key)) return 'done';
        claimed.add(key);
        return 'claimed';
      },
      done: async () => undefined,
      release: async (key) => {
        claimed.delete(key);
      },
    },
    approvalLink: () => 'https://example.test/approvals/x',
    region: 'us-east-1',
    account: '000000000000',
    onDropped: (stream) => dropped.push(stream),
  };
  return { p, sent, dropped, claimed };
}

describe('projectorHandler', () => {
  it('publishes state changes once however often the records come', async () => {
    const published: StateChange[] = [];
    const { p } = parts(async (changes) => {
      published.push(...changes);
    });
    const projector = projectorHandler(async () => p);
    const first = await projector(streamOf(EVENTS));
    const again = await projector(streamOf(EVENTS));
    expect(first).toMatchObject({ events: EVENTS.length, dropped: 0, batchItemFailures: [] });
    expect(first.stateChanges).toBeGreaterThan(0);
    expect(again).toMatchObject({ stateChanges: 0, skipped: first.stateChanges, batchItemFailures: [] });
    expect(published).toHaveLength(first.stateChanges);
  });

  it('asks for the records again after a failure that may pass, and gives its claims back', async () => {
    const { p, claimed } = parts(async () => {
      throw new Error('ThrottlingException');
    });
    const result = await projectorHandler(async () => p)(streamOf(EVENTS));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '100' }]);
    expect(result.dropped).toBe(0);
    expect([...claimed].filter((k) => k.startsWith('bus:'))).toEqual([]);
  });

  it('after a partial failure, puts again only what was not put', async () => {
    const put: string[] = [];
    let calls = 0;
    const { p } = parts(async (changes) => {
      calls += 1;
      if (calls === 2) throw new Error('InternalFailure');
      put.push(...changes.map((c) => c.event.id));
    });
    const projector = projectorHandler(async () => p);
    const first = await projector(streamOf(EVENTS));
    const again = await projector(streamOf(EVENTS));
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: '100' }]);
    expect(again.batchItemFailures).toEqual([]);
    expect(new Set(put).size).toBe(put.length);
    expect(put.length).toBe(first.stateChanges + again.stateChanges);
    expect(again.stateChanges).toBe(1);
  });

  it('asks for the records again while another delivery holds a claim (it may still be sending)', async () => {
    const { p } = parts(async () => undefined);
    p.once.claim = async () => 'held';
    const result = await projectorHandler(async () => p)(streamOf(EVENTS));
    expect(result).toMatchObject({ stateChanges: 0, batchItemFailures: [{ itemIdentifier: '100' }] });
  });

  it('passes over, and reports, an execution whose events can never be published (terminal error)', async () => {
    const { p, dropped } = parts(async () => {
      throw new AwsAdapterError('PW6305', 'a state-change event is larger than 256 KB');
    });
    const result = await projectorHandler(async () => p)(streamOf(EVENTS));
    expect(result).toMatchObject({ dropped: 1, batchItemFailures: [] });
    expect(dropped).toEqual(['execution-e6']);
  });

  it('hands every batch of an execution, with what came before it, to the build stopper', async () => {
    const { p } = parts(async () => undefined);
    const seen: [number, string[]][] = [];
    p.store = { read: async () => EVENTS.slice(0, 3) };
    p.stopBuilds = async (history, batch) => {
      seen.push([history.length, batch.map((r) => r.type)]);
    };
    await projectorHandler(async () => p)(streamOf(EVENTS.slice(3)));
    expect(seen).toEqual([[3, EVENTS.slice(3).map((r) => r.type)]]);
  });

  it('publishes an approval’s CodePipeline JSON to its NotificationArn once however often the records come', async () => {
    const topic = 'arn:aws:sns:eu-west-1:123456789012:approvals';
    const records = EVENTS.map((r) =>
      r.type === 'ActionStarted' && (r.data as { actionName: string }).actionName === 'Review'
        ? { ...r, data: { ...(r.data as object), resolvedConfiguration: { NotificationArn: topic } } }
        : r,
    );
    const { p } = parts(async () => undefined);
    const published: { topicArn: string; message: string }[] = [];
    p.publicUrl = 'https://pw.example.com';
    p.publishApproval = async (publication) => {
      published.push(publication);
    };
    const projector = projectorHandler(async () => p);
    await projector(streamOf(records));
    const again = await projector(streamOf(records));
    expect(published.map((x) => x.topicArn)).toEqual([topic]);
    expect(JSON.parse(published[0]?.message ?? '{}')).toMatchObject({
      approval: { token: 'ap-1', approvalReviewLink: 'https://example.test/approvals/x' },
    });
    expect(again.skipped).toBeGreaterThan(0);
  });
});
