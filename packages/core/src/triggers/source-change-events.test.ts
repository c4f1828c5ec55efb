import { describe, expect, it } from 'vitest';
import { triggerRules } from '../deploy/trigger-rules.ts';
import { triggerSchedules } from '../deploy/trigger-schedules.ts';
import type { Action, Pipeline } from '../model/pipeline.ts';
import { fakeAction } from '../testing/fake-pipeline.ts';
import { decideTrigger } from './decide-trigger.ts';
import { polledSourceEvent, sourceChangeTriggers, sourcePolls } from './source-change-events.ts';
import type { BusEvent } from './trigger-delivery.ts';
import { validateEventPattern } from './validate-event-pattern.ts';

function source(name: string, provider: string, configuration: Record<string, string>): Action {
  const actionTypeId = { category: 'Source' as const, owner: 'AWS' as const, provider, version: '1' };
  return fakeAction(name, 'Source', {
    actionTypeId,
    configuration,
    outputArtifacts: [{ name: `${name}Out` }],
  });
}

const pipeline = {
  name: 'images',
  triggers: [],
  stages: [
    {
      name: 'Source',
      actions: [
        source('Image', 'ECR', { RepositoryName: 'team/web' }),
        source('Bundle', 'S3', {
          S3Bucket: 'acme-releases',
          S3ObjectKey: 'web/app.zip',
          PollForSourceChanges: 'false',
        }),
        source('Later', 'ECR', { RepositoryName: '#{variables.repo}' }),
        source('Polled', 'S3', { S3Bucket: 'acme-releases', S3ObjectKey: 'docs.zip' }),
      ],
    },
  ],
} as unknown as Pipeline;

const ecrPush: BusEvent = {
  id: 'e-1',
  source: 'aws.ecr',
  'detail-type': 'ECR Image Action',
  time: '2026-12-04T10:00:00Z',
  detail: {
    'action-type': 'PUSH',
    result: 'SUCCESS',
    'repository-name': 'team/web',
    'image-digest': 'sha256:4f2a',
    'image-tag': 'latest',
  },
};
const s3Created: BusEvent = {
  id: 'e-2',
  source: 'aws.s3',
  'detail-type': 'Object Created',
  time: '2026-12-04T10:00:00Z',
  detail: {
    bucket: { name: 'acme-releases' },
    object: { key: 'web/app.zip', 'version-id': 'v-7', etag: 'x' },
  },
};
const deliver = (event: BusEvent) => ({
  kind: 'event' as const,
  triggerId: event.id,
  at: '2026-12-04T10:00:01Z',
  event,
});

describe('sourceChangeTriggers', () => {
  it('detects pushes of an ECR source’s tag (latest by default) and new versions of an S3 source’s object', () => {
    const changes = sourceChangeTriggers(pipeline);
    expect(changes.map((c) => [c.actionName, c.eventPattern])).toEqual([
      [
        'Image',
        {
          source: ['aws.ecr'],
          'detail-type': ['ECR Image Action'],
          detail: {
            'action-type': ['PUSH'],
            result: ['SUCCESS'],
            'repository-name': ['team/web'],
            'image-tag': ['latest'],
          },
        },
      ],
      [
        'Bundle',
        {
          source: ['aws.s3'],
          'detail-type': ['Object Created'],
          detail: { bucket: { name: ['acme-releases'] }, object: { key: ['web/app.zip'] } },
        },
      ],
    ]);
    for (const c of changes) expect(validateEventPattern(c.eventPattern)).toEqual([]);
  });

  it('starts the pipeline with the image digest or object version as the source revision', () => {
    const pushed = decideTrigger(pipeline, deliver(ecrPush), 'x-1');
    expect(pushed.start).toMatchObject({
      trigger: { triggerType: 'CloudWatchEvent' },
      sourceRevisions: [{ actionName: 'Image', revisionId: 'sha256:4f2a' }],
    });
    expect(pushed.result.reason).toContain('pushes of team/web:latest (source action "Image")');
    const created = decideTrigger(pipeline, deliver(s3Created), 'x-2');
    expect(created.start?.sourceRevisions).toEqual([{ actionName: 'Bundle', revisionId: 'v-7' }]);
  });

  it('starts nothing for another tag, and says why', () => {
    const other = { ...ecrPush, detail: { ...ecrPush.detail, 'image-tag': 'dev' } };
    const decision = decideTrigger(pipeline, deliver(other), 'x-3');
    expect(decision.start).toBeUndefined();
    expect(decision.result.reason).toContain('it is not one of the pushes of team/web:latest');
  });

  it('gets one default-bus rule per detected source, routed by the source action', () => {
    const rules = triggerRules(pipeline, { app: 'pipewright', stage: 'prod' });
    expect(rules.map((r) => [r.name, r.eventBus, r.sourceAction])).toEqual([
      ['pipewright-prod-images-source-Image', 'default', 'Image'],
      ['pipewright-prod-images-source-Bundle', 'default', 'Bundle'],
    ]);
    expect(rules[0]?.inputTemplate).toBe(
      '{"kind":"event","pipeline":"images","sourceAction":"Image","event":<aws.events.event.json>}',
    );
  });
});

describe('sourcePolls', () => {
  it('polls S3 sources whose PollForSourceChanges is absent or true (CodePipeline’s default), instead of a rule', () => {
    expect(sourcePolls(pipeline)).toEqual([
      { actionName: 'Polled', bucket: 'acme-releases', key: 'docs.zip' },
    ]);
    expect(sourceChangeTriggers(pipeline).map((c) => c.actionName)).not.toContain('Polled');
    const [schedule] = triggerSchedules(pipeline, { app: 'pipewright', stage: 'prod' });
    expect(schedule).toMatchObject({
      name: 'pipewright-prod-images-poll-Polled',
      scheduleExpression: 'rate(1 minute)',
      sourceAction: 'Polled',
      input:
        '{"kind":"poll","pipeline":"images","sourceAction":"Polled","scheduledTime":"<aws.scheduler.scheduled-time>"}',
    });
  });

  it('starts the pipeline once per version a poll sees, as PollForSourceChanges', () => {
    const [poll] = sourcePolls(pipeline);
    if (poll === undefined) throw new Error('no poll');
    const event = polledSourceEvent('images', poll, 'v-9', '2026-12-04T10:00:00Z');
    expect(event.id).toBe('poll:images:Polled:v-9');
    const decision = decideTrigger(pipeline, deliver(event), 'x-4');
    expect(decision.start).toMatchObject({
      trigger: {
        triggerType: 'PollForSourceChanges',
        triggerDetail: 's3://acme-releases/docs.zip version v-9',
      },
      sourceRevisions: [{ actionName: 'Polled', revisionId: 'v-9' }],
    });
    const stray = { ...event, detail: { ...event.detail, action: 'Bundle' } };
    expect(decideTrigger(pipeline, deliver(stray), 'x-5').start).toBeUndefined();
  });
});
