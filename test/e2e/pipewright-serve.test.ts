/**
 * `pipewright serve` end to end: the real binary as a server on a free port, an execution
 * started through the JSON API, its approval decided through the signed link's page, and the
 * result read back through the API.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
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
});
