/**
 * Test support (not exported from the package): an `ActionRun` as the AWS action runner gives
 * providers — input artifacts stored in S3 (`s3://pw-artifacts/…`) and extracted into
 * directories — with a log that records lines and an artifact store that keeps what it is given.
 *
 * @example
 * ```ts
 * const t = await makeAwsRun({ action: { commands: ['make'] }, inputs: { Src: { 'Makefile': 'all:' } } });
 * await provider.run(t.run);
 * await t.cleanup();
 * ```
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Action } from '@pipewright/core';
import type {
  ActionCancelRequest,
  ActionInput,
  ActionRun,
  ArtifactStore,
  StoredArtifact,
} from '@pipewright/engine';

/**
 * The artifact bucket the test runs use.
 *
 * @example
 * ```ts
 * `s3://${TEST_BUCKET}/artifacts/sha256/Src.zip`;
 * ```
 */
export const TEST_BUCKET = 'pw-artifacts';

/**
 * What {@link makeAwsRun} returns.
 *
 * @example
 * ```ts
 * const { run, lines, cleanup }: AwsTestRun = await makeAwsRun({});
 * ```
 */
export interface AwsTestRun {
  run: ActionRun;
  lines: { stream: string; text: string }[];
  /** Files each `putDirectory` call stored, by artifact name. */
  stored: Map<string, Record<string, string>>;
  abort: AbortController;
  cleanup(): Promise<void>;
}

/**
 * A run in a fresh temp directory; each input artifact is extracted from its file map and
 * named `s3://pw-artifacts/artifacts/sha256/<name>.zip`.
 *
 * @example
 * ```ts
 * const t = await makeAwsRun({ inputs: { Src: { 'a.txt': 'A' } } });
 * t.run.inputs[0]?.artifact.uri; // 's3://pw-artifacts/artifacts/sha256/Src.zip'
 * ```
 */
export async function makeAwsRun(spec: {
  action?: Partial<Action>;
  inputs?: Record<string, Record<string, string>>;
  variables?: Record<string, string>;
}): Promise<AwsTestRun> {
  const tmp = await mkdtemp(join(tmpdir(), 'pw-aws-provider-'));
  const workspace = join(tmp, 'workspace');
  await mkdir(workspace, { recursive: true });
  const inputs: ActionInput[] = [];
  for (const [i, [name, files]] of Object.entries(spec.inputs ?? {}).entries()) {
    const dir = i === 0 ? workspace : join(tmp, 'inputs', name);
    await mkdir(dir, { recursive: true });
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    const uri = `s3://${TEST_BUCKET}/artifacts/sha256/${name}.zip`;
    inputs.push({ name, dir, artifact: { name, uri, sha256: '0'.repeat(64), size: 1, files: 1 } });
  }
  const lines: { stream: string; text: string }[] = [];
  const stored = new Map<string, Record<string, string>>();
  const artifacts: ArtifactStore = {
    async putDirectory(dir, options): Promise<StoredArtifact> {
      const files: Record<string, string> = {};
      for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) {
          const path = join(entry.parentPath, entry.name);
          files[path.slice(dir.length + 1)] = await readFile(path, 'utf8');
        }
      }
      stored.set(options.name, files);
      const size = Object.values(files).reduce((n, f) => n + f.length, 0);
      return {
        name: options.name,
        uri: `s3://${TEST_BUCKET}/stored/${options.name}.zip`,
        sha256: 'f'.repeat(64),
        size,
        files: Object.keys(files).length,
      };
    },
    async extractTo() {
      throw new Error('not used by the AWS providers');
    },
  };
  const abort = new AbortController();
  const action: Action = {
    name: 'Act',
    actionTypeId: { category: 'Build', owner: 'AWS', provider: 'Commands', version: '1' },
    runOrder: 1,
    configuration: {},
    inputArtifacts: Object.keys(spec.inputs ?? {}).map((name) => ({ name })),
    outputArtifacts: [],
    ...spec.action,
  };
  const run: ActionRun = {
    pipeline: 'web-app',
    executionId: '7f0c',
    stage: 'Build',
    action,
    actionExecutionId: `7f0c:Build:${action.name}:0:1`,
    stageAttempt: 0,
    attempt: 1,
    workspace,
    inputs,
    variables: spec.variables ?? {},
    projectDir: tmp,
    log: { write: (stream, text) => lines.push({ stream, text }) },
    signal: abort.signal,
    artifacts,
  };
  return { run, lines, stored, abort, cleanup: () => rm(tmp, { recursive: true, force: true }) };
}

/**
 * The request a stop gives `ActionProvider.cancel` for a test run's attempt.
 *
 * @example
 * ```ts
 * await provider.cancel?.(cancelRequest(run, { externalExecutionId: 'd-ABC123' }));
 * ```
 */
export function cancelRequest(
  run: ActionRun,
  extra: { externalExecutionId?: string; reason?: string } = {},
): ActionCancelRequest {
  return {
    pipeline: run.pipeline,
    executionId: run.executionId,
    stage: run.stage,
    action: run.action,
    actionExecutionId: run.actionExecutionId,
    reason: extra.reason ?? 'stopped',
    ...(extra.externalExecutionId === undefined ? {} : { externalExecutionId: extra.externalExecutionId }),
  };
}
