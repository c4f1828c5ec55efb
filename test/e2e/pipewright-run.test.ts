/**
 * `pipewright run` end to end, as a new user runs it: the real binary in a child process, in
 * a fresh directory holding a copy of the examples, with real git, real child processes and
 * the SQLite event log. Folding the log must give exactly what `pipewright show` prints.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ExecutionView, foldExecution, parseStoredEvent } from '@pipewright/core';
import { pipelineDefinition } from '@pipewright/engine';
import { SqliteEventStore } from '@pipewright/local';
import { afterAll, describe, expect, it } from 'vitest';
import { copyExample } from '../support/temp-dirs.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = join(root, 'packages/cli/bin/pipewright.js');
const temps: string[] = [];

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A fresh working directory holding a copy of `examples/<name>`. */
function workdir(...examples: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'pipewright-e2e-'));
  temps.push(dir);
  for (const name of examples) {
    copyExample(name, join(dir, 'examples', name));
  }
  return dir;
}

function pipewright(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', PIPEWRIGHT_STATE_DIR: '' },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines.at(-1) ?? '{}') as Record<string, unknown>;
}

/** Folds an execution straight from the SQLite log, against the definition version it ran. */
async function foldFromLog(cwd: string, executionId: string): Promise<ExecutionView> {
  const store = SqliteEventStore.open(join(cwd, '.pipewright', 'events.db'));
  try {
    const records = await store.read(`execution-${executionId}`);
    const first = records[0]?.data as { pipelineName: string; pipelineVersion: number };
    const pipeline = await pipelineDefinition(store, first.pipelineName, first.pipelineVersion);
    return foldExecution(
      records.map((r) => parseStoredEvent(r)),
      pipeline,
    );
  } finally {
    await store.close();
  }
}

interface StageJson {
  name: string;
  status: string;
  actions: { name: string; status: string }[];
}

