/**
 * `pipewright plan`: in-process through `main` for 1, 30 and 200 generated pipelines, a
 * deployment over a quota and a wildcard grant; and as the real binary in a child process.
 * Then the AWS deploy providers (ECS, CodeDeploy, CodeDeployToECS, Elastic Beanstalk, Step
 * Functions), a CodeBuild action on a named project and an action with a cross-account
 * `roleArn`, in both `get-pipeline` shapes (`test/fixtures/pipelines/aws-deploys.get-pipeline.*`).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedPipelineFiles } from '@pipewright/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import type { PlanReport } from '../render/plan-report.ts';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, '../../bin/pipewright.js');
const fixtures = resolve(here, '../../../../test/fixtures/pipelines');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project with `count` generated pipelines in `pipelines/`; returns its directory. */
function project(count: number, options: Parameters<typeof generatedPipelineFiles>[2] = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'pipewright-plan-'));
  dirs.push(root);
  mkdirSync(join(root, 'pipelines'));
  for (const f of generatedPipelineFiles(count, 'pipelines', options))
    writeFileSync(join(root, f.file), f.text);
  return root;
}

/** A project whose `pipelines/` holds only the fixture `file`; returns its directory. */
function fixtureProject(file: string): string {
  const root = mkdtempSync(join(tmpdir(), 'pipewright-plan-'));
  dirs.push(root);
  mkdirSync(join(root, 'pipelines'));
  copyFileSync(join(fixtures, file), join(root, 'pipelines', file));
  return root;
}

async function plan(cwd: string, args: string[]) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd,
    env: { NO_COLOR: '1' },
  };
  const code = await main(['plan', ...args], io);
  return { code, stdout, stderr };
}

describe('pipewright plan', () => {
  it.each([1, 30, 200])(
    'plans %i generated pipelines cleanly: exit 0, every quota under its limit',
    async (count) => {
      // Prepare
      const cwd = project(count);
      // Act
      const { code, stdout } = await plan(cwd, ['--dir', 'pipelines', '--stage', 'prod', '--json']);
      // Assess
      const report = JSON.parse(stdout) as PlanReport;
      expect(code).toBe(0);
      expect(report.ok).toBe(true);
      expect(report.problems).toEqual([]);
      expect(report.pipelines).toHaveLength(count);
      expect(report.quotas.length).toBeGreaterThanOrEqual(14);
      for (const q of report.quotas) expect(q.value, q.name).toBeLessThanOrEqual(q.limit);
      const first = report.pipelines[0];
      expect(first?.stateMachine.name).toBe('pipewright-prod-service-001');
      expect(first?.stateMachine.role).toBe('pipewright-prod-service-001-sfn');
      expect(first?.functions).toEqual(['pipewright-prod-action-runner', 'pipewright-prod-stage-gate']);
      const runner = report.shared.functions.find((f) => f.key === 'actionRunner');
      expect(runner?.managedPolicies.length ?? -1).toBe(count === 200 ? 1 : 0);
    },
  );

  it('lists what each pipeline adds to IAM and what other accounts must grant', async () => {
    // Prepare: service-005 builds in its own project and deploys a stack in another account.
    const cwd = project(5);
    // Act
    const { stdout } = await plan(cwd, ['--dir', 'pipelines', '--stage', 'prod', '--json']);
    // Assess
    const five = (JSON.parse(stdout) as PlanReport).pipelines[4];
    const sids = Object.fromEntries((five?.grants.actionRunner ?? []).map((s) => [s.Sid, s]));
    expect(sids.CodeBuildProjects?.Resource).toEqual([
      'arn:aws:codebuild:us-east-1:000000000000:project/service-005-build',
    ]);
    expect(sids.CloudFormationStacks?.Resource).toEqual([
      'arn:aws:cloudformation:us-east-1:000000000000:stack/service-005/*',
    ]);
    expect(five?.externalGrants.map((g) => [g.account, g.kind, g.resource])).toEqual([
      ['111122223333', 'role trust policy', 'arn:aws:iam::111122223333:role/pipewright-deployer'],
    ]);
  });

  it('exits 1 naming the limit, the value and the pipeline when a definition exceeds one', async () => {
    // Prepare
    const cwd = project(3, { patternServicesOfLast: 250 });
    // Act
    const { code, stdout } = await plan(cwd, ['--dir', 'pipelines', '--stage', 'prod']);
    // Assess
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /\[PW1102\] service-003: EventBridge event pattern of pipewright-prod-service-003-trigger-3 is \d{4} characters, over the limit of 2048/,
    );
    expect(stdout).toMatch(/OVER PW1102 EventBridge event pattern/);
    expect(stdout).toMatch(/✗ stage prod cannot be deployed: 2 problems above/);
  });

  it('exits 2 without --dir or with a directory that is not there', async () => {
    expect((await plan(tmpdir(), [])).stderr).toMatch(/name the pipelines directory with --dir/);
    const missing = await plan(tmpdir(), ['--dir', 'no-such-dir-here']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no-such-dir-here is not a directory/);
  });

  it('runs as the real binary: --json prints one object, the exit code says whether it deploys', () => {
    // Prepare
    const good = project(200);
    const bad = project(2, { patternServicesOfLast: 250 });
    const run = (cwd: string) =>
      spawnSync(process.execPath, [bin, 'plan', '--dir', 'pipelines', '--stage', 'prod', '--json'], {
        cwd,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1' },
      });
    // Act
    const [ok, over] = [run(good), run(bad)];
    // Assess
    expect(ok.status).toBe(0);
    expect((JSON.parse(ok.stdout) as PlanReport).pipelines).toHaveLength(200);
    expect(over.status).toBe(1);
    const report = JSON.parse(over.stdout) as PlanReport;
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ code: 'PW1102', pipeline: 'service-002' });
  });
});

