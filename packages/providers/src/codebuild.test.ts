import { readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseBuildspec } from './codebuild/buildspec.ts';
import { codeBuildProvider } from './codebuild.ts';
import { makeRun, type TestRun } from './testing/make-run.ts';

const fixtures = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'providers', 'buildspecs');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');

let t: TestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

async function buildRun(buildspec: string, extra: Parameters<typeof makeRun>[0]['action'] = {}) {
  t = await makeRun({
    action: {
      actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
      configuration: { ProjectName: 'app' },
      ...extra,
    },
    inputs: { Src: { 'buildspec.yml': buildspec } },
  });
  return t;
}

/** Phases and commands run, as the log shows them. */
function trace(run: TestRun): string[] {
  return run.log
    .text()
    .split('\n')
    .filter((l) => l.startsWith('[Container] Entering') || l.startsWith('ran '));
}

describe('parseBuildspec', () => {
  it('reads env, phases and artifacts of a buildspec 0.2', () => {
    const spec = parseBuildspec(fixture('full.yml'), 'buildspec.yml');
    expect(spec.variables).toEqual({ GREETING: 'hello', COUNT: '3' });
    expect(spec.phases.build?.finally).toEqual(['echo "build finally ran"']);
    expect(spec.artifacts).toMatchObject({ files: ['**/*'], baseDirectory: 'dist', discardPaths: false });
    expect(spec.secondaryArtifacts.Flat).toMatchObject({ discardPaths: true });
  });

  it('names the field and line of a problem', () => {
    expect(() => parseBuildspec(fixture('bad-on-failure.yml'), 'buildspec.yml')).toThrow(
      'buildspec.yml:4: phases.build.on-failure: is RETRY; use ABORT or CONTINUE',
    );
    expect(() => parseBuildspec(fixture('bad-command.yml'), 'buildspec.yml')).toThrow(
      'buildspec.yml:6: phases.build.commands[1]: must be a string',
    );
    expect(() => parseBuildspec('version: 0.1\nphases: {}\n', 'b.yml')).toThrow(/b\.yml:1: version: is 0\.1/);
    expect(() => parseBuildspec('version: 0.2\nphases:\n  deploy: {}\n', 'b.yml')).toThrow(
      /b\.yml:3: phases\.deploy/,
    );
  });
});

