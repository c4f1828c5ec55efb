/**
 * Acceptance (issue "serve"): `pipewright serve` as a real process on a free port; a commit to
 * the real local git repository it made; a signed GitHub push webhook; the approval email
 * reaching a real SMTP server (npm `smtp-server`) started here; the link from the delivered
 * message followed, the approval decided on its page, and the execution read back as
 * succeeded — all through HTTP.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { commitFile } from '../support/git.ts';
import { deliverGithubPush, readWebhookSecret, signedGithubPush } from '../support/github-push.ts';
import { poll } from '../support/poll.ts';
import { approveByLink, readApiToken, waitForExecution } from '../support/serve-api.ts';
import { startServe } from '../support/serve-process.ts';
import { type Mail, startSmtp } from '../support/smtp.ts';
import { copyExample, tempDirSync } from '../support/temp-dirs.ts';

const cleanups = cleanupsAfter(afterAll);

interface ExecutionJson {
  status: string;
  trigger?: { triggerType: string };
  namespaces?: Record<string, Record<string, string>>;
}

describe('pipewright serve: git webhook, approval email, approval link', () => {
  it('runs the pushed commit from a signed webhook and succeeds once the emailed link is used to approve', async () => {
    // Prepare: an SMTP server, and a copy of the web-app example that mails approvals to it.
    const smtp = await startSmtp(cleanups);
    const cwd = tempDirSync(cleanups, 'pipewright-serve-email-');
    const dir = join(cwd, 'web-app');
    copyExample('web-app', dir);
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
    const serve = await startServe({ cwd, dir, cleanups });
    const { base, errors } = serve;
    const token = readApiToken(cwd);
    const secret = readWebhookSecret(cwd, 'web-app');

    // A commit to the repository serve made from the example's app.
    const repo = join(dir, 'repo');
    const commit = commitFile(repo, 'src/greeting.txt', 'hello from an emailed approval\n', 'Add a greeting');
    const { body, signature } = signedGithubPush(secret, commit, 'Add a greeting', ['src/greeting.txt']);

    // Act: deliver the signed push webhook.
    const delivered = await deliverGithubPush(base, 'web-app', body, signature, 'delivery-email-1');
    const result = (await delivered.json()) as { matched: boolean; executionId?: string };
    expect(delivered.status).toBe(202);
    expect(result.matched).toBe(true);
    const executionId = result.executionId ?? '';

    // The approval email arrives; its link opens the review page; a signed-in approver decides there.
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
    const decided = await approveByLink(link, 'approved from the email', token);
    const view = await waitForExecution<ExecutionJson>(base, token, executionId);

    // Assess
    expect(mail.to).toEqual(['approver@example.com']);
    expect(mail.subject).toContain('approval needed for Approval/Release');
    expect(mail.text).toContain(executionId);
    expect(mail.text).toContain(commit);
    expect(url.origin).toBe(base);
    expect(page.status).toBe(200);
    expect(html).toContain('Deciding needs an approver who is signed in');
    expect(html).toContain('Approval/Release');
    expect([200, 303]).toContain(decided.status);
    expect(view.status).toBe('Succeeded');
    expect(view.trigger?.triggerType).toBe('WebhookV2');
    expect(view.namespaces?.SourceVariables?.CommitId).toBe(commit);
    expect(smtp.mails).toHaveLength(1);
    expect(await serve.stop()).toBe(0);
  }, 60_000);
});
