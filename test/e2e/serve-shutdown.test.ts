/**
 * `pipewright serve` stops when told to (SIGTERM, SIGINT), as a real child process:
 * - with an execution waiting at a manual approval and a dashboard tab listening to its live
 *   updates (a Server-Sent Events stream never ends by itself, and the approval's task holds a
 *   60-minute timer), it exits within the 5 s the issue asks for, and the execution resumes on
 *   the next start and can still be approved;
 * - a second signal ends it at once, while the first still waits for a running action that
 *   ignores SIGTERM (which alone takes the 5 s kill grace);
 * - an action the stop interrupts is left as a crash leaves it, and runs again on the next start.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { initRepo } from '../support/git.ts';
import { PIPEWRIGHT_BIN } from '../support/paths.ts';
import { commandPipelineYaml } from '../support/pipeline-yaml.ts';
import { poll } from '../support/poll.ts';
import { approveByLink, getExecution, readApiToken, waitForExecution } from '../support/serve-api.ts';
import { startServe } from '../support/serve-process.ts';
import { copyExample, tempDirSync } from '../support/temp-dirs.ts';

const cleanups = cleanupsAfter(afterAll);
/** The bound: a stop request ends `serve` within 5 s. */
const STOP_BOUND_MS = 5_000;

/** Signs in to the dashboard the way its login form does; the session cookie. */
async function signIn(base: string, token: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ token, user: 'tab', next: '/' }).toString(),
  });
  expect(res.status).toBe(303);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

/** Opens the overview's live stream; `ended` settles once the stream ends. */
async function openLiveStream(base: string, cookie: string): Promise<{ ended: Promise<boolean> }> {
  const live = await fetch(`${base}/dashboard/live?view=overview`, { headers: { cookie } });
  expect(live.status).toBe(200);
  const reader = (live.body as ReadableStream<Uint8Array>).getReader();
  const first = await reader.read();
  expect(new TextDecoder().decode(first.value)).toContain(': connected to overview');
  const ended = (async () => {
    try {
      while (!(await reader.read()).done);
    } catch {
      // the connection was dropped: the stream is over too
    }
    return true;
  })();
  return { ended };
}

/** How the process ended, and how long after `since` (ms); `undefined` after 30 s. */
function exitOf(child: ChildProcess, since: () => number) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number } | undefined>(
    (done) => {
      const timer = setTimeout(() => done(undefined), 30_000);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        done({ code, signal, afterMs: Date.now() - since() });
      });
    },
  );
}

