import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type PipewrightEvent, parseEvent } from '../events/index.ts';
import type { NotificationTarget, Pipeline } from '../model/pipeline.ts';
import { initialExecutionView } from '../projections/execution-view.ts';
import { notificationsFor } from './notifications-for.ts';
import type { ApprovalNotice } from './outgoing-notification.ts';
import { emailMessage, slackMessage } from './render-message.ts';
import { advanceStateChanges, type StateChange } from './state-change-events.ts';

const fixtures = new URL('../../../../test/fixtures/streams/', import.meta.url);
const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));

function changesOf(name: string): { pipeline: Pipeline; changes: StateChange[] } {
  const stream = readJson(`${name}.json`) as { pipeline: string; events: unknown[] };
  const pipeline = readJson(stream.pipeline) as Pipeline;
  const events: PipewrightEvent[] = stream.events.map(parseEvent);
  const where = { region: 'local', account: '000000000000' };
  return {
    pipeline,
    changes: advanceStateChanges(initialExecutionView(pipeline), events, pipeline, where).changes,
  };
}

const notice = (pipeline: string): ApprovalNotice => ({
  kind: 'approval-requested',
  pipeline,
  executionId: '7f0c',
  approvalId: 'ap-1',
  stageName: 'Approve',
  actionName: 'Review',
  expiresAt: '2026-01-12T10:00:00.000Z',
  customData: 'Check the <staging> site & sign off',
  externalEntityLink: 'https://staging.example.com',
  reviewLink: 'http://127.0.0.1:4000/approvals/ap-1?expires=1&sig=abc',
});

const withTargets = (pipeline: Pipeline, ...targets: NotificationTarget[]): Pipeline => ({
  ...pipeline,
  notifications: targets,
});

describe('notificationsFor', () => {
  it('sends nothing for a pipeline without notification targets', () => {
    const { pipeline, changes } = changesOf('succeeded');
    expect(notificationsFor(pipeline, changes)).toEqual([]);
  });

  it('gives a target without events the execution changes, one message per channel', () => {
    // Prepare
    const { pipeline, changes } = changesOf('succeeded');
    const p = withTargets(pipeline, {
      emails: ['ops@example.com', 'dev@example.com'],
      webhookUrl: 'https://hooks.example.com/x',
    });
    // Act
    const messages = notificationsFor(p, changes);
    // Assess
    expect(messages.map((m) => `${m.channel} ${m.event}`)).toEqual([
      'email execution.started',
      'webhook execution.started',
      'email execution.succeeded',
      'webhook execution.succeeded',
    ]);
    expect(messages[0]).toMatchObject({
      to: ['ops@example.com', 'dev@example.com'],
      target: 0,
      pipeline: pipeline.name,
    });
    expect(messages[1]).toMatchObject({
      url: 'https://hooks.example.com/x',
      body: { text: expect.stringContaining('execution started') },
    });
  });

  it('follows each target’s events filter', () => {
    const { pipeline, changes } = changesOf('retried');
    const p = withTargets(
      pipeline,
      { webhookUrl: 'https://a.example.com', events: ['action.failed', 'stage.resumed'] },
      { webhookUrl: 'https://b.example.com', events: ['execution.failed'] },
    );
    expect(notificationsFor(p, changes).map((m) => `${m.target} ${m.event}`)).toEqual([
      '0 action.failed',
      '1 execution.failed',
      '0 stage.resumed',
    ]);
  });

  it('gives each message an id that is the same for the same subject and target', () => {
    const { pipeline, changes } = changesOf('succeeded');
    const p = withTargets(pipeline, {
      emails: ['ops@example.com'],
      webhookUrl: 'https://hooks.example.com/x',
    });
    const ids = notificationsFor(p, changes).map((m) => m.id);
    expect(notificationsFor(p, changes).map((m) => m.id)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('ignores subjects of another pipeline', () => {
    const { pipeline } = changesOf('succeeded');
    const p = withTargets(pipeline, { emails: ['ops@example.com'] });
    expect(notificationsFor(p, [notice('other')])).toEqual([]);
  });

  it('emails approvers the signed review link, the custom data, the external link and the expiry', () => {
    // Prepare
    const { pipeline } = changesOf('approval-rejected');
    const p = withTargets(pipeline, { emails: ['lead@example.com'], events: ['approval.requested'] });
    // Act
    const [mail, ...rest] = notificationsFor(p, [notice(pipeline.name)]);
    // Assess
    expect(rest).toEqual([]);
    expect(mail?.channel).toBe('email');
    if (mail?.channel !== 'email') return;
    expect(mail.subject).toBe(`[Pipewright] ${pipeline.name}: approval needed for Approve/Review`);
    expect(mail.text).toContain('http://127.0.0.1:4000/approvals/ap-1?expires=1&sig=abc');
    expect(mail.text).toContain('Check the <staging> site & sign off');
    expect(mail.text).toContain('https://staging.example.com');
    expect(mail.text).toContain('2026-01-12T10:00:00.000Z');
  });
});

describe('slackMessage', () => {
  it('never puts the signed review link in a webhook body, and escapes Slack markup', () => {
    const body = slackMessage(notice('web'));
    const json = JSON.stringify(body);
    expect(json).not.toContain('sig=abc');
    expect(json).toContain('Check the &lt;staging&gt; site &amp; sign off');
    expect(body.text).toContain('*web* waits for approval at Approve/Review');
  });

  it('says what failed and why', () => {
    const { changes } = changesOf('approval-rejected');
    const failed = changes.find((c) => c.name === 'execution.failed');
    expect(failed).toBeDefined();
    if (failed === undefined) return;
    expect(slackMessage(failed).text).toMatch(/^:x: \*release\* execution failed: in stage Approve: /);
    expect(slackMessage(failed).blocks?.at(-1)).toMatchObject({ type: 'context' });
  });
});

describe('emailMessage', () => {
  it('writes the subject and a text with the execution, stage, action and reason', () => {
    const { changes } = changesOf('approval-rejected');
    const failed = changes.find((c) => c.name === 'action.failed');
    expect(failed).toBeDefined();
    if (failed === undefined) return;
    const { subject, text } = emailMessage(failed);
    expect(subject).toBe('[Pipewright] release: action Approve/Review failed');
    expect(text).toMatch(/^Stage: {6}Approve$/m);
    expect(text).toMatch(/^Action: {5}Review$/m);
    expect(text).toMatch(/^Error code: /m);
  });
});
