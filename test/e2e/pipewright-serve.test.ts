/**
 * `pipewright serve` end to end: the real binary as a server on a free port, an execution
 * started through the JSON API, its approval decided through the signed link's page, and the
 * result read back through the API.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = join(root, 'packages/cli/bin/pipewright.js');
const temps: string[] = [];
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

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

describe('pipewright serve', () => {
  it('starts an execution through the API and finishes it once the signed approval link is used', async () => {
    // Prepare
    const cwd = mkdtempSync(join(tmpdir(), 'pipewright-serve-'));
    temps.push(cwd);
    cpSync(join(root, 'examples/web-app'), join(cwd, 'web-app'), {
      recursive: true,
      filter: (src) => !/[/\\](repo|deployed)$/.test(src),
    });
    const child = spawn(process.execPath, [bin, 'serve', '--dir', 'web-app', '--port', '0'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
    });
    children.push(child);
    const output = { text: '' };
    child.stdout.on('data', (chunk: Buffer) => {
      output.text += chunk.toString();
    });
    const [, base] = await waitFor(child, output, /on (http:\/\/127\.0\.0\.1:\d+)/);
    const token = readFileSync(join(cwd, '.pipewright/api-token'), 'utf8').trim();
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
    const [link] = await waitFor(child, output, /http:\/\/127\.0\.0\.1:\d+\/approvals\/\S+/);
    const page = await fetch(link);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Approval/Release');
    expect(html).toMatch(/<form[^>]+method="post"/i);
    const url = new URL(link);
    const form = new URLSearchParams({
      expires: url.searchParams.get('expires') ?? '',
      signature: url.searchParams.get('signature') ?? '',
      decision: 'approve',
      comment: 'looks good',
    });
    const decided = await fetch(`${url.origin}${url.pathname}`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect([200, 303]).toContain(decided.status);
    let status = '';
    for (let i = 0; i < 100 && status !== 'Succeeded' && status !== 'Failed'; i++) {
      await new Promise((done) => setTimeout(done, 100));
      status = ((await (await api(`/api/executions/${executionId}`)).json()) as { status: string }).status;
    }
    const again = await fetch(`${url.origin}${url.pathname}`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });

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
    await waitFor(child, output, new RegExp(`${secondId}: Approval/Release waits for approval`));
    const approved = cli('approve', secondId, '--comment', 'from the cli');
    expect(approved.code, approved.stderr).toBe(0);
    const third = JSON.parse(cli('start', 'web-app', '--json').stdout) as { executionId: string };
    await waitFor(child, output, new RegExp(`${third.executionId}: Approval/Release waits for approval`));
    const stopped = cli('stop', third.executionId, '--abandon', '--reason', 'not today', '--json');
    expect(stopped.code, stopped.stderr).toBe(0);
    expect((JSON.parse(stopped.stdout) as { status: string }).status).toBe('Stopped');
    let secondStatus = '';
    for (let i = 0; i < 100 && secondStatus !== 'Succeeded'; i++) {
      await new Promise((done) => setTimeout(done, 100));
      secondStatus = ((await (await api(`/api/executions/${secondId}`)).json()) as { status: string }).status;
    }
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
    let rollbackView = { status: '', executionType: '' };
    for (let i = 0; i < 100 && rollbackView.status !== 'Succeeded' && rollbackView.status !== 'Failed'; i++) {
      await new Promise((done) => setTimeout(done, 100));
      rollbackView = (await (
        await api(`/api/executions/${rollback.executionId}`)
      ).json()) as typeof rollbackView;
    }
    expect(rollbackView).toMatchObject({ status: 'Succeeded', executionType: 'ROLLBACK' });

    // An invalid edit is reported and the last good version keeps serving; a valid one is a new version.
    const errors = { text: '' };
    child.stderr.on('data', (chunk: Buffer) => {
      errors.text += chunk.toString();
    });
    const file = join(cwd, 'web-app/pipeline.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, `${original}\n  - name: Broken\n    actions: []\n`);
    for (let i = 0; i < 100 && !errors.text.includes('the last good version keeps running'); i++) {
      await new Promise((done) => setTimeout(done, 100));
    }
    expect(errors.text).toContain('the last good version keeps running');
    writeFileSync(file, original.replace('DEPLOY_ENV: staging', 'DEPLOY_ENV: production'));
    await waitFor(child, output, /web-app is now version 2/);
    const described = (await (await api('/api/pipelines/web-app')).json()) as {
      definition?: { version?: number };
    };
    expect(JSON.stringify(described)).toContain('production');

    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('runs the pipeline when a signed GitHub push webhook reports a new commit, and builds that commit', async () => {
    // Prepare: a server; its first start makes the example's git repository.
    const cwd = mkdtempSync(join(tmpdir(), 'pipewright-webhook-'));
    temps.push(cwd);
    cpSync(join(root, 'examples/web-app'), join(cwd, 'web-app'), {
      recursive: true,
      filter: (src) => !/[/\\](repo|deployed)$/.test(src),
    });
    const child = spawn(process.execPath, [bin, 'serve', '--dir', 'web-app', '--port', '0'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
    });
    children.push(child);
    const output = { text: '' };
    child.stdout.on('data', (chunk: Buffer) => {
      output.text += chunk.toString();
    });
    const [, base] = await waitFor(child, output, /on (http:\/\/127\.0\.0\.1:\d+)/);
    const repo = join(cwd, 'web-app/repo');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.invalid', ...args], {
        cwd: repo,
        encoding: 'utf8',
      }).trim();
    writeFileSync(join(repo, 'src/greeting.txt'), 'hello from a webhook\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'Add a greeting');
    const commit = git('rev-parse', 'HEAD');
    git('commit', '-q', '--allow-empty', '-m', 'A later commit the webhook does not name');
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
    const secret = readFileSync(join(cwd, '.pipewright/webhook-secret-web-app'), 'utf8').trim();
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const deliver = (sig: string) =>
      fetch(`${base}/webhooks/github/web-app`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': 'delivery-1',
          'x-hub-signature-256': sig,
        },
      });
    // Act
    const forged = await deliver(`sha256=${'0'.repeat(64)}`);
    const delivered = await deliver(signature);
    const result = (await delivered.json()) as { matched: boolean; executionId?: string };
    const again = (await (await deliver(signature)).json()) as { executionId?: string };
    await waitFor(child, output, new RegExp(`${result.executionId}: Approval/Release waits for approval`));
    const approve = spawnSync(
      process.execPath,
      [bin, 'approve', result.executionId ?? '', '--comment', 'ok'],
      {
        cwd,
        encoding: 'utf8',
      },
    );
    expect(approve.status, approve.stderr).toBe(0);
    const token = readFileSync(join(cwd, '.pipewright/api-token'), 'utf8').trim();
    let view: {
      status: string;
      trigger?: { triggerType: string };
      namespaces?: Record<string, Record<string, string>>;
    } = {
      status: '',
    };
    for (let i = 0; i < 100 && view.status !== 'Succeeded' && view.status !== 'Failed'; i++) {
      await new Promise((done) => setTimeout(done, 100));
      view = (await (
        await fetch(`${base}/api/executions/${result.executionId}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as typeof view;
    }
    // Assess
    expect(forged.status).toBe(401);
    expect(delivered.status).toBe(202);
    expect(result.matched).toBe(true);
    expect(again.executionId).toBe(result.executionId);
    expect(view.status).toBe('Succeeded');
    expect(view.trigger?.triggerType).toBe('WebhookV2');
    expect(view.namespaces?.SourceVariables?.CommitId).toBe(commit);
    child.kill('SIGTERM');
  });
});
