/**
 * `pipewright serve` end to end: the real binary as a server on a free port, an execution
 * started through the JSON API, its approval decided through the signed link's page, and the
 * result read back through the API.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { commitFile, gitIn } from '../support/git.ts';
import { deliverGithubPush, readWebhookSecret, signedGithubPush } from '../support/github-push.ts';
import { PIPEWRIGHT_BIN as bin } from '../support/paths.ts';
import { poll } from '../support/poll.ts';
import { approveByLink, readApiToken, waitForExecution } from '../support/serve-api.ts';
import { type ServeProcess, startServe } from '../support/serve-process.ts';
import { copyExample, tempDirSync } from '../support/temp-dirs.ts';

const cleanups = cleanupsAfter(afterAll);
/** The polls below give up after 10 s (then the assertion on what they read last fails). */
const POLL = { timeoutMs: 10_000 };

/** A copy of the web-app example in a fresh temp dir, served by `pipewright serve --dir web-app`. */
async function serveWebApp(prefix: string): Promise<{ cwd: string; serve: ServeProcess }> {
  const cwd = tempDirSync(cleanups, prefix);
  copyExample('web-app', join(cwd, 'web-app'));
  return { cwd, serve: await startServe({ cwd, dir: 'web-app', cleanups }) };
}

describe('pipewright serve', () => {
  it('starts an execution through the API and finishes it once the signed approval link is used', async () => {
    // Prepare
    const { cwd, serve } = await serveWebApp('pipewright-serve-');
    const { base } = serve;
    const token = readApiToken(cwd);
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
      });

    // Act: start, then decide the approval through its page.
    expect((await fetch(`${base}/api/pipelines`)).status).toBe(401);
    const started = await api('/api/pipelines/web-app/executions', {
      method: 'POST',
      body: JSON.stringify({ variables: { DEPLOY_ENV: 'served' } }),
    });
    expect(started.status).toBe(201);
    const { executionId } = (await started.json()) as { executionId: string };
    const [link] = await serve.waitFor(/http:\/\/127\.0\.0\.1:\d+\/approvals\/\S+/);
    const page = await fetch(link);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Approval/Release');
    expect(html).not.toMatch(/<form[^>]+method="post"/i);
    expect(html).toContain('Deciding needs an approver who is signed in');
    const decided = await approveByLink(link, 'looks good', token);
    expect([200, 303]).toContain(decided.status);
    const { status } = await waitForExecution(base, token, executionId, POLL);
    const again = await approveByLink(link, 'looks good', token);

    // Assess
    expect(status).toBe('Succeeded');
    expect(existsSync(join(cwd, 'web-app/deployed/served/dist/index.html'))).toBe(true);
    expect(again.status).toBe(409);

    // The CLI finds the running server through the state directory.
    const cli = (...args: string[]) => {
      const r = spawnSync(process.execPath, [bin, ...args], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const second = cli('start', 'web-app', '--var', 'DEPLOY_ENV=cli', '--json');
    expect(second.code, second.stderr).toBe(0);
    const secondId = (JSON.parse(second.stdout) as { executionId: string }).executionId;
    await serve.waitFor(new RegExp(`${secondId}: Approval/Release waits for approval`));
    const approved = cli('approve', secondId, '--comment', 'from the cli');
    expect(approved.code, approved.stderr).toBe(0);
    const third = JSON.parse(cli('start', 'web-app', '--json').stdout) as { executionId: string };
    await serve.waitFor(new RegExp(`${third.executionId}: Approval/Release waits for approval`));
    const stopped = cli('stop', third.executionId, '--abandon', '--reason', 'not today', '--json');
    expect(stopped.code, stopped.stderr).toBe(0);
    expect((JSON.parse(stopped.stdout) as { status: string }).status).toBe('Stopped');
    const { status: secondStatus } = await waitForExecution(base, token, secondId, POLL);
    expect(secondStatus).toBe('Succeeded');
    expect(existsSync(join(cwd, 'web-app/deployed/cli/dist/index.html'))).toBe(true);

    // Operator controls through the CLI.
    const disabled = cli('transitions', 'web-app', 'Deploy', '--disable', '--reason', 'release freeze');
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stdout).toContain('disabled (release freeze)');
    expect(cli('transitions', 'web-app', 'Deploy', '--enable').stdout).toContain('is enabled');
    const notFailed = cli('retry', secondId, 'Test');
    expect(notFailed.code).toBe(1);
    expect(notFailed.stderr).toMatch(/^pipewright: execution .+ (ended|is not|has no|Succeeded)/);

    // Roll Deploy back to the last execution in which it succeeded.
    const rolled = cli('rollback', 'web-app', 'Deploy', '--json');
    expect(rolled.code, rolled.stderr).toBe(0);
    const rollback = JSON.parse(rolled.stdout) as { executionId: string; targetExecutionId: string };
    expect(rollback.targetExecutionId).toBe(secondId);
    const rollbackView = await waitForExecution<{ status: string; executionType: string }>(
      base,
      token,
      rollback.executionId,
      POLL,
    );
    expect(rollbackView).toMatchObject({ status: 'Succeeded', executionType: 'ROLLBACK' });

    // An invalid edit is reported and the last good version keeps serving; a valid one is a new version.
    const { errors } = serve;
    const file = join(cwd, 'web-app/pipeline.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, `${original}\n  - name: Broken\n    actions: []\n`);
    await poll(
      () => errors.text,
      (text) => text.includes('the last good version keeps running'),
      POLL,
    );
    expect(errors.text).toContain('the last good version keeps running');
    writeFileSync(file, original.replace('DEPLOY_ENV: staging', 'DEPLOY_ENV: production'));
    await serve.waitFor(/web-app is now version 2/);
    const described = (await (await api('/api/pipelines/web-app')).json()) as {
      definition?: { version?: number };
    };
    expect(JSON.stringify(described)).toContain('production');

    expect(await serve.stop()).toBe(0);
  });

  it('runs the pipeline when a signed GitHub push webhook reports a new commit, and builds that commit', async () => {
    // Prepare: a server; its first start makes the example's git repository.
    const { cwd, serve } = await serveWebApp('pipewright-webhook-');
    const { base } = serve;
    const repo = join(cwd, 'web-app/repo');
    const commit = commitFile(repo, 'src/greeting.txt', 'hello from a webhook\n', 'Add a greeting');
    gitIn(repo)('commit', '-q', '--allow-empty', '-m', 'A later commit the webhook does not name');
    const secret = readWebhookSecret(cwd, 'web-app');
    const { body, signature } = signedGithubPush(secret, commit, 'Add a greeting', ['src/greeting.txt']);
    const deliver = (sig: string) => deliverGithubPush(base, 'web-app', body, sig, 'delivery-1');
    // Act
    const forged = await deliver(`sha256=${'0'.repeat(64)}`);
    const delivered = await deliver(signature);
    const result = (await delivered.json()) as { matched: boolean; executionId?: string };
    const again = (await (await deliver(signature)).json()) as { executionId?: string };
    await serve.waitFor(new RegExp(`${result.executionId}: Approval/Release waits for approval`));
    const approve = spawnSync(
      process.execPath,
      [bin, 'approve', result.executionId ?? '', '--comment', 'ok'],
      {
        cwd,
        encoding: 'utf8',
      },
    );
    expect(approve.status, approve.stderr).toBe(0);
    const view = await waitForExecution<{
      status: string;
      trigger?: { triggerType: string };
      namespaces?: Record<string, Record<string, string>>;
    }>(base, readApiToken(cwd), result.executionId ?? '', POLL);
    // Assess
    expect(forged.status).toBe(401);
    expect(delivered.status).toBe(202);
    expect(result.matched).toBe(true);
    expect(again.executionId).toBe(result.executionId);
    expect(view.status).toBe('Succeeded');
    expect(view.trigger?.triggerType).toBe('WebhookV2');
    expect(view.namespaces?.SourceVariables?.CommitId).toBe(commit);
    serve.child.kill('SIGTERM');
  });
});
