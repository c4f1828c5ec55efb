/**
 * Acceptance (issue "serve"): `pipewright serve` as a real process on a free port; a commit to
 * the real local git repository it made; a signed GitHub push webhook; the approval email
 * reaching a real SMTP server (npm `smtp-server`) started here; the link from the delivered
 * message followed, the approval decided on its page, and the execution read back as
 * succeeded — all through HTTP.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = join(root, 'packages/cli/bin/pipewright.js');
const cleanups: (() => Promise<void> | void)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Mail {
  to: string[];
  subject: string;
  text: string;
}

/** Decodes a single-part MIME message's body written as quoted-printable or base64 (what nodemailer picks). */
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

/** A real SMTP server on 127.0.0.1 keeping every message it receives. */
async function startSmtp(): Promise<{ port: number; mails: Mail[] }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: /^Subject: (.*)$/m.exec(raw)?.[1] ?? '',
          text: decodeText(raw),
        });
        callback();
      });
    },
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
  return { port: (server.server.address() as AddressInfo).port, mails };
}

/** Polls `read` every 100 ms until `done` holds of its result or `timeoutMs` passes; returns the last result. */
async function poll<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < until) {
    await new Promise((wake) => setTimeout(wake, 100));
    value = await read();
  }
  return value;
}

/** Resolves with the first match of `pattern` in the child's stdout. */
function waitFor(child: ChildProcess, output: { text: string }, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`timed out waiting for ${pattern}: ${output.text}`)),
      30_000,
    );
    const check = () => {
      const match = pattern.exec(output.text);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        done(match);
      }
    };
    child.stdout?.on('data', check);
    check();
  });
}

interface ExecutionJson {
  status: string;
  trigger?: { triggerType: string };
  namespaces?: Record<string, Record<string, string>>;
}

describe('pipewright serve: git webhook, approval email, approval link', () => {
  it('runs the pushed commit from a signed webhook and succeeds once the emailed link is used to approve', async () => {
    // Prepare: an SMTP server, and a copy of the web-app example that mails approvals to it.
    const smtp = await startSmtp();
    const cwd = mkdtempSync(join(tmpdir(), 'pipewright-serve-email-'));
    cleanups.push(() => rmSync(cwd, { recursive: true, force: true }));
    const dir = join(cwd, 'web-app');
    cpSync(join(root, 'examples/web-app'), dir, {
      recursive: true,
      filter: (src) => !/[/\\](repo|deployed)$/.test(src),
    });
    appendFileSync(
      join(dir, 'pipewright.local.yaml'),
      `\nsmtp:\n  host: 127.0.0.1\n  port: ${smtp.port}\n  secure: false\n  from: Pipewright <pipewright@example.com>\n`,
    );
    const pipelineFile = join(dir, 'pipeline.yaml');
    const original = readFileSync(pipelineFile, 'utf8');
    expect(original).toMatch(/^stages:$/m);
    writeFileSync(
      pipelineFile,
      original.replace(
        /^stages:$/m,
        'notifications:\n  - emails: [approver@example.com]\n    events: [approval.requested]\nstages:',
      ),
    );
    const child = spawn(process.execPath, [bin, 'serve', '--dir', dir, '--port', '0'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
    });
    cleanups.push(() => {
      child.kill('SIGKILL');
    });
    const output = { text: '' };
    const errors = { text: '' };
    child.stdout.on('data', (chunk: Buffer) => {
      output.text += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      errors.text += chunk.toString();
    });
    const [, base] = await waitFor(child, output, /on (http:\/\/127\.0\.0\.1:\d+)/);
    const token = readFileSync(join(cwd, '.pipewright/api-token'), 'utf8').trim();
    const secret = readFileSync(join(cwd, '.pipewright/webhook-secret-web-app'), 'utf8').trim();

    // A commit to the repository serve made from the example's app.
    const repo = join(dir, 'repo');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.invalid', ...args], {
        cwd: repo,
        encoding: 'utf8',
      }).trim();
    writeFileSync(join(repo, 'src/greeting.txt'), 'hello from an emailed approval\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'Add a greeting');
    const commit = git('rev-parse', 'HEAD');
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: commit,
      repository: { full_name: 'example/web-app', name: 'web-app' },
      head_commit: { id: commit, message: 'Add a greeting', timestamp: new Date().toISOString() },
      commits: [
        { id: commit, message: 'Add a greeting', added: ['src/greeting.txt'], modified: [], removed: [] },
      ],
    });

    // Act: deliver the signed push webhook.
    const delivered = await fetch(`${base}/webhooks/github/web-app`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': 'delivery-email-1',
        'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      },
    });
    const result = (await delivered.json()) as { matched: boolean; executionId?: string };
    expect(delivered.status).toBe(202);
    expect(result.matched).toBe(true);
    const executionId = result.executionId ?? '';

    // The approval email arrives; its link opens the review page, whose form approves.
    const mails = await poll(
      () => smtp.mails,
      (m) => m.length > 0,
    );
    expect(mails, `no email arrived; server stderr:\n${errors.text}`).toHaveLength(1);
    const mail = mails[0] as Mail;
    const link = /https?:\/\/\S+\/approvals\/\S+/.exec(mail.text)?.[0] ?? '';
    expect(link, mail.text).not.toBe('');
    const page = await fetch(link);
    const html = await page.text();
    const url = new URL(link);
    const decided = await fetch(`${url.origin}${url.pathname}`, {
      method: 'POST',
      body: new URLSearchParams({
        expires: url.searchParams.get('expires') ?? '',
        signature: url.searchParams.get('signature') ?? '',
        decision: 'approve',
        comment: 'approved from the email',
      }),
      redirect: 'manual',
    });
    const view = await poll(
      async () =>
        (await (
          await fetch(`${base}/api/executions/${executionId}`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json()) as ExecutionJson,
      (v) => v.status === 'Succeeded' || v.status === 'Failed',
    );

    // Assess
    expect(mail.to).toEqual(['approver@example.com']);
    expect(mail.subject).toContain('approval needed for Approval/Release');
    expect(mail.text).toContain(executionId);
    expect(mail.text).toContain(commit);
    expect(url.origin).toBe(base);
    expect(page.status).toBe(200);
    expect(html).toMatch(/<form[^>]+method="post"/i);
    expect(html).toContain('Approval/Release');
    expect([200, 303]).toContain(decided.status);
    expect(view.status).toBe('Succeeded');
    expect(view.trigger?.triggerType).toBe('WebhookV2');
    expect(view.namespaces?.SourceVariables?.CommitId).toBe(commit);
    expect(smtp.mails).toHaveLength(1);
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
