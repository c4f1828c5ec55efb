/**
 * A stand-in for CodeBuild behind `aws-sdk-client-mock`: StartBuild really runs the build on this
 * machine — it fetches the sources from S3 (s3rver) or clones the git location, runs the inline
 * buildspec's phases in one bash session with the request's environment, zips the artifacts the
 * buildspec names to the S3 locations the request gives, and then delivers the
 * "CodeBuild Build State Change" event CodeBuild would put on the default bus. BatchGetBuilds
 * answers what a finished build reports (status, phases, exported variables, artifact
 * locations). Only the parts of CodeBuild that Pipewright's runner builds use are modelled.
 *
 * @example
 * ```ts
 * const codebuild = fakeCodeBuild({ s3, onEvent: (e) => callback(e) });
 * // the action runner's CodeBuildClient is mocked by it; builds run when started
 * await codebuild.idle();
 * ```
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import {
  BatchGetBuildsCommand,
  type Build,
  CodeBuildClient,
  type EnvironmentVariable,
  type ProjectArtifacts,
  StartBuildCommand,
  type StartBuildInput,
} from '@aws-sdk/client-codebuild';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { unzipSync, zipSync } from 'fflate';
import picomatch from 'picomatch';

interface Buildspec {
  env?: { variables?: Record<string, string>; 'exported-variables'?: string[] };
  phases?: Record<string, { commands?: string[] }>;
  artifacts?: ArtifactSpec & { 'secondary-artifacts'?: Record<string, ArtifactSpec> };
}
interface ArtifactSpec {
  files?: string[];
  'base-directory'?: string;
  'discard-paths'?: 'yes' | 'no' | boolean;
}

/** The running stand-in. */
export interface FakeCodeBuild {
  /** Every StartBuild request, in order (a repeated idempotency token included). */
  readonly started: StartBuildInput[];
  /** How many builds really ran. */
  readonly builds: number;
  /** Resolves when every build started so far has finished and its event was delivered. */
  idle(): Promise<void>;
  restore(): void;
}

const PHASES = ['install', 'pre_build', 'build', 'post_build'];

/**
 * Mocks every `CodeBuildClient` with the stand-in.
 *
 * @example
 * ```ts
 * const codebuild = fakeCodeBuild({ s3, onEvent: async (event) => { await callback(event); } });
 * ```
 */
