/**
 * Acceptance (issue "serve"): 20 executions in flight, `kill -9` of `pipewright serve`, a
 * restart on the same state directory: every execution reaches a terminal state, and a marker
 * line each Commands action appends when it ends proves that no succeeded action ran twice.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { gitIn } from '../support/git.ts';
import { poll } from '../support/poll.ts';
import { getExecution, readApiToken } from '../support/serve-api.ts';
import { type ServeProcess, startServe } from '../support/serve-process.ts';
import { tempDirSync } from '../support/temp-dirs.ts';

const EXECUTIONS = 20;
/** How long the Test action sleeps (each attempt) before it waits for the release file, then writes its marker. */
const SLEEP_SECONDS = 2;
const cleanups = cleanupsAfter(afterAll);

/**
 * The pipeline: Source/Git, two parallel Build/Commands actions, then a Test/Commands action
 * that sleeps and waits for the `release` file (made by the test once the server has restarted)
 * before it writes its marker. Every Commands action appends `<execution id> <action>` to the
 * marker file as its last command.
 */
function pipelineYaml(marker: string, release: string): string {
  const mark = (action: string) => `echo "$PW_codepipeline_PipelineExecutionId ${action}" >> "$MARKER"`;
  return `name: crash
executionMode: PARALLEL
variables:
  MARKER: ${JSON.stringify(marker)}
  RELEASE: ${JSON.stringify(release)}
stages:
  - name: Source
    actions:
      - name: Checkout
        type: Source/Git
        configuration: { RepositoryUrl: ./repo, BranchName: main }
        outputs: [SourceOutput]
  - name: Build
    actions:
      - name: Compile
        type: Build/Commands
        inputs: [SourceOutput]
        env: { MARKER: "#{variables.MARKER}" }
        commands:
          - '${mark('Compile')}'
      - name: Lint
        type: Build/Commands
        inputs: [SourceOutput]
        env: { MARKER: "#{variables.MARKER}" }
        commands:
          - '${mark('Lint')}'
  - name: Test
    actions:
      - name: Sleep
        type: Test/Commands
        inputs: [SourceOutput]
        env: { MARKER: "#{variables.MARKER}", RELEASE: "#{variables.RELEASE}" }
        commands:
          - sleep ${SLEEP_SECONDS}
          - 'until [ -e "$RELEASE" ]; do sleep 0.1; done'
          - '${mark('Sleep')}'
`;
}

interface Attempt {
  attempt: number;
  status: string;
  error?: { message: string };
}
interface ExecutionJson {
  pipelineExecutionId: string;
  status: string;
  endedAt?: string;
  stages: { stageName: string; actions: { actionName: string; status: string; attempts: Attempt[] }[] }[];
}

function attemptsOf(view: ExecutionJson, stage: string, action: string): Attempt[] {
  return (
    view.stages.find((s) => s.stageName === stage)?.actions.find((a) => a.actionName === action)?.attempts ??
    []
  );
}

/** Starts `pipewright serve --dir pipelines` in `cwd`. */
const start = (cwd: string): Promise<ServeProcess> => startServe({ cwd, dir: 'pipelines', cleanups });

describe('pipewright serve: crash recovery', () => {
  it('brings 20 in-flight executions to an end after kill -9 and a restart, running no succeeded action twice', async () => {
    // Prepare: a git repository, the pipeline, a server.
    const cwd = tempDirSync(cleanups, 'pipewright-serve-crash-');
    const marker = join(cwd, 'marker.txt');
    const release = join(cwd, 'release');
    const pipelines = join(cwd, 'pipelines');
    const repo = join(pipelines, 'repo');
    mkdirSync(repo, { recursive: true });
    const git = gitIn(repo);
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'README.md'), '# crash test\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'Initial commit');
    writeFileSync(join(pipelines, 'pipeline.yaml'), pipelineYaml(marker, release));
    const first = await start(cwd);
    const token = readApiToken(cwd);
    const auth = { authorization: `Bearer ${token}` };
    const view = (base: string, id: string) => getExecution<ExecutionJson>(base, token, id);
    const views = (base: string, ids: readonly string[]) => Promise.all(ids.map((id) => view(base, id)));

    // Act: 20 executions, all in the sleeping action; kill -9; restart; release the sleepers.
    const ids = await Promise.all(
      Array.from({ length: EXECUTIONS }, async () => {
        const started = await fetch(`${first.base}/api/pipelines/crash/executions`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: '{}',
        });
        expect(started.status).toBe(201);
        return ((await started.json()) as { executionId: string }).executionId;
      }),
    );
    const sleeping = (v: ExecutionJson) => attemptsOf(v, 'Test', 'Sleep').at(-1)?.status === 'InProgress';
    const inFlight = await poll(
      () => views(first.base, ids),
      (vs) => vs.every(sleeping),
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(inFlight.filter(sleeping), first.transcript.text).toHaveLength(EXECUTIONS);
    const killed = new Promise<NodeJS.Signals | null>((done) =>
      first.child.on('exit', (_c, sig) => done(sig)),
    );
    first.child.kill('SIGKILL');
    expect(await killed).toBe('SIGKILL');
    const linesBefore = existsSync(marker) ? readFileSync(marker, 'utf8') : '';
    const second = await start(cwd);
    writeFileSync(release, '');
    const ended = await poll(
      () => views(second.base, ids),
      (vs) => vs.every((v) => v.endedAt !== undefined),
      { timeoutMs: 40_000, intervalMs: 200 },
    );
    // Processes the killed server left running (if any) see the release file at once and would
    // write their marker before the re-runs (which sleep first) end; a little slack for them.
    await new Promise((wake) => setTimeout(wake, 500));

    // Assess
    expect(linesBefore.split('\n').filter((l) => / Sleep$/.test(l))).toEqual([]);
    expect(
      ended.map((v) => v.status),
      second.transcript.text,
    ).toEqual(ids.map(() => 'Succeeded'));
    const lines = readFileSync(marker, 'utf8').split('\n').filter(Boolean).sort();
    const expected = ids.flatMap((id) => [`${id} Compile`, `${id} Lint`, `${id} Sleep`]).sort();
    expect(lines).toEqual(expected);
    for (const v of ended) {
      expect(attemptsOf(v, 'Build', 'Compile').map((a) => a.status)).toEqual(['Succeeded']);
      expect(attemptsOf(v, 'Build', 'Lint').map((a) => a.status)).toEqual(['Succeeded']);
      const sleep = attemptsOf(v, 'Test', 'Sleep');
      expect(sleep.map((a) => a.status)).toEqual(['Failed', 'Succeeded']);
      expect(sleep[0]?.error?.message).toContain('interrupted');
    }
    expect(second.transcript.text).toContain(`Resumed ${EXECUTIONS} execution(s) after a restart`);
    expect(await second.stop()).toBe(0);
  }, 90_000);
});
