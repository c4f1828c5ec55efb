import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Action, ActionCategory, CodePipelineStateChangeEvent, Pipeline, Stage } from '@pipewright/core';
import {
  type ActionOutcome,
  type ActionProvider,
  recordApprovalDecision,
  verifyApprovalLink,
} from '@pipewright/engine';
import {
  approvalKey,
  createLocalNotifications,
  LocalEventBus,
  type LocalRuntime,
  type LocalRuntimeOptions,
  openLocalRuntime,
  SmtpNotifier,
  WebhookNotifier,
} from '@pipewright/local';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Decodes a MIME body part written as quoted-printable or base64 (what nodemailer picks for text). */
function decodeText(raw: string): string {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body, 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

interface Mail {
  to: string[];
  subject: string;
  text: string;
}

/** A real SMTP server (npm `smtp-server`) on 127.0.0.1, keeping what it receives. */
async function startSmtp(): Promise<{ port: number; mails: Mail[]; next: () => Promise<Mail> }> {
  const mails: Mail[] = [];
  let waiting = deferred<Mail>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail = {
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: /^Subject: (.*)$/m.exec(raw)?.[1] ?? '',
          text: decodeText(raw),
        };
        mails.push(mail);
        waiting.resolve(mail);
        callback();
      });
    },
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    next: async () => {
      const mail = await waiting.promise;
      waiting = deferred<Mail>();
      return mail;
    },
  };
}

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
  cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0/B0/x`, bodies };
}

/** Runs `<Category>/Fake` actions: each fails when its name is in `failing`. */
function fakeProvider(failing: string[] = []): ActionProvider {
  return {
    categories: ['Source', 'Build', 'Test', 'Deploy', 'Invoke'],
    provider: 'Fake',
    async run(run): Promise<ActionOutcome> {
      return failing.includes(run.action.name)
        ? { status: 'Failed', error: { type: 'JobFailed', message: `${run.action.name} exited with 1` } }
        : { status: 'Succeeded', outputArtifacts: [], outputVariables: {} };
    },
  };
}

/** Manual approvals wait for a decision. */
const approvals: ActionProvider = {
  categories: ['Approval'],
  provider: 'Manual',
  async run() {
    return { status: 'Waiting' };
  },
};

function action(
  name: string,
  category: ActionCategory = 'Build',
  configuration: Record<string, string> = {},
): Action {
  return {
    name,
    actionTypeId: {
      category,
      owner: 'AWS',
      provider: category === 'Approval' ? 'Manual' : 'Fake',
      version: '1',
    },
    runOrder: 1,
    configuration,
    inputArtifacts: [],
    outputArtifacts: [],
  };
}

function pipelineOf(stages: Stage[], notifications: Pipeline['notifications']): Pipeline {
  return {
    name: 'web',
    executionMode: 'PARALLEL',
    pipelineType: 'V2',
    variables: [],
    triggers: [],
    stages,
    notifications,
  };
}

/** The local runtime wired the way `pipewright serve` wires notifications. */
async function serveLike(pipeline: Pipeline, smtpPort: number, options: Partial<LocalRuntimeOptions> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'pw-notify-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const errors: string[] = [];
  const published: CodePipelineStateChangeEvent[] = [];
  const bus = new LocalEventBus<CodePipelineStateChangeEvent>();
  bus.subscribe((e) => {
    published.push(e);
  });
  const email = new SmtpNotifier({ host: '127.0.0.1', port: smtpPort, from: 'Pipewright <ci@example.com>' });
  cleanups.push(() => email.close());
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
  runtime = await openLocalRuntime({
    stateDir,
    providers: [fakeProvider(['Test']), approvals],
    approvalBaseUrl: 'http://127.0.0.1:4321',
    onEvents: notifications.onEvents,
    onApprovalRequested: notifications.onApprovalRequested,
    ...options,
  });
  const opened = runtime;
  cleanups.push(() => opened.close());
  served.set(pipeline.name, await runtime.addPipeline(pipeline, dir));
  return { runtime, notifications, errors, published, stateDir };
}

describe('local notifications', () => {
  it('emails the approver a signed link that decides the approval, and posts the execution to the webhook', async () => {
    // Prepare
    const smtp = await startSmtp();
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
    const smtp = await startSmtp();
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