const ACTIONS = [
  'ecs:UpdateService',
  'ecs:RegisterTaskDefinition',
  'codedeploy:CreateDeployment',
  'elasticbeanstalk:UpdateEnvironment',
  'states:StartExecution',
  'codebuild:StartBuild',
  'sts:AssumeRole',
];
const ROLE = 'arn:aws:iam::210987654321:role/pipewright-beanstalk';

describe('pipewright plan of the AWS deploy providers', () => {
  it.each(['aws-deploys.get-pipeline.json', 'aws-deploys.get-pipeline.yaml'])(
    'lists the deploys, the named CodeBuild project and the cross-account role of %s',
    async (file) => {
      // Prepare
      const cwd = fixtureProject(file);
      // Act
      const { code, stdout, stderr } = await plan(cwd, ['--dir', 'pipelines', '--stage', 'prod', '--json']);
      // Assess
      expect(code, stderr).toBe(0);
      const report = JSON.parse(stdout) as PlanReport;
      expect(report.ok).toBe(true);
      const [pipeline] = report.pipelines;
      expect(pipeline?.name).toBe('aws-deploys');
      const statements = pipeline?.grants.actionRunner ?? [];
      const granted = (action: string) => statements.filter((s) => s.Action.includes(action));
      for (const action of ACTIONS) expect(granted(action), action).not.toEqual([]);
      expect(granted('codebuild:StartBuild').flatMap((s) => s.Resource)).toContainEqual(
        expect.stringMatching(/:project\/app-image$/),
      );
      expect(granted('sts:AssumeRole').flatMap((s) => s.Resource)).toEqual([ROLE]);
      expect(granted('ecs:UpdateService').flatMap((s) => s.Resource)).toEqual([
        expect.stringMatching(/:service\/prod\/web$/),
      ]);
      expect(granted('states:StartExecution').flatMap((s) => s.Resource)).toEqual([
        'arn:aws:states:eu-west-1:123456789012:stateMachine:db-migrate',
      ]);
      expect(pipeline?.externalGrants.map((g) => [g.account, g.kind, g.resource])).toContainEqual([
        '210987654321',
        'role trust policy',
        ROLE,
      ]);
    },
  );

  it('prints the same actions in the text report', async () => {
    // Prepare
    const cwd = fixtureProject('aws-deploys.get-pipeline.json');
    // Act
    const { code, stdout } = await plan(cwd, ['--dir', 'pipelines', '--stage', 'prod']);
    // Assess
    expect(code).toBe(0);
    for (const action of ACTIONS) expect(stdout).toContain(action);
    expect(stdout).toContain(ROLE);
  });
});