describe('codeBuildProvider', () => {
  it('runs every phase in one shell and stores primary and secondary artifacts', async () => {
    const run = await buildRun(fixture('full.yml'), {
      outputArtifacts: [{ name: 'Site' }, { name: 'Flat' }],
    });
    const outcome = await codeBuildProvider({}).run(run.run);
    expect(outcome).toMatchObject({
      status: 'Succeeded',
      outputVariables: { VERSION: '1.0.3', GREETING: 'hello' },
    });
    if (outcome.status !== 'Succeeded') throw new Error('unreachable');
    const [site, flat] = outcome.outputArtifacts;
    if (!site || !flat) throw new Error('missing artifacts');
    expect((await readdir(run.store.dirOf(site))).sort()).toEqual(['a.txt', 'app.txt', 'b.txt']);
    expect(await readFile(join(run.store.dirOf(site), 'app.txt'), 'utf8')).toBe(
      `hello from ${run.run.workspace}/dist\n`,
    );
    expect((await readdir(run.store.dirOf(flat))).sort()).toEqual(['a.txt', 'app.txt', 'b.txt']);
    expect(run.log.text()).toContain('build finally ran');
    expect(run.log.text()).toContain('succeeding=1');
  });

  it('runs post_build after a failed build, with CODEBUILD_BUILD_SUCCEEDING=0, and fails the action', async () => {
    const run = await buildRun(
      [
        'version: 0.2',
        'phases:',
        '  build:',
        '    commands: ["echo ran build-1", "exit_code() { return 7; }; exit_code", "echo ran build-3"]',
        '    finally: ["echo ran build-finally"]',
        '  post_build:',
        '    commands: ["echo ran post $CODEBUILD_BUILD_SUCCEEDING"]',
      ].join('\n'),
    );
    const outcome = await codeBuildProvider({}).run(run.run);
    expect(outcome).toMatchObject({
      status: 'Failed',
      error: { type: 'JobFailed', message: 'buildspec.yml: phase BUILD failed (exit code 7)' },
    });
    expect(trace(run)).toEqual([
      '[Container] Entering phase BUILD',
      'ran build-1',
      'ran build-finally',
      '[Container] Entering phase POST_BUILD',
      'ran post 0',
    ]);
  });

  it('ends the build when install fails, and continues past a failed phase with on-failure CONTINUE', async () => {
    const phases = (installOnFailure: string) =>
      [
        'version: 0.2',
        'phases:',
        '  install:',
        `    ${installOnFailure}`,
        '    commands: ["false"]',
        '  build:',
        '    commands: ["echo ran build"]',
        '  post_build:',
        '    commands: ["echo ran post"]',
      ].join('\n');
    const aborted = await buildRun(phases('on-failure: ABORT'));
    expect((await codeBuildProvider({}).run(aborted.run)).status).toBe('Failed');
    expect(trace(aborted)).toEqual(['[Container] Entering phase INSTALL']);
    await aborted.cleanup();

    const defaulted = await buildRun(phases('run-as: root'));
    expect((await codeBuildProvider({}).run(defaulted.run)).status).toBe('Failed');
    expect(trace(defaulted)).toEqual(['[Container] Entering phase INSTALL']);
    await defaulted.cleanup();

    const continued = await buildRun(phases('on-failure: CONTINUE'));
    expect(await codeBuildProvider({}).run(continued.run)).toMatchObject({
      status: 'Failed',
      error: { message: expect.stringContaining('phase INSTALL failed') },
    });
    expect(trace(continued)).toEqual([
      '[Container] Entering phase INSTALL',
      '[Container] Entering phase BUILD',
      'ran build',
      '[Container] Entering phase POST_BUILD',
      'ran post',
    ]);
  });

  it('passes EnvironmentVariables over env.variables, with pipeline variables as data', async () => {
    const run = await buildRun(
      [
        'version: 0.2',
        'env:',
        '  variables: { STAGE: dev, KEEP: kept }',
        '  exported-variables: [STAGE, KEEP, MSG]',
        'phases:',
        '  build:',
        '    commands: [\'MSG="$PW_Src_Message"\']',
      ].join('\n'),
      {
        configuration: {
          ProjectName: 'app',
          EnvironmentVariables: JSON.stringify([{ name: 'STAGE', value: 'prod', type: 'PLAINTEXT' }]),
        },
      },
    );
    run.run.variables = { 'Src.Message': '$(touch pwned)' };
    expect(await codeBuildProvider({}).run(run.run)).toMatchObject({
      status: 'Succeeded',
      outputVariables: { STAGE: 'prod', KEEP: 'kept', MSG: '$(touch pwned)' },
    });
    expect(await readdir(run.run.workspace)).not.toContain('pwned');
  });

  it('reports a missing buildspec, an invalid one and a missing artifacts section as configuration errors', async () => {
    const run = await buildRun(fixture('bad-command.yml'));
    expect(await codeBuildProvider({}).run(run.run)).toMatchObject({
      status: 'Failed',
      error: {
        type: 'ConfigurationError',
        message: 'buildspec.yml:6: phases.build.commands[1]: must be a string',
      },
    });
    run.run.action.configuration.BuildspecPath = 'ci/missing.yml';
    expect(await codeBuildProvider({}).run(run.run)).toMatchObject({
      error: {
        type: 'ConfigurationError',
        message: expect.stringContaining('no ci/missing.yml in the primary source'),
      },
    });
    await writeFile(
      join(run.run.workspace, 'buildspec.yml'),
      'version: 0.2\nphases:\n  build:\n    commands: [ls]\n',
    );
    run.run.action.configuration = { ProjectName: 'app' };
    run.run.action.outputArtifacts = [{ name: 'Out' }];
    expect(await codeBuildProvider({}).run(run.run)).toMatchObject({
      error: { type: 'ConfigurationError', message: expect.stringContaining('no artifacts section') },
    });
  });
});
