/**
 * The example apps (`examples/<x>/app/`) work on their own: each package script the example
 * pipelines call runs with the real `npm` and exits 0 in a fresh copy (no `npm ci`: the apps use
 * only Node's built-in modules), breaking the app makes its checks fail, the buildspecs run
 * through the local CodeBuild provider, and each `pipewright.local.yaml` sets up a repository
 * holding the app.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Action, loadPipelines } from '@pipewright/core';
import type { ActionRun } from '@pipewright/engine';
import {
  FileArtifactStore,
  LOCAL_SETTINGS_FILE,
  loadLocalSettings,
  prepareRepositories,
  resolveSettingsPaths,
} from '@pipewright/local';
import { codeBuildProvider } from '@pipewright/providers';
import { afterEach, describe, expect, it } from 'vitest';
import { copyExample } from '../support/temp-dirs.ts';

const run = promisify(execFile);
const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
/** The Node running the tests first on PATH, so `npm` runs the scripts with it. */
const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pw-example-app-'));
  temps.push(dir);
  return dir;
}

/** A fresh copy of `examples/<example>/app`. */
async function copyApp(example: string): Promise<string> {
  const dir = join(await tempDir(), 'app');
  copyExample(`${example}/app`, dir);
  return dir;
}

function npmRun(cwd: string, script: string, extraEnv: Record<string, string> = {}) {
  return run('npm', ['run', script], { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8' });
}

/** The exit code and output of `npm run <script>` that is expected to fail. */
async function npmRunFailing(cwd: string, script: string): Promise<{ code: unknown; output: string }> {
  try {
    await npmRun(cwd, script);
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    return { code: e.code, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
  throw new Error(`npm run ${script} was expected to fail but exited 0`);
}

describe('examples/web-app/app', () => {
  it('builds dist/index.html and dist/app.js with the version and the commit', async () => {
    // Prepare
    const app = await copyApp('web-app');

    // Act
    await npmRun(app, 'build', { COMMIT_ID: '0123456789abcdef0123' });

    // Assess
    const html = await readFile(join(app, 'dist', 'index.html'), 'utf8');
    expect(html).toContain('version 1.0.0, commit 0123456789ab');
    expect((await readdir(join(app, 'dist'))).sort()).toEqual(['app.js', 'index.html']);
    await run(process.execPath, ['--check', join(app, 'dist', 'app.js')]);
  });

  it.each(['test', 'lint'])('passes npm run %s', async (script) => {
    const app = await copyApp('web-app');
    const { stdout } = await npmRun(app, script);
    expect(stdout).toMatch(script === 'test' ? /# fail 0|ℹ fail 0/ : /lint: no problems/);
  });

  it('fails npm test when a test fails', async () => {
    // Prepare
    const app = await copyApp('web-app');
    await writeFile(
      join(app, 'test', 'broken.test.js'),
      "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { greet } from '../src/greet.js';\n\ntest('greets Bob', () => {\n  assert.equal(greet('Bob'), 'Hi, Bob!');\n});\n",
    );

    // Act
    const { code, output } = await npmRunFailing(app, 'test');

    // Assess
    expect(code).not.toBe(0);
    expect(output).toContain('greets Bob');
  });

  it('fails npm run lint on console.log in src, naming the file and line', async () => {
    const app = await copyApp('web-app');
    await writeFile(join(app, 'src', 'debug.js'), 'export const x = 1;\nconsole.log(x);\n');
    const { code, output } = await npmRunFailing(app, 'lint');
    expect(code).not.toBe(0);
    expect(output).toContain('src/debug.js:2: console.log in app code');
  });
});

describe('examples/buildspec/app', () => {
  it.each(['typecheck', 'test'])('passes npm run %s', async (script) => {
    const app = await copyApp('buildspec');
    await npmRun(app, script);
  });

  it('fails npm run typecheck for an exported function without a test', async () => {
    const app = await copyApp('buildspec');
    await writeFile(join(app, 'src', 'extra.js'), 'export function untested() {\n  return 1;\n}\n');
    const { code, output } = await npmRunFailing(app, 'typecheck');
    expect(code).not.toBe(0);
    expect(output).toContain('src/extra.js:1: exported function untested has no test');
  });
});

describe('examples/seed/app', () => {
  it('passes npm run build', async () => {
    const app = await copyApp('seed');
    await npmRun(app, 'build');
    expect((await readdir(join(app, 'out'))).sort()).toEqual([
      'about.html',
      'build.json',
      'index.html',
      'welcome.html',
    ]);
  });
});

/** The CodeBuild action of an example pipeline, as the loader reads it. */
async function codeBuildAction(file: string, name: string): Promise<Action> {
  const { pipelines } = loadPipelines(await readFile(join(examples, file), 'utf8'), { file });
  const action = pipelines[0]?.pipeline.stages.flatMap((s) => s.actions).find((a) => a.name === name);
  if (!action) throw new Error(`${file} has no action ${name}`);
  return action;
}

describe('example buildspecs', () => {
  it.each([
    [
      'buildspec/pipeline.yaml',
      'Package',
      'buildspec',
      1,
      { PACKAGE_VERSION: '1.0.0', PACKAGE_FILE: 'buildspec-library-example-1.0.0.tgz' },
    ],
    ['seed/template.yaml', 'BuildProject', 'seed', 4, {}],
  ] as const)(
    '%s action %s runs its buildspec to Succeeded',
    async (file, name, example, files, variables) => {
      // Prepare
      const workspace = await copyApp(example);
      const store = new FileArtifactStore({ root: join(await tempDir(), 'artifacts') });
      const action = await codeBuildAction(file, name);
      const log: string[] = [];
      const actionRun: ActionRun = {
        pipeline: example,
        executionId: 'e-1',
        stage: 'Build',
        action,
        actionExecutionId: 'a-1',
        attempt: 1,
        stageAttempt: 0,
        workspace,
        inputs: [
          {
            name: action.inputArtifacts[0]?.name ?? 'Source',
            dir: workspace,
            artifact: { name: 'Source', uri: 'test:source', sha256: '', size: 0, files: 0 },
          },
        ],
        variables: {},
        projectDir: join(examples, dirname(file)),
        log: { write: (_stream, text) => void log.push(text) },
        signal: new AbortController().signal,
        artifacts: store,
      };

      // Act
      const outcome = await codeBuildProvider({}).run(actionRun);

      // Assess
      expect(outcome, log.join('')).toMatchObject({ status: 'Succeeded', outputVariables: variables });
      if (outcome.status !== 'Succeeded') return;
      expect(outcome.outputArtifacts).toHaveLength(1);
      expect(outcome.outputArtifacts[0]?.files).toBe(files);
    },
  );
});

describe('example local settings', () => {
  it.each([
    ['web-app', 'pipeline.yaml'],
    ['buildspec', 'pipeline.yaml'],
    ['seed', 'template.yaml'],
  ])('%s sets up a repository holding its app', async (example, pipelineFile) => {
    // Prepare: a copy of the example without any repository made by an earlier run
    const dir = join(await tempDir(), example);
    copyExample(example, dir);
    const { settings, file } = await loadLocalSettings(join(dir, pipelineFile));
    expect(file).toBe(join(dir, LOCAL_SETTINGS_FILE));
    const resolved = resolveSettingsPaths(settings, dir);

    // Act
    const prepared = await prepareRepositories(resolved.setup.repositories, dir);

    // Assess
    expect(prepared).toEqual([{ path: join(dir, 'repo'), created: true, commitId: expect.any(String) }]);
    const tracked = (await run('git', ['ls-files'], { cwd: join(dir, 'repo'), encoding: 'utf8' })).stdout;
    expect(tracked).toContain('package.json');
    expect(tracked).toContain('README.md');
    if (example === 'seed') expect(resolved.repositories).toEqual({ MyRepo: join(dir, 'repo') });
  });
});
