import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ActionCategory, CodePipelineStateChangeEvent, Pipeline, Stage } from '@pipewright/core';
import { recordApprovalDecision, verifyApprovalLink } from '@pipewright/engine';
import {
  approvalKey,
  createLocalNotifications,
  LocalEventBus,
  type LocalRuntime,
  SmtpNotifier,
  WebhookNotifier,
} from '@pipewright/local';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { openRuntimeIn, type TestRuntimeOptions } from '../support/local-runtimes.ts';
import { fakeAction, testPipeline } from '../support/pipelines.ts';
import { startSmtp } from '../support/smtp.ts';
import { tempDir } from '../support/temp-dirs.ts';
import { manualApprovals as approvals, FakeProvider, failed } from '../support/test-providers.ts';

const cleanups = cleanupsAfter(afterEach);

/** A real HTTP server on 127.0.0.1 standing in for a Slack incoming webhook. */
async function startWebhook(): Promise<{ url: string; bodies: { text: string }[] }> {
  const bodies: { text: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  cleanups.add(() => new Promise<void>((done) => server.close(() => done())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0/B0/x`, bodies };
}

/** Runs `<Category>/Fake` actions: each fails when its name is in `failing`. */
function fakeProvider(failing: string[] = []): FakeProvider {
  return new FakeProvider(
    Object.fromEntries(failing.map((name) => [name, () => failed(`${name} exited with 1`)])),
  );
}

function action(
  name: string,
  category: ActionCategory = 'Build',
  configuration: Record<string, string> = {},
) {
  return fakeAction(name, category, { configuration });
}

function pipelineOf(stages: Stage[], notifications: Pipeline['notifications']): Pipeline {
  return testPipeline(stages, { name: 'web', notifications });
}

/** The local runtime wired the way `pipewright serve` wires notifications. */
async function serveLike(pipeline: Pipeline, smtpPort: number, options: TestRuntimeOptions = {}) {
  const dir = await tempDir(cleanups, 'pw-notify-');
  const errors: string[] = [];
  const published: CodePipelineStateChangeEvent[] = [];
  const bus = new LocalEventBus<CodePipelineStateChangeEvent>();
  bus.subscribe((e) => {
    published.push(e);
  });
  const email = new SmtpNotifier({ host: '127.0.0.1', port: smtpPort, from: 'Pipewright <ci@example.com>' });
  cleanups.add(() => email.close());
  const served = new Map<string, Pipeline>();
  let runtime: LocalRuntime | undefined;
  const notifications = createLocalNotifications({
    pipelines: { get: (name) => served.get(name) },
    store: () => {
      if (runtime === undefined) throw new Error('the runtime is not open yet');
      return runtime.store;
    },
    approvalLink: (id, expiresAt) => runtime?.approvalLink(id, expiresAt) ?? '',
    email,
    webhook: new WebhookNotifier({ onError: (e) => errors.push(e.message) }),
    bus,
    onError: (e) => errors.push(e.message),
  });
  const stateDir = join(dir, '.pipewright');
  runtime = await openRuntimeIn(cleanups, dir, {
    providers: [fakeProvider(['Test']), approvals],
    approvalBaseUrl: 'http://127.0.0.1:4321',
    onEvents: notifications.onEvents,
    onApprovalRequested: notifications.onApprovalRequested,
    ...options,
  });
  served.set(pipeline.name, await runtime.addPipeline(pipeline, dir));
  return { runtime, notifications, errors, published, stateDir };
}

describe('local notifications', () => {
  it('emails the approver a signed link that decides the approval, and posts the execution to the webhook', async () => {
    // Prepare
    const smtp = await startSmtp(cleanups);
    const hook = await startWebhook();
    const pipeline = pipelineOf(
      [
        { name: 'Build', actions: [action('Make')] },
        {
          name: 'Approve',
          actions: [
            action('Release', 'Approval', {
              CustomData: 'Ship build 42 to production?',
              ExternalEntityLink: 'https://example.com/changes/42',
            }),
          ],
        },
        { name: 'Deploy', actions: [action('Ship', 'Deploy')] },
      ],
      [
        { emails: ['approver@example.com'], events: ['approval.requested'] },
        { webhookUrl: hook.url, events: ['execution.*'] },
      ],
    );
    const { runtime, notifications, errors, published, stateDir } = await serveLike(pipeline, smtp.port);
    // Act
    const { executionId } = await runtime.engine.start({ pipeline: 'web' });
    const mail = await smtp.next();
    const link = /^(http:\/\/127\.0\.0\.1:4321\/approvals\/\S+)$/m.exec(mail.text)?.[1] ?? '';
    const check = verifyApprovalLink(link, approvalKey(stateDir), new Date());
    if (!check.ok) throw new Error(`the emailed link does not verify: ${check.reason}`);
    await recordApprovalDecision(
      runtime.store,
      {
        executionId,
        approvalId: check.approvalId,
        status: 'Approved',
        actor: { kind: 'user', id: 'approver@example.com' },
      },
      new Date().toISOString(),
    );
    await runtime.engine.settle(executionId);
    const view = await runtime.waitForExecution(executionId);
    await notifications.idle();
    // Assess
    expect(view.status).toBe('Succeeded');
    expect(mail.to).toEqual(['approver@example.com']);
    expect(mail.subject).toBe('[Pipewright] web: approval needed for Approve/Release');
    expect(mail.text).toContain('Ship build 42 to production?');
    expect(mail.text).toContain('https://example.com/changes/42');
    expect(mail.text).toContain(`Expires:    ${view.approvals[0]?.expiresAt}`);
    expect(smtp.mails).toHaveLength(1);
    expect(hook.bodies.map((b) => b.text)).toEqual([
      ':arrow_forward: *web* execution started',
      ':white_check_mark: *web* execution succeeded',
    ]);
    expect(
      published
        .filter((e) => e['detail-type'] === 'CodePipeline Action Execution State Change')
        .map((e) => `${e.detail.state}`),
    ).toEqual(['STARTED', 'SUCCEEDED', 'STARTED', 'SUCCEEDED', 'STARTED', 'SUCCEEDED']);
    expect(published.every((e) => e.detail['execution-id'] === executionId)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('notifies execution.failed with the reason by webhook and email when an action fails', async () => {
    // Prepare
    const smtp = await startSmtp(cleanups);
    const hook = await startWebhook();
    const pipeline = pipelineOf(
      [
        { name: 'Build', actions: [action('Make')] },
        { name: 'Verify', actions: [action('Test', 'Test')] },
      ],
      [{ emails: ['ops@example.com'], webhookUrl: hook.url, events: ['execution.failed', 'action.failed'] }],
    );
    const { runtime, notifications, errors } = await serveLike(pipeline, smtp.port, {
      failurePolicy: 'fail',
    });
    // Act
    const { executionId } = await runtime.engine.start({ pipeline: 'web' });
    const view = await runtime.waitForExecution(executionId);
    await notifications.idle();
    // Assess
    expect(view.status).toBe('Failed');
    expect(hook.bodies.map((b) => b.text)).toEqual([
      ':x: *web* action Verify/Test failed: Test exited with 1',
      ':x: *web* execution failed: in stage Verify: Test: Test exited with 1',
    ]);
    expect(smtp.mails.map((m) => m.subject)).toEqual([
      '[Pipewright] web: action Verify/Test failed',
      '[Pipewright] web: execution failed',
    ]);
    expect(smtp.mails[1]?.text).toContain(`Execution:  ${executionId}`);
    expect(errors).toEqual([]);
  });
});