async function startExecution(base: string, token: string, pipeline: string): Promise<string> {
  const started = await fetch(`${base}/api/pipelines/${pipeline}/executions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  expect(started.status).toBe(201);
  return ((await started.json()) as { executionId: string }).executionId;
}

describe('pipewright serve stops when asked', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits on ${signal} within 5 s with an approval waiting and a live stream open; the execution resumes on the next start`, async () => {
      // Prepare: a server, an execution waiting at its approval, a dashboard's live stream.
      const cwd = tempDirSync(cleanups, 'pipewright-serve-stop-');
      copyExample('web-app', join(cwd, 'web-app'));
      const serve = await startServe({ cwd, dir: 'web-app', cleanups });
      const token = readApiToken(cwd);
      const executionId = await startExecution(serve.base, token, 'web-app');
      const [link] = await serve.waitFor(/http:\/\/127\.0\.0\.1:\d+\/approvals\/\S+/);
      const stream = await openLiveStream(serve.base, await signIn(serve.base, token));
      let sentAt = 0;
      const exit = exitOf(serve.child, () => sentAt);

      // Act
      sentAt = Date.now();
      serve.child.kill(signal);
      const ended = await exit;

      // Assess: a clean exit within the bound, the stream ended, the execution still open.
      expect(ended, `serve did not exit after ${signal}: ${serve.transcript.text}`).toMatchObject({
        code: 0,
      });
      expect(ended?.afterMs).toBeLessThan(STOP_BOUND_MS);
      expect(await stream.ended).toBe(true);
      expect(serve.output.text).toContain('Stopping:');
      const again = await startServe({ cwd, dir: 'web-app', cleanups });
      await again.waitFor(new RegExp(`Resumed 1 execution\\(s\\) after a restart: ${executionId}`));
      expect((await getExecution<{ status: string }>(again.base, token, executionId)).status).toBe(
        'InProgress',
      );
      const url = new URL(link);
      const decided = await approveByLink(
        `${again.base}${url.pathname}${url.search}`,
        'after a restart',
        token,
      );
      expect([200, 303]).toContain(decided.status);
      const view = await waitForExecution(again.base, token, executionId, { timeoutMs: 30_000 });
      expect(view.status, again.transcript.text).toBe('Succeeded');
      expect(await again.stop()).toBe(0);
    }, 120_000);
  }

  it('ends at once on a second signal while the first waits for an action that ignores SIGTERM', async () => {
    // Prepare: a pipeline whose action ignores SIGTERM (stopping it alone takes the 5 s kill
    // grace before SIGKILL), running.
    const cwd = tempDirSync(cleanups, 'pipewright-serve-twice-');
    const pipelines = join(cwd, 'pipelines');
    initRepo(join(pipelines, 'repo'));
    const started = join(cwd, 'started');
    writeFileSync(
      join(pipelines, 'pipeline.yaml'),
      commandPipelineYaml({
        name: 'stubborn',
        stage: 'Test',
        action: 'Stubborn',
        category: 'Test',
        command: `trap "" TERM; touch ${JSON.stringify(started)}; sleep 20`,
      }),
    );
    const serve = await startServe({ cwd, dir: 'pipelines', cleanups });
    const token = readApiToken(cwd);
    const executionId = await startExecution(serve.base, token, 'stubborn');
    const running = await poll(
      () => getExecution<{ status: string }>(serve.base, token, executionId),
      () => existsSync(started),
      { timeoutMs: 30_000 },
    );
    expect(running.status).toBe('InProgress');
    let sentAt = 0;
    const exit = exitOf(serve.child, () => sentAt);

    // Act: a first signal; once it is stopping, a second.
    sentAt = Date.now();
    serve.child.kill('SIGTERM');
    await serve.waitFor(/Stopping:/);
    serve.child.kill('SIGINT');
    const ended = await exit;

    // Assess: ended by the second signal, sooner than the first alone could have.
    expect(ended, serve.transcript.text).toMatchObject({ signal: 'SIGINT', code: null });
    expect(ended?.afterMs).toBeLessThan(STOP_BOUND_MS);
    expect(serve.errors.text).toContain('SIGINT again: stopping at once');
    const again = await startServe({ cwd, dir: 'pipelines', cleanups });
    await again.waitFor(new RegExp(`Resumed 1 execution\\(s\\) after a restart: ${executionId}`));
    again.child.kill('SIGKILL');
  }, 60_000);

  it('leaves an action the first signal stops as a crash does: it runs again on the next start', async () => {
    // Prepare: an action that sleeps on its first run and ends at once on its second, running.
    const cwd = tempDirSync(cleanups, 'pipewright-serve-rerun-');
    const pipelines = join(cwd, 'pipelines');
    initRepo(join(pipelines, 'repo'));
    const runs = join(cwd, 'runs.txt');
    const runsArg = JSON.stringify(runs);
    writeFileSync(
      join(pipelines, 'pipeline.yaml'),
      commandPipelineYaml({
        name: 'rerun',
        command: `echo run >> ${runsArg}; [ "$(wc -l < ${runsArg})" -ge 2 ] || sleep 30`,
      }),
    );
    const serve = await startServe({ cwd, dir: 'pipelines', cleanups });
    const token = readApiToken(cwd);
    const executionId = await startExecution(serve.base, token, 'rerun');
    await poll(
      () => existsSync(runs),
      (found) => found,
      { timeoutMs: 30_000 },
    );

    // Act
    expect(await serve.stop()).toBe(0);
    const again = await startServe({ cwd, dir: 'pipelines', cleanups });

    // Assess: the interrupted attempt is failed as interrupted, and a second one succeeds.
    const view = await waitForExecution<{
      status: string;
      stages: { actions: { attempts: { status: string; error?: { message: string } }[] }[] }[];
    }>(again.base, token, executionId, { timeoutMs: 30_000 });
    expect(view.status, again.transcript.text).toBe('Succeeded');
    const attempts = view.stages[1]?.actions[0]?.attempts ?? [];
    expect(attempts.map((a) => a.status)).toEqual(['Failed', 'Succeeded']);
    expect(attempts[0]?.error?.message).toContain('interrupted');
    expect(await again.stop()).toBe(0);
  }, 90_000);

  it('exits at once with a clear message when its port is in use', async () => {
    // Prepare: the port taken.
    const cwd = tempDirSync(cleanups, 'pipewright-serve-busy-');
    copyExample('web-app', join(cwd, 'web-app'));
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    cleanups.add(() => {
      taken.close();
    });
    const { port } = taken.address() as AddressInfo;

    // Act
    const child = spawn(
      process.execPath,
      [PIPEWRIGHT_BIN, 'serve', '--dir', 'web-app', '--port', String(port)],
      {
        cwd,
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    cleanups.add(() => {
      child.kill('SIGKILL');
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const ended = await exitOf(child, () => 0);

    // Assess
    expect(ended, `serve did not exit: ${stderr}`).toMatchObject({ code: 2 });
    expect(stderr).toContain(`pipewright: port ${port} on 127.0.0.1 is in use; choose another port`);
  }, 60_000);
});