export function fakeCodeBuild(options: {
  s3: S3Client;
  onEvent(event: unknown): Promise<unknown>;
}): FakeCodeBuild {
  const mock = mockClient(CodeBuildClient);
  const builds = new Map<string, Build>();
  const byToken = new Map<string, string>();
  const running = new Set<Promise<void>>();
  const started: StartBuildInput[] = [];

  mock.on(StartBuildCommand).callsFake(async (input: StartBuildInput) => {
    started.push(input);
    const known = input.idempotencyToken === undefined ? undefined : byToken.get(input.idempotencyToken);
    if (known !== undefined) return { build: builds.get(known) };
    const id = `${input.projectName}:${randomUUID()}`;
    const build: Build = {
      id,
      arn: `arn:aws:codebuild:us-east-1:000000000000:build/${id}`,
      buildStatus: 'IN_PROGRESS',
      buildComplete: false,
      projectName: input.projectName,
    };
    builds.set(id, build);
    if (input.idempotencyToken !== undefined) byToken.set(input.idempotencyToken, id);
    const work = (async () => {
      await runBuild(options.s3, input, build);
      await options.onEvent(stateChangeEvent(input, build));
    })();
    running.add(work);
    void work.finally(() => running.delete(work));
    return { build: { ...build } };
  });
  mock.on(BatchGetBuildsCommand).callsFake(async (input: { ids?: string[] }) => ({
    builds: (input.ids ?? []).map((id) => builds.get(id)).filter((b) => b !== undefined),
  }));

  return {
    started,
    get builds() {
      return builds.size;
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    restore: () => mock.restore(),
  };
}

async function runBuild(s3: S3Client, input: StartBuildInput, build: Build): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'pw-fake-codebuild-'));
  try {
    const src = join(root, 'src');
    await mkdir(src, { recursive: true });
    const env: Record<string, string> = { CODEBUILD_SRC_DIR: src, CODEBUILD_BUILD_ID: build.id ?? '' };
    const type = input.sourceTypeOverride ?? 'NO_SOURCE';
    if (type === 'S3') await fetchZip(s3, input.sourceLocationOverride ?? '', src);
    else if (type !== 'NO_SOURCE') {
      await sh(`git clone --quiet "$LOCATION" . && git checkout --quiet "$VERSION"`, src, {
        LOCATION: input.sourceLocationOverride ?? '',
        VERSION: input.sourceVersion ?? 'HEAD',
      });
      build.resolvedSourceVersion = (await sh('git rev-parse HEAD', src, {})).stdout.trim();
    }
    for (const secondary of input.secondarySourcesOverride ?? []) {
      const dir = join(root, `src_${secondary.sourceIdentifier}`);
      await fetchZip(s3, secondary.location ?? '', dir);
      env[`CODEBUILD_SRC_DIR_${secondary.sourceIdentifier}`] = dir;
    }
    const spec = JSON.parse(input.buildspecOverride ?? '{}') as Buildspec;
    for (const [k, v] of Object.entries(spec.env?.variables ?? {})) env[k] = v;
    for (const v of input.environmentVariablesOverride ?? []) env[v.name ?? ''] = v.value ?? '';
    const exported = spec.env?.['exported-variables'] ?? [];
    const commands = PHASES.flatMap((p) => spec.phases?.[p]?.commands ?? []);
    const dump = join(root, 'exported.json');
    const script = [
      'set -e',
      ...commands,
      `node -e 'const o={};for(const n of process.argv.slice(1))if(process.env[n]!==undefined)o[n]=process.env[n];require("fs").writeFileSync(process.env.PW_FAKE_DUMP,JSON.stringify(o))' ${exported.map((n) => `'${n}'`).join(' ')}`,
    ].join('\n');
    const result = await sh(script, src, { ...env, PW_FAKE_DUMP: dump });
    build.logs = { deepLink: 'https://console.aws.amazon.com/cloudwatch/home#logsV2' };
    if (result.code !== 0) {
      build.buildStatus = 'FAILED';
      build.phases = [
        {
          phaseType: 'BUILD',
          phaseStatus: 'FAILED',
          contexts: [{ message: `exit ${result.code}: ${result.stderr.slice(-500)}` }],
        },
      ];
      return;
    }
    const values = JSON.parse(await readFile(dump, 'utf8')) as Record<string, string>;
    build.exportedEnvironmentVariables = Object.entries(values).map(([name, value]) => ({ name, value }));
    if (input.artifactsOverride?.type === 'S3' && spec.artifacts !== undefined)
      build.artifacts = { location: await upload(s3, src, spec.artifacts, input.artifactsOverride) };
    const secondaries = spec.artifacts?.['secondary-artifacts'] ?? {};
    build.secondaryArtifacts = [];
    for (const out of input.secondaryArtifactsOverride ?? []) {
      const id = out.artifactIdentifier ?? '';
      const own = secondaries[id];
      if (own === undefined) throw new Error(`the buildspec has no secondary-artifacts.${id}`);
      build.secondaryArtifacts.push({ artifactIdentifier: id, location: await upload(s3, src, own, out) });
    }
    build.buildStatus = 'SUCCEEDED';
    build.phases = PHASES.map((p) => ({ phaseType: p.toUpperCase() as never, phaseStatus: 'SUCCEEDED' }));
  } catch (e) {
    build.buildStatus = 'FAULT';
    build.phases = [{ phaseType: 'PROVISIONING', phaseStatus: 'FAULT', contexts: [{ message: String(e) }] }];
  } finally {
    build.buildComplete = true;
    await rm(root, { recursive: true, force: true });
  }
}

function stateChangeEvent(input: StartBuildInput, build: Build): unknown {
  const variables: EnvironmentVariable[] = input.environmentVariablesOverride ?? [];
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'CodeBuild Build State Change',
    source: 'aws.codebuild',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [build.arn],
    detail: {
      'build-status': build.buildStatus,
      'project-name': input.projectName,
      'build-id': build.arn,
      'additional-information': {
        environment: {
          'environment-variables': variables.map((v) => ({
            name: v.name,
            value: v.value,
            type: v.type ?? 'PLAINTEXT',
          })),
        },
        'build-complete': true,
      },
      'current-phase': 'COMPLETED',
      version: '1',
    },
  };
}

async function fetchZip(s3: S3Client, location: string, dir: string): Promise<void> {
  const slash = location.indexOf('/');
  const out = await s3.send(
    new GetObjectCommand({ Bucket: location.slice(0, slash), Key: location.slice(slash + 1) }),
  );
  const bytes = await out.Body?.transformToByteArray();
  for (const [name, data] of Object.entries(unzipSync(bytes ?? new Uint8Array()))) {
    if (name.endsWith('/')) continue;
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), data);
  }
  await mkdir(dir, { recursive: true });
}

async function upload(
  s3: S3Client,
  src: string,
  spec: ArtifactSpec,
  target: ProjectArtifacts,
): Promise<string> {
  const base = join(src, spec['base-directory'] ?? '');
  const match = picomatch(spec.files ?? ['**/*'], { dot: true });
  const discard = spec['discard-paths'] === true || spec['discard-paths'] === 'yes';
  const files: Record<string, Uint8Array> = {};
  for (const file of await walk(base)) {
    const rel = relative(base, file);
    if (match(rel)) files[discard ? (rel.split('/').pop() ?? rel) : rel] = await readFile(file);
  }
  const key = `${target.path}/${target.name}`;
  await s3.send(new PutObjectCommand({ Bucket: target.location, Key: key, Body: zipSync(files) }));
  return `arn:aws:s3:::${target.location}/${key}`;
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '.git') out.push(...(await walk(path)));
    } else if (entry.isFile()) out.push(path);
  }
  return out;
}

function sh(
  script: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