describe('pipewright run', () => {
  it.each([
    ['web-app', 'examples/web-app/pipeline.yaml', 5],
    ['seed', 'examples/seed/template.yaml', 2],
    ['buildspec', 'examples/buildspec/pipeline.yaml', 2],
  ])('runs the %s example to Succeeded from a fresh directory', async (name, file, stages) => {
    // Prepare
    const cwd = workdir(name);
    // Act
    const { code, stdout, stderr } = pipewright(['run', file, '--approve', '--json'], cwd);
    // Assess
    expect(code, stderr).toBe(0);
    const summary = lastJson(stdout);
    expect(summary.status).toBe('Succeeded');
    const stageList = summary.stages as StageJson[];
    expect(stageList).toHaveLength(stages);
    for (const stage of stageList) {
      expect(stage.status, stage.name).toBe('Succeeded');
      for (const action of stage.actions) expect(action.status, action.name).toBe('Succeeded');
    }
    expect(stderr).toContain('Set up the example repository');
    const view = await foldFromLog(cwd, String(summary.pipelineExecutionId));
    expect(view.status).toBe('Succeeded');
  });

  it('deploys the web app to the directory named by the variable, and shows exactly the fold of its log', async () => {
    // Prepare
    const cwd = workdir('web-app');
    // Act
    const run = pipewright(
      ['run', 'examples/web-app/pipeline.yaml', '--approve', '--var', 'DEPLOY_ENV=prod'],
      cwd,
    );
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✔ Test\/UnitTests Succeeded/);
    expect(run.stdout).toMatch(/Succeeded in [\d.]+s: 5 stages, 6 actions/);
    const deployed = join(cwd, 'examples/web-app/deployed/prod/dist/index.html');
    expect(existsSync(deployed)).toBe(true);
    const executionId = /execution ([0-9a-f-]{36})/.exec(run.stdout)?.[1] ?? '';
    const show = pipewright(['show', executionId, '--json'], cwd);
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toEqual(JSON.parse(JSON.stringify(await foldFromLog(cwd, executionId))));
  });

  it('exits 1 naming the failing action and showing its last log lines when a test fails', async () => {
    // Prepare: the repository is made from app/ on the first run, so break a test there first.
    const cwd = workdir('web-app');
    const testFile = join(cwd, 'examples/web-app/app/test/greet.test.js');
    writeFileSync(
      testFile,
      `${readFileSync(testFile, 'utf8')}\nimport { test as failing } from 'node:test';\nfailing('fails on purpose', () => { throw new Error('deliberately broken test'); });\n`,
    );
    // Act
    const { code, stdout } = pipewright(['run', 'examples/web-app/pipeline.yaml', '--approve'], cwd);
    // Assess
    expect(code).toBe(1);
    expect(stdout).toMatch(/✘ Test\/UnitTests Failed/);
    expect(stdout).toContain('deliberately broken test');
    expect(stdout).toMatch(/Failed in [\d.]+s at Test\/UnitTests/);
    expect(stdout).not.toMatch(/▶ Approval/);
    const json = pipewright(['run', 'examples/web-app/pipeline.yaml', '--approve', '--json'], cwd);
    expect(json.code).toBe(1);
    expect(lastJson(json.stdout).status).toBe('Failed');
  });

  it('exits 1 when the approval is rejected, and records who rejected it', async () => {
    // Prepare
    const cwd = workdir('web-app');
    // Act
    const { code, stdout } = pipewright(
      ['run', 'examples/web-app/pipeline.yaml', '--reject', '--comment', 'not during the freeze'],
      cwd,
    );
    // Assess
    expect(code).toBe(1);
    expect(stdout).toMatch(/✘ Approval\/Release rejected by .+: not during the freeze/);
    expect(existsSync(join(cwd, 'examples/web-app/deployed'))).toBe(false);
  });

  it('exits 2 with the problems when the pipeline is invalid, and 2 for an undeclared variable', () => {
    // Prepare
    const cwd = workdir('web-app');
    writeFileSync(join(cwd, 'bad.yaml'), 'name: bad\nstages: []\n');
    // Act
    const invalid = pipewright(['run', 'bad.yaml'], cwd);
    const undeclared = pipewright(['run', 'examples/web-app/pipeline.yaml', '--var', 'NOPE=1'], cwd);
    // Assess
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/bad\.yaml:\d+:\d+/);
    expect(undeclared.code).toBe(2);
    expect(undeclared.stderr).toContain('variable "NOPE" is not declared');
  });

  it('leaves a log that show renders as InProgress after kill -9 mid-run', async () => {
    // Prepare: a pipeline whose build sleeps, from a real git repository.
    const cwd = workdir();
    const repo = join(cwd, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
        cwd: repo,
      });
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'README.md'), 'hello\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'first');
    writeFileSync(
      join(cwd, 'slow.yaml'),
      [
        'name: slow',
        'stages:',
        '  - name: Source',
        '    actions:',
        '      - { name: Checkout, type: Source/Git, configuration: { RepositoryUrl: ./repo, BranchName: main }, outputs: [Src] }',
        '  - name: Build',
        '    actions:',
        '      - { name: Sleep, type: Build/Commands, inputs: [Src], commands: ["echo started", "sleep 60"] }',
        '',
      ].join('\n'),
    );
    const child = spawn(process.execPath, [bin, 'run', 'slow.yaml'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no progress: ${out}`)), 30_000);
      child.stdout.on('data', () => {
        if (out.includes('Build/Sleep InProgress')) {
          clearTimeout(timer);
          done();
        }
      });
    });
    // Act
    child.kill('SIGKILL');
    await new Promise((done) => child.on('exit', done));
    const executionId = /execution ([0-9a-f-]{36})/.exec(out)?.[1] ?? '';
    const show = pipewright(['show', executionId], cwd);
    const json = pipewright(['show', executionId, '--json'], cwd);
    // Assess
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('InProgress');
    const view = JSON.parse(json.stdout) as ExecutionView;
    expect(view.status).toBe('InProgress');
    expect(view.stages.find((s) => s.stageName === 'Source')?.status).toBe('Succeeded');
    expect(view.stages.find((s) => s.stageName === 'Build')?.actions[0]?.status).toBe('InProgress');
  });
});
