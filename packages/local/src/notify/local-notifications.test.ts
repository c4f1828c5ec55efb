import { readFileSync } from 'node:fs';
import type {
  CodePipelineStateChangeEvent,
  EventRecord,
  NotificationTarget,
  OutgoingNotification,
  Pipeline,
} from '@pipewright/core';
import type { Notifier } from '@pipewright/engine';
import { describe, expect, it } from 'vitest';
import { createLocalNotifications, type LocalNotificationsOptions } from './local-notifications.ts';

const fixtures = new URL('../../../../test/fixtures/streams/', import.meta.url);
const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));

function stream(name: string, targets: NotificationTarget[]): { pipeline: Pipeline; records: EventRecord[] } {
  const s = readJson(`${name}.json`) as { pipeline: string; events: EventRecord[] };
  const pipeline = { ...(readJson(s.pipeline) as Pipeline), notifications: targets };
  return { pipeline, records: s.events };
}

/** A notifier keeping what it was asked to send; `failOn` events make it throw. */
class Recorder implements Notifier {
  readonly sent: OutgoingNotification[] = [];
  readonly #failOn: Set<string>;
  constructor(failOn: string[] = []) {
    this.#failOn = new Set(failOn);
  }
  async send(message: OutgoingNotification): Promise<void> {
    if (this.#failOn.has(message.event)) throw new Error(`refused ${message.event}`);
    this.sent.push(message);
  }
}

function setup(pipeline: Pipeline, records: EventRecord[], extra: Partial<LocalNotificationsOptions> = {}) {
  const email = new Recorder();
  const webhook = new Recorder();
  const published: CodePipelineStateChangeEvent[] = [];
  const errors: string[] = [];
  const reads: { fromSeq?: number; limit?: number }[] = [];
  const notifications = createLocalNotifications({
    pipelines: { get: (name) => (name === pipeline.name ? pipeline : undefined) },
    store: {
      async read(_stream, options = {}) {
        reads.push(options);
        const from = options.fromSeq ?? 1;
        return records.filter((r) => r.seq >= from).slice(0, options.limit ?? records.length);
      },
    },
    approvalLink: (id, expiresAt) => `http://127.0.0.1:4000/approvals/${id}?expires=${expiresAt}&sig=s1gn3d`,
    email,
    webhook,
    bus: { publish: (e) => published.push(e) },
    onError: (e) => errors.push(e.message),
    ...extra,
  });
  return { notifications, email, webhook, published, errors, reads };
}

const TEAM = [{ emails: ['ops@example.com'], webhookUrl: 'https://hooks.example.com/x' }];

describe('createLocalNotifications', () => {
  it('publishes every state change on the bus and sends the execution changes to each channel', async () => {
    // Prepare
    const { pipeline, records } = stream('succeeded', TEAM);
    const { notifications, email, webhook, published, errors } = setup(pipeline, records);
    // Act
    for (let i = 0; i < records.length; i += 2) notifications.onEvents(records.slice(i, i + 2));
    await notifications.idle();
    // Assess
    expect(errors).toEqual([]);
    expect(published.map((e) => e.detail.state)).toHaveLength(10);
    expect(published.every((e) => e.source === 'aws.codepipeline')).toBe(true);
    expect(webhook.sent.map((m) => m.event)).toEqual(['execution.started', 'execution.succeeded']);
    expect(email.sent.map((m) => m.event)).toEqual(['execution.started', 'execution.succeeded']);
  });

  it('catches up silently on an execution first seen mid-way, then notifies what follows', async () => {
    // Prepare: the server restarted while the execution was in its Build stage
    const { pipeline, records } = stream('succeeded', [
      { webhookUrl: 'https://hooks.example.com/x', events: ['*'] },
    ]);
    const { notifications, webhook, reads } = setup(pipeline, records);
    // Act
    notifications.onEvents(records.slice(8));
    await notifications.idle();
    // Assess
    expect(reads).toEqual([{ limit: 8 }]);
    expect(webhook.sent.map((m) => m.event)).toEqual([
      'action.succeeded',
      'stage.succeeded',
      'execution.succeeded',
    ]);
  });

  it('reads and notifies records appended between two batches (an approval decided by the server)', async () => {
    // Prepare
    const { pipeline, records } = stream('approval-rejected', [
      { webhookUrl: 'https://hooks.example.com/x', events: ['action.*', 'stage.failed'] },
    ]);
    const { notifications, webhook, reads } = setup(pipeline, records);
    const decided = records.findIndex((r) => r.type === 'ApprovalDecided');
    // Act: the batches before the decision, then the stage failing after it
    notifications.onEvents(records.slice(0, decided));
    notifications.onEvents(records.slice(decided + 2));
    await notifications.idle();
    // Assess
    expect(reads).toEqual([{ fromSeq: decided + 1, limit: 2 }]);
    expect(webhook.sent.map((m) => m.event).slice(-2)).toEqual(['action.failed', 'stage.failed']);
  });

  it('emails approvers the signed link and tells the webhook who waits, without the link', async () => {
    // Prepare
    const { pipeline, records } = stream('approval-rejected', TEAM);
    const { notifications, email, webhook } = setup(pipeline, records);
    const requested = records.find((r) => r.type === 'ApprovalRequested');
    const data = requested?.data as { approvalId: string; expiresAt: string; customData: string };
    // Act
    notifications.onApprovalRequested({
      pipeline: pipeline.name,
      executionId: 'e6',
      approvalId: data.approvalId,
      stageName: 'Approve',
      actionName: 'Review',
      expiresAt: data.expiresAt,
      customData: data.customData,
    });
    await notifications.idle();
    // Assess
    const mail = email.sent[0];
    expect(mail?.channel === 'email' && mail.text).toContain(
      `http://127.0.0.1:4000/approvals/ap-1?expires=${data.expiresAt}&sig=s1gn3d`,
    );
    expect(mail?.channel === 'email' && mail.text).toContain('Release 8e6f5a3?');
    expect(webhook.sent.map((m) => m.event)).toEqual(['approval.requested']);
    expect(JSON.stringify(webhook.sent[0])).not.toContain('s1gn3d');
  });

  it('reports email targets without an SMTP server once, and still sends the webhooks', async () => {
    const { pipeline, records } = stream('succeeded', TEAM);
    const { notifications, webhook, errors } = setup(pipeline, records, { email: undefined });
    notifications.onEvents(records);
    await notifications.idle();
    expect(errors).toEqual([
      expect.stringMatching(
        /^\[PW5301\] app has email notification targets, but no SMTP server is configured/,
      ),
    ]);
    expect(webhook.sent).toHaveLength(2);
  });

  it('reports a failed send and goes on with the next messages', async () => {
    const { pipeline, records } = stream('succeeded', [{ webhookUrl: 'https://hooks.example.com/x' }]);
    const webhook = new Recorder(['execution.started']);
    const { notifications, errors } = setup(pipeline, records, { webhook });
    notifications.onEvents(records);
    await notifications.idle();
    expect(errors).toEqual(['refused execution.started']);
    expect(webhook.sent.map((m) => m.event)).toEqual(['execution.succeeded']);
  });

  it('sends nothing for a pipeline it does not serve, but still publishes its state changes', async () => {
    const { pipeline, records } = stream('succeeded', TEAM);
    const { notifications, webhook, published } = setup({ ...pipeline, name: 'other' }, records);
    notifications.onEvents(records);
    await notifications.idle();
    expect(webhook.sent).toEqual([]);
    expect(published).toHaveLength(10);
  });
});
