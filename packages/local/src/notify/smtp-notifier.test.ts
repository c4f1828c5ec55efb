import type { AddressInfo } from 'node:net';
import type { OutgoingNotification } from '@pipewright/core';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { SmtpNotifier } from './smtp-notifier.ts';

interface Delivered {
  from: string;
  to: string[];
  raw: string;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A real SMTP server on 127.0.0.1 that keeps what it receives (or refuses every recipient). */
async function smtpSink(refuse = false): Promise<{ port: number; delivered: Delivered[] }> {
  const delivered: Delivered[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(refuse ? Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mailFrom = session.envelope.mailFrom;
        delivered.push({
          from: mailFrom === false ? '' : mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  closers.push(() => new Promise<void>((done) => server.close(() => done())));
  return { port: (server.server.address() as AddressInfo).port, delivered };
}

const email: OutgoingNotification = {
  channel: 'email',
  id: 'n-1',
  event: 'execution.failed',
  pipeline: 'web',
  executionId: '7f0c',
  target: 0,
  to: ['ops@example.com', 'dev@example.com'],
  subject: '[Pipewright] web: execution failed',
  text: 'web: execution failed: in stage Build: npm test exited with 1\n',
};

describe('SmtpNotifier', () => {
  it('sends an email message to every recipient through the SMTP server', async () => {
    // Prepare
    const { port, delivered } = await smtpSink();
    const notifier = new SmtpNotifier({ host: '127.0.0.1', port, from: 'Pipewright <ci@example.com>' });
    closers.push(async () => notifier.close());
    // Act
    await notifier.send(email);
    // Assess
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.from).toBe('ci@example.com');
    expect(delivered[0]?.to).toEqual(['ops@example.com', 'dev@example.com']);
    expect(delivered[0]?.raw).toContain('Subject: [Pipewright] web: execution failed');
    expect(delivered[0]?.raw).toContain('X-Pipewright-Event: execution.failed');
    expect(delivered[0]?.raw).toContain('in stage Build: npm test exited with 1');
  });

  it('rejects with PW5301 naming the server when the server refuses the mail', async () => {
    const { port } = await smtpSink(true);
    const notifier = new SmtpNotifier({ host: '127.0.0.1', port, from: 'ci@example.com' });
    closers.push(async () => notifier.close());
    await expect(notifier.send(email)).rejects.toThrow(
      new RegExp(
        `^\\[PW5301\\] could not email execution\\.failed of web \\(7f0c\\) to ops@example\\.com, dev@example\\.com through 127\\.0\\.0\\.1:${port}: .*check smtp in pipewright\\.local\\.yaml`,
      ),
    );
  });
});
