/**
 * `pipewright run` of a pipeline with AWS-only actions, as a real child process of the CLI:
 * without the AWS opt-in in `pipewright.local.yaml` it refuses before any action (or even the
 * local event log) starts, naming the actions and the setting, with exit 1 and no stack trace;
 * with it, the S3 source runs against the account (here a stand-in S3 endpoint) and the rest locally.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipArtifact } from '@pipewright/aws';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = join(root, 'packages/cli/bin/pipewright.js');
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const PIPELINE = `name: images
stages:
  - name: Source
    actions:
      - name: Bundle
        type: Source/S3
        configuration: { S3Bucket: acme-releases, S3ObjectKey: app.zip, PollForSourceChanges: "false" }
        outputs: [Bundle]
  - name: Deploy
    actions:
      - name: Stack
        type: Deploy/CloudFormation
        inputs: [Bundle]
        configuration:
          ActionMode: CREATE_UPDATE
          StackName: app
          TemplatePath: Bundle::template.yaml
          RoleArn: arn:aws:iam::123456789012:role/cfn
      - name: Service
        type: Deploy/ECS
        inputs: [Bundle]
        configuration: { ClusterName: prod, ServiceName: web }
      - name: Migrate
        type: Invoke/StepFunctions
        configuration: { StateMachineArn: "arn:aws:states:eu-west-1:123456789012:stateMachine:migrate" }
`;

function project(settings?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pipewright-aws-opt-in-'));
  temps.push(dir);
  writeFileSync(join(dir, 'pipeline.yaml'), PIPELINE);
  if (settings !== undefined) writeFileSync(join(dir, 'pipewright.local.yaml'), settings);
  return dir;
}

function run(cwd: string) {
  const result = spawnSync(process.execPath, [bin, 'run', 'pipeline.yaml'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', PIPEWRIGHT_STATE_DIR: '', AWS_PROFILE: '', AWS_REGION: '' },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pipewright run of AWS-only actions', () => {
  it('refuses before any action starts without the opt-in, naming the actions and the setting', () => {
    // Prepare
    const dir = project();
    // Act
    const { code, stdout, stderr } = run(dir);
    // Assess
    expect(code).toBe(1);
    expect(stderr).toContain('pipeline images has actions that run only in AWS, so nothing was started:');
    expect(stderr).toContain(
      'stage "Source" action "Bundle" (Source/S3: needs a versioned Amazon S3 bucket)',
    );
    expect(stderr).toContain(
      'stage "Deploy" action "Stack" (Deploy/CloudFormation: needs AWS CloudFormation stacks)',
    );
    expect(stderr).toContain('stage "Deploy" action "Service" (Deploy/ECS: needs Amazon ECS)');
    expect(stderr).toContain(
      'stage "Deploy" action "Migrate" (Invoke/StepFunctions: needs AWS Step Functions)',
    );
    expect(stderr).toContain('opt in in pipewright.local.yaml:\n  aws:\n    profile: <profile>');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).not.toContain('execution');
    expect(existsSync(join(dir, '.pipewright', 'events.db'))).toBe(false);
  });

  it('refuses a malformed opt-in with the line of the setting, before anything starts', () => {
    const dir = project('aws:\n  region: Mars\n');
    const { code, stderr } = run(dir);
    expect(code).toBe(2);
    expect(stderr).toContain('pipewright.local.yaml:2:11 aws.region: must be an AWS region, e.g. eu-west-1');
    expect(existsSync(join(dir, '.pipewright', 'events.db'))).toBe(false);
  });

  it('with the opt-in, runs the S3 source against the account and the next stage locally', async () => {
    // Prepare: an S3 endpoint answering GetObject of the versioned object, as S3 does.
    const requests: string[] = [];
    const zip = zipArtifact([
      { path: 'VERSION', type: 'file', executable: false, data: new TextEncoder().encode('1.4.0\n') },
    ]);
    const s3 = createServer((req: IncomingMessage, res) => {
      requests.push(`${req.method} ${req.url?.split('?')[0]}`);
      res.writeHead(200, { 'x-amz-version-id': 'v-7', etag: '"9b2c"', 'content-type': 'application/zip' });
      res.end(zip);
    });
    await new Promise<void>((done) => s3.listen(0, '127.0.0.1', done));
    const dir = project('aws:\n  region: eu-west-1\n');
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      PIPELINE.replace(
        / {2}- name: Deploy[\s\S]*$/,
        '  - name: Check\n    actions:\n      - name: Read\n        type: Build/Commands\n        inputs: [Bundle]\n        commands: [grep -q 1.4.0 VERSION]\n',
      ),
    );
    // Act
    const child = spawn(process.execPath, [bin, 'run', 'pipeline.yaml'], {
      cwd: dir,
      env: {
        ...process.env,
        NO_COLOR: '1',
        PIPEWRIGHT_STATE_DIR: '',
        AWS_ENDPOINT_URL: `http://127.0.0.1:${(s3.address() as AddressInfo).port}`,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    s3.close();
    // Assess
    expect(out).toContain('Succeeded');
    expect(code).toBe(0);
    expect(requests).toEqual(['GET /acme-releases/app.zip']);
    expect(out).toContain('s3://acme-releases/app.zip version v-7');
  });
});
