import { readFileSync } from 'node:fs';
import type { EventRecord } from '@pipewright/core';
import { describe, expect, it } from 'vitest';
import { approvalTopicPublications, topicRegion } from './approval-topic.ts';

const fixtures = new URL('../../../test/fixtures/streams/', import.meta.url);
const EVENTS = (
  JSON.parse(readFileSync(new URL('approval-rejected.json', fixtures), 'utf8')) as { events: EventRecord[] }
).events;
const TOPIC = 'arn:aws:sns:us-east-1:210987654321:release-approvals';

/** The fixture's stream with the approval action started with a NotificationArn. */
function withTopic(topic: string | undefined): EventRecord[] {
  return EVENTS.map((r) =>
    r.type === 'ActionStarted' && (r.data as { actionName: string }).actionName === 'Review'
      ? {
          ...r,
          data: {
            ...(r.data as object),
            resolvedConfiguration: {
              CustomData: 'Release 8e6f5a3?',
              ...(topic ? { NotificationArn: topic } : {}),
            },
          },
        }
      : r,
  );
}

const site = {
  region: 'eu-west-1',
  publicUrl: 'https://pw.example.com/',
  pipeline: 'release',
  reviewLink: (id: string, at: string) => `https://pw.example.com/approvals/${id}?exp=${at}&sig=x`,
};

describe('approvalTopicPublications', () => {
  it('gives CodePipeline’s approval JSON for the topic the approval action names', async () => {
    const records = withTopic(TOPIC);
    const requested = records.findIndex((r) => r.type === 'ApprovalRequested');
    const publications = await approvalTopicPublications(
      records.slice(0, requested),
      records.slice(requested),
      site,
    );
    expect(publications).toHaveLength(1);
    expect(publications[0]).toMatchObject({
      key: 'approval-topic:ap-1',
      topicArn: TOPIC,
      subject: 'APPROVAL NEEDED: Pipewright release for action Review',
    });
    expect(JSON.parse(publications[0]?.message ?? '{}')).toEqual({
      region: 'eu-west-1',
      consoleLink: 'https://pw.example.com/pipelines/release',
      approval: {
        pipelineName: 'release',
        stageName: 'Approve',
        actionName: 'Review',
        token: 'ap-1',
        expires: '2026-01-12T14:00Z',
        externalEntityLink: 'https://example.com/changes/8e6f5a3',
        approvalReviewLink: 'https://pw.example.com/approvals/ap-1?exp=2026-01-12T14:00:04.000Z&sig=x',
        customData: 'Release 8e6f5a3?',
      },
    });
  });

  it('publishes nothing for an approval without NotificationArn, or a batch without a request', async () => {
    expect(await approvalTopicPublications([], withTopic(undefined), site)).toEqual([]);
    const records = withTopic(TOPIC);
    const requested = records.findIndex((r) => r.type === 'ApprovalRequested');
    expect(
      await approvalTopicPublications(records.slice(0, requested + 1), records.slice(requested + 1), site),
    ).toEqual([]);
  });

  it('reads the region of the topic', () => {
    expect(topicRegion(TOPIC)).toBe('us-east-1');
    expect(topicRegion('not-an-arn')).toBeUndefined();
  });
});
