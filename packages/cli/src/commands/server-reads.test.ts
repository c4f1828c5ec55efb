/**
 * The reading commands through a running `pipewright serve` (a real child process on a free
 * port): the same output as from the local event log, a log followed live while a slow
 * Commands action runs, and a commit to the local repository picked up by the git poller.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const bin = join(root, 'packages/cli/bin/pipewright.js');
const { PIPEWRIGHT_STATE_DIR: _s, PIPEWRIGHT_SERVER: _u, PIPEWRIGHT_TOKEN: _t, ...inherited } = process.env;
const GIT_ENV = {
  ...inherited,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

let cwd = '';
let base = '';
let child: ChildProcess | undefined;
const output = { text: '' };

const PIPELINE = (release: string) => `name: slow-app
executionMode: PARALLEL
stages:
  - name: Source
    actions:
      - name: Checkout
        type: Source/Git
        configuration:
          RepositoryUrl: ./repo
          BranchName: main
        outputs: [SourceOutput]
  - name: Build
    actions:
      - name: Slow
        type: Build/Commands
        inputs: [SourceOutput]
        env:
          RELEASE: ${JSON.stringify(release)}
        commands:
          - echo "started-marker"
          - while [ ! -f "$RELEASE" ]; do sleep 0.05; done
          - echo "finished-marker"
`;

function git(...args: string[]): string {
  return execFileSync('git', args, {
    cwd: join(cwd, 'pipelines/repo'),
    env: GIT_ENV,
    encoding: 'utf8',
  }).trim();
}

/** Runs a command through `main`, in this process; `seen` is filled as it writes. */
async function cli(args: string[], env: Record<string, string> = {}, seen = { text: '' }) {
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (seen.text += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd,
    env: { NO_COLOR: '1', ...env },
  });
  return { code, stdout: seen.text, stderr };
}

/** Waits until `check` is true (polling); fails after 30 s. */
async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`timed out waiting for ${what}; server output: ${output.text}`);
}

async function status(executionId: string): Promise<string> {
  const r = await cli(['show', executionId, '--json']);
  return r.code === 0 ? (JSON.parse(r.stdout) as { status: string }).status : '';
}

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'pw-server-reads-'));
  const dir = join(cwd, 'pipelines');
  mkdirSync(join(dir, 'repo'), { recursive: true });
  writeFileSync(join(dir, 'pipeline.yaml'), PIPELINE(join(cwd, 'release')));
  git('init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'repo/README.md'), 'hello\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'Initial commit');
  child = spawn(
    process.execPath,
    [bin, 'serve', '--dir', 'pipelines', '--port', '0', '--poll-interval', '0.1'],
    {
      cwd,
      env: { ...inherited, NO_COLOR: '1' },
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    output.text += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output.text += chunk.toString();
  });
  await until('the server to listen', () => /on (http:\/\/127\.0\.0\.1:\d+)/.test(output.text));
  base = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(output.text)?.[1] ?? '';
}, 60_000);

afterAll(() => {
  child?.kill('SIGKILL');
  if (cwd !== '') rmSync(cwd, { recursive: true, force: true });
});

describe('reading commands through the server', () => {
  let executionId = '';

  it('follows a running action’s log live with logs --follow, through the server', async () => {
    // Prepare
    const started = await cli(['start', 'slow-app', '--json']);
    expect(started.code, started.stderr).toBe(0);
    executionId = (JSON.parse(started.stdout) as { executionId: string }).executionId;

    // Act: follow from before the action starts; release it once its first line arrived.
    const seen = { text: '' };
    const following = cli(['logs', executionId, 'Build/Slow', '--follow', '--server', base], {}, seen);
    await until('the first line of the followed log', () => seen.text.includes('started-marker'));
    const beforeRelease = seen.text;
    writeFileSync(join(cwd, 'release'), '');
    const followed = await following;
    await until('the execution to succeed', async () => (await status(executionId)) === 'Succeeded');
    const stored = await cli(['logs', executionId, 'Build/Slow']);

    // Assess
    expect(beforeRelease).not.toContain('finished-marker');
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout).toContain('finished-marker');
    expect(followed.stdout).toBe(stored.stdout);
  });

  it('prints exactly what the local event log gives for show, events, executions and logs', async () => {
    const commands = [
      ['show', executionId, '--json'],
      ['show', executionId],
      ['events', executionId, '--json'],
      ['events', executionId, '--from', '3'],
      ['executions', 'slow-app', '--json'],
      ['executions', 'slow-app'],
      ['logs', executionId, 'Slow'],
    ];
    for (const args of commands) {
      const local = await cli(args);
      const remote = await cli([...args, '--server', base]);
      const fromEnv = await cli(args, { PIPEWRIGHT_SERVER: base });
      expect(local.code, `${args.join(' ')}: ${local.stderr}`).toBe(0);
      expect(remote, args.join(' ')).toEqual(local);
      expect(fromEnv, args.join(' ')).toEqual(local);
    }
  });

  it('answers errors of the server as the local log does: unknown ids and pipelines are usage errors', async () => {
    const unknown = await cli(['show', 'no-such-execution', '--server', base]);
    const pipeline = await cli(['executions', 'nope', '--server', base]);
    const badToken = await cli(['show', executionId, '--server', base, '--token', 'wrong']);
    expect([unknown.code, pipeline.code]).toEqual([2, 2]);
    expect(unknown.stderr).toContain('no-such-execution');
    expect(pipeline.stderr).toContain('"nope"');
    expect(badToken.code).toBe(1);
  });

  it('starts the pipeline when a commit lands on the watched branch (git poller)', async () => {
    // Prepare
    writeFileSync(join(cwd, 'pipelines/repo/app.js'), 'console.log(1);\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'Add the app');
    const head = git('rev-parse', 'HEAD');

    // Act
    let rows: { pipelineExecutionId: string; trigger?: { triggerDetail?: string } }[] = [];
    await until('an execution started by the poller', async () => {
      const list = await cli(['executions', 'slow-app', '--json', '--server', base]);
      rows = (JSON.parse(list.stdout) as { executions: typeof rows }).executions;
      return rows.length === 2;
    });
    const [newest] = rows;
    const view = JSON.parse((await cli(['show', newest?.pipelineExecutionId ?? '', '--json'])).stdout) as {
      sourceRevisions?: { actionName: string; revisionId: string }[];
    };

    // Assess
    expect(newest?.trigger?.triggerDetail).toBe('poller:./repo@refs/heads/main');
    expect(view.sourceRevisions).toEqual([
      expect.objectContaining({ actionName: 'Checkout', revisionId: head }),
    ]);
  });
});
