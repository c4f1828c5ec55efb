import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type EventRecord,
  executionStream,
  foldExecution,
  parseStoredEvent,
  pipelineStream,
} from '@pipewright/core';
import { readExecution } from '@pipewright/engine';
import { SqliteEventStore } from '@pipewright/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const bin = join(root, 'packages/cli/bin/pipewright.js');

const { PIPEWRIGHT_STATE_DIR: _ignored, ...inherited } = process.env;

/** Runs the real `pipewright` binary in `cwd`, as a user would (state dir: `cwd/.pipewright`). */
function pipewright(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...inherited, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs a reading command in this process through `main` (what the binary calls), so that the
 * many checks below do not each pay a Node start-up.
 */
async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd,
    env: { NO_COLOR: '1' },
  });
  return { code, stdout, stderr };
}

/** Runs a pipeline to its end with every approval approved; returns its execution id. */
function runPipeline(file: string, cwd: string): string {
  const run = pipewright(['run', file, '--approve', '--json'], cwd);
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  const summary = JSON.parse(last) as { pipelineExecutionId: string };
  return summary.pipelineExecutionId;
}

const made: string[] = [];

/** A new temp directory, removed after the tests. */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

let temp = '';
let okId = '';
let failedId = '';

beforeAll(() => {
  // Prepare: two copies of the example in one directory (one state dir): one as is, one
  // whose unit test fails. The repository is created from app/ on the first run, so the
  // test is broken before it.
  // Only the files git tracks: a run of the example in the source tree leaves its `repo/`
  // (made from the unbroken app) and `deployed/` there, which must not reach the copies.
  temp = tempDir('pipewright-read-');
  const tracked = spawnSync('git', ['ls-files', '-z', 'examples/web-app'], { cwd: root, encoding: 'utf8' });
  if (tracked.status !== 0) throw new Error(`git ls-files failed: ${tracked.stderr}`);
  for (const file of tracked.stdout.split('\0').filter(Boolean)) {
    for (const copy of ['ok', 'bad']) {
      const to = join(temp, copy, relative('examples', file));
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(join(root, file), to);
    }
  }
  const greetTest = join(temp, 'bad/web-app/app/test/greet.test.js');
  writeFileSync(greetTest, readFileSync(greetTest, 'utf8').replace("'Hello, Ada!');", "'Hi, Ada!');"));
  okId = runPipeline('ok/web-app/pipeline.yaml', temp);
  failedId = runPipeline('bad/web-app/pipeline.yaml', temp);
}, 120_000);

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('pipewright executions', async () => {
  it('lists the executions newest first with status, trigger and source revision', async () => {
    const { code, stdout } = await cli(['executions', 'web-app'], temp);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('web-app · 2 executions, newest first');
    expect(lines[1]).toMatch(/^EXECUTION\s+STATUS\s+STARTED\s+DURATION\s+TRIGGER\s+SOURCE$/);
    expect(lines[2]).toMatch(new RegExp(`^${failedId}\\s+Failed\\s+\\d{4}-\\d\\d-\\d\\dT`));
    expect(lines[3]).toMatch(new RegExp(`^${okId}\\s+Succeeded\\s+`));
    expect(lines[3]).toContain('StartPipelineExecution (');
    expect(lines[3]).toMatch(/[0-9a-f]{7} Initial commit of the web-app example$/);
    expect(stdout).not.toContain('more: --cursor');
  });

  it('pages with --limit and --cursor, in text and --json', async () => {
    // Act
    const first = await cli(['executions', 'web-app', '--limit', '1', '--json'], temp);
    const page1 = JSON.parse(first.stdout) as {
      pipeline: string;
      executions: { pipelineExecutionId: string; status: string; durationMs?: number }[];
      nextCursor?: string;
    };
    const text = (await cli(['executions', 'web-app', '--limit', '1'], temp)).stdout.trim().split('\n');
    const second = await cli(
      ['executions', 'web-app', '--limit', '1', '--cursor', page1.nextCursor ?? '', '--json'],
      temp,
    );
    const page2 = JSON.parse(second.stdout) as typeof page1;

    // Assess
    expect(page1.pipeline).toBe('web-app');
    expect(page1.executions.map((e) => [e.pipelineExecutionId, e.status])).toEqual([[failedId, 'Failed']]);
    expect(page1.executions[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(page1.nextCursor).toEqual(expect.any(String));
    expect(text.at(-1)).toBe(`more: --cursor ${page1.nextCursor}`);
    expect(page2.executions.map((e) => [e.pipelineExecutionId, e.status])).toEqual([[okId, 'Succeeded']]);
    expect(page2.nextCursor).toBeUndefined();
  });

  it('exits 2 for an unknown pipeline, a bad --limit or a bad cursor', async () => {
    const unknown = await cli(['executions', 'no-such-pipeline'], temp);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no pipeline named "no-such-pipeline"');
    const limit = await cli(['executions', 'web-app', '--limit', '101'], temp);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('--limit takes a whole number from 1 to 100; got "101"');
    const cursor = await cli(['executions', 'web-app', '--cursor', 'garbage'], temp);
    expect(cursor.code).toBe(2);
    expect(cursor.stderr).toMatch(/^pipewright: invalid cursor "garbage"/);
  });

  it('exits 2 with a hint when there is no event log in the state dir', async () => {
    const empty = tempDir('pipewright-read-empty-');
    const { code, stderr } = pipewright(['executions', 'web-app'], empty);
    expect(code).toBe(2);
    expect(stderr).toContain('no event log at');
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('pipewright show', async () => {
  it('prints the header, every stage and action with outputs, the approval and the hint line', async () => {
    const { code, stdout } = await cli(['show', okId], temp);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(`web-app (version 1) · execution ${okId}`);
    expect(stdout).toMatch(/^Status\s+Succeeded$/m);
    expect(stdout).toMatch(/^Variables\s+DEPLOY_ENV=staging$/m);
    expect(stdout).toMatch(/^Ended\s+\S+ \(took [\d.]+m?s\)$/m);
    for (const stage of ['Source', 'Build', 'Test', 'Approval', 'Deploy']) {
      expect(stdout).toMatch(new RegExp(`^✔ ${stage}  Succeeded`, 'm'));
    }
    expect(stdout).toMatch(/^ {4}✔ UnitTests {2}Succeeded/m);
    expect(stdout).toMatch(/variables: RepositoryName=repo CommitId=[0-9a-f]{40} /);
    expect(stdout).toMatch(/artifact: BuildOutput [\d.]+ (B|KiB), 2 files sha256:[0-9a-f]{12}$/m);
    expect(stdout).toMatch(
      /approval Approved by \S+ at \S+ "approved with pipewright run --approve" \(expires /,
    );
    expect(lines.at(-1)).toBe(
      `Logs: pipewright logs ${okId} <Stage/Action>   Events: pipewright events ${okId}`,
    );
  });

  it('prints with --json exactly the view that folding the events gives', async () => {
    // Act
    const shown = await cli(['show', okId, '--json'], temp);
    const records = JSON.parse((await cli(['events', okId, '--json'], temp)).stdout) as EventRecord[];
    const store = SqliteEventStore.open(join(temp, '.pipewright/events.db'));
    const read = await readExecution(store, okId).finally(() => store.close());

    // Assess
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(`${JSON.stringify(read.view, null, 2)}\n`);
    expect(JSON.parse(shown.stdout)).toEqual(foldExecution(records.map(parseStoredEvent), read.pipeline));
  });

  it('names the failed action, its error, and the stages not reached', async () => {
    const { code, stdout } = await cli(['show', failedId], temp);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Status\s+Failed: /m);
    expect(stdout).toMatch(/^✘ Test {2}Failed/m);
    expect(stdout).toMatch(/^ {4}✘ UnitTests {2}Failed/m);
    expect(stdout).toMatch(/^ {8}error: JobFailed: command 1 \("npm test"\) exited with code 1$/m);
    expect(stdout).toMatch(/^ {4}✔ Lint {2}Succeeded/m);
    expect(stdout).toMatch(/^· Approval {2}NotStarted$/m);
    expect(stdout).toMatch(/^ {4}· Publish {2}NotStarted$/m);
    expect(stdout.trim().split('\n').at(-1)).toContain(`pipewright logs ${failedId} Test/UnitTests`);
  });

  it('renders an execution whose process was killed mid-run: actions InProgress, no end', async () => {
    // Prepare: a state dir whose log stops where a killed process left it (both tests running).
    const source = SqliteEventStore.open(join(temp, '.pipewright/events.db'));
    const killedDir = tempDir('pipewright-read-killed-');
    mkdirSync(join(killedDir, '.pipewright'));
    const target = SqliteEventStore.open(join(killedDir, '.pipewright/events.db'));
    try {
      const strip = ({ stream: _s, seq: _q, ...rest }: EventRecord) => rest;
      const definitions = await source.read(pipelineStream('web-app'));
      await target.append(pipelineStream('web-app'), definitions.map(strip), { expectedVersion: 0 });
      const records = await source.read(executionStream(okId));
      const cut = records.findIndex(
        (r) => r.type === 'ActionSucceeded' && (r.data as { stageName: string }).stageName === 'Test',
      );
      await target.append(executionStream(okId), records.slice(0, cut).map(strip), {
        expectedVersion: 0,
        pipeline: 'web-app',
      });
    } finally {
      await source.close();
      await target.close();
    }

    // Act
    const { code, stdout, stderr } = await cli(['show', okId], killedDir);
    const listed = await cli(['executions', 'web-app'], killedDir);
    const log = await cli(['logs', okId, 'Build/Compile'], killedDir);

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Status\s+InProgress$/m);
    expect(stdout).toMatch(/^Ended\s+not ended \(last event \S+\)$/m);
    expect(stdout).toMatch(/^▸ Test {2}InProgress {2}not ended$/m);
    expect(stdout).toMatch(/^ {4}▸ UnitTests {2}InProgress {2}not ended$/m);
    expect(stdout).toMatch(/^ {4}▸ Lint {2}InProgress {2}not ended$/m);
    expect(stdout).toMatch(/^· Deploy {2}NotStarted$/m);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${okId}\\s+InProgress\\s+\\S+\\s+not ended\\s+`, 'm'));
    expect(log.code).toBe(2);
    expect(log.stderr).toMatch(
      /^pipewright: no log stored for Build\/Compile \(stage attempt 0, attempt 1\)/,
    );
  });

  it('exits 2 with one line for an unknown execution', async () => {
    const { code, stdout, stderr } = pipewright(['show', 'no-such-execution'], temp);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'pipewright: no execution no-such-execution in the event log; list executions with "pipewright executions <pipeline>"\n',
    );
  });

  it('shows its options and examples with --help', async () => {
    const { code, stdout } = await cli(['show', '--help'], temp);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: pipewright show <execution-id> [--server URL] [--json]');
    expect(stdout).toContain('--state-dir DIR');
    expect(stdout).toContain('Examples:');
  });
});

describe('pipewright events', async () => {
  it('prints one line per event with increasing seq, type and stage/action', async () => {
    const { code, stdout } = await cli(['events', okId], temp);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    const seqs = lines.map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(lines[0]).toMatch(
      /^ ?1 {2}\S+Z {2}PipelineExecutionStarted {2}web-app v1 trigger StartPipelineExecution/,
    );
    expect(stdout).toMatch(/ActionStarted\s+Source\/Checkout$/m);
    expect(stdout).toMatch(/ApprovalDecided\s+Approval\/Release Approved by \S+$/m);
    expect(lines.at(-1)).toMatch(/ExecutionSucceeded$/);
  });

  it('shows the error code of a failed action', async () => {
    const { stdout } = await cli(['events', failedId], temp);
    expect(stdout).toMatch(/ActionFailed\s+Test\/UnitTests JobFailed$/m);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/ExecutionFailed/);
  });

  it('prints the raw records with --json, from --from on', async () => {
    const all = JSON.parse((await cli(['events', okId, '--json'], temp)).stdout) as EventRecord[];
    const tail = JSON.parse(
      (await cli(['events', okId, '--json', '--from', '20'], temp)).stdout,
    ) as EventRecord[];
    expect(all[0]).toMatchObject({ seq: 1, type: 'PipelineExecutionStarted', stream: `execution-${okId}` });
    expect(all.map((r) => r.seq)).toEqual(all.map((_, i) => i + 1));
    expect(tail).toEqual(all.slice(19));
  });

  it('exits 2 for an unknown execution or a bad --from', async () => {
    expect((await cli(['events', 'nope'], temp)).code).toBe(2);
    const from = await cli(['events', okId, '--from', 'x'], temp);
    expect(from.code).toBe(2);
    expect(from.stderr).toContain('--from takes an event sequence number');
  });
});

describe('pipewright logs', async () => {
  it("prints the build action's log as stored", async () => {
    const { code, stdout } = await cli(['logs', okId, 'Build/Compile'], temp);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\[pipewright\] running 1 command\(s\) in /);
    expect(stdout).toContain('built dist/index.html and dist/app.js');
  });

  it('prints the failing test output of the failed action, by bare action name', async () => {
    const { code, stdout } = await cli(['logs', failedId, 'UnitTests'], temp);
    expect(code).toBe(0);
    expect(stdout).toContain('✖ greets a visitor by name');
    expect(stdout).toContain("- 'Hi, Ada!'");
  });

  it('selects an attempt with --stage-attempt and --attempt, and names the attempts it has', async () => {
    const ok = await cli(['logs', okId, 'Lint', '--stage-attempt', '0', '--attempt', '1'], temp);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('lint: no problems');
    const missing = await cli(['logs', okId, 'Lint', '--attempt', '2'], temp);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Test/Lint has no such attempt');
    expect(missing.stderr).toContain('--stage-attempt 0 --attempt 1');
  });

  it("exits 2 for an unknown action and lists the execution's actions", async () => {
    const { code, stdout, stderr } = await cli(['logs', okId, 'Test/Nope'], temp);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `pipewright: execution ${okId} has no action "Test/Nope"; its actions are: Source/Checkout, Build/Compile, Test/UnitTests, Test/Lint, Approval/Release, Deploy/Publish\n`,
    );
  });

  it('exits 2 when the action has not run', async () => {
    const { code, stderr } = await cli(['logs', failedId, 'Deploy/Publish'], temp);
    expect(code).toBe(2);
    expect(stderr).toContain('Deploy/Publish has not run in execution');
    expect(stderr).toContain('NotStarted');
  });

  it('exits 2 for an unknown execution or a missing action argument', async () => {
    const unknown = await cli(['logs', 'nope', 'Compile'], temp);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no execution nope in the event log');
    const usage = await cli(['logs', okId], temp);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: pipewright logs <execution-id>');
  });
});
