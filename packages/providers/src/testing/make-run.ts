/**
 * Test support (not exported from the package): a real `ActionRun` around a temp directory, a
 * log that records lines, and a small directory-copy artifact store.
 *
 * @example
 * ```ts
 * const t = await makeRun({ action: { commands: ['echo hi'] } });
 * const outcome = await commandsProvider({}).run(t.run);
 * await t.cleanup();
 * ```
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Action } from '@pipewright/core';
import type { ActionInput, ActionLog, ActionRun, ArtifactStore, StoredArtifact } from '@pipewright/engine';
import picomatch from 'picomatch';

/** A log that keeps what was written. */
export interface RecordingLog extends ActionLog {
  lines: { stream: string; text: string }[];
  text(stream?: string): string;
}

/**
 * A log recording every write.
 *
 * @example
 * ```ts
 * const log = recordingLog(); log.write('stdout', 'x\n'); log.text(); // 'x\n'
 * ```
 */
export function recordingLog(): RecordingLog {
  const lines: { stream: string; text: string }[] = [];
  return {
    lines,
    write(stream, text) {
      lines.push({ stream, text });
    },
    text(stream) {
      return lines
        .filter((l) => stream === undefined || l.stream === stream)
        .map((l) => l.text)
        .join('');
    },
  };
}

/**
 * An artifact store copying directories under `root/<n>` (enough to test providers).
 *
 * @example
 * ```ts
 * const store = copyArtifactStore(dir);
 * ```
 */
export function copyArtifactStore(root: string): ArtifactStore & { dirOf(a: StoredArtifact): string } {
  let n = 0;
  const dirs = new Map<string, string>();
  return {
    async putDirectory(dir, options) {
      n += 1;
      const target = join(root, `artifact-${n}`);
      const base = join(dir, options.baseDirectory ?? '.');
      const isMatch = picomatch(options.files && options.files.length > 0 ? [...options.files] : ['**'], {
        dot: true,
      });
      const all = (await readdir(base, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
      let size = 0;
      let files = 0;
      const hash = createHash('sha256');
      for (const entry of all) {
        const rel = join(entry.parentPath, entry.name).slice(base.length + 1);
        if (!isMatch(rel)) continue;
        const dest = join(target, options.discardPaths ? entry.name : rel);
        await mkdir(join(dest, '..'), { recursive: true });
        await cp(join(base, rel), dest);
        const content = await readFile(dest);
        size += content.length;
        files += 1;
        hash.update(rel).update(content);
      }
      await mkdir(target, { recursive: true });
      const sha256 = hash.digest('hex');
      const uri = `test-artifact:${n}`;
      dirs.set(uri, target);
      return { name: options.name, uri, sha256, size, files };
    },
    async extractTo(artifact, dir) {
      await cp(dirs.get(artifact.uri) ?? '', dir, { recursive: true });
    },
    dirOf(artifact) {
      return dirs.get(artifact.uri) ?? '';
    },
  };
}

/** What {@link makeRun} returns. */
export interface TestRun {
  run: ActionRun;
  log: RecordingLog;
  tmp: string;
  store: ReturnType<typeof copyArtifactStore>;
  abort: AbortController;
  cleanup(): Promise<void>;
}

/**
 * A run in a fresh temp directory (`tmp/workspace`, `tmp/project`), with optional input
 * directories created from file maps.
 *
 * @example
 * ```ts
 * const t = await makeRun({ action: { commands: ['ls'] }, inputs: { Src: { 'a.txt': 'A' } } });
 * ```
 */
export async function makeRun(spec: {
  action?: Partial<Action>;
  inputs?: Record<string, Record<string, string>>;
  variables?: Record<string, string>;
}): Promise<TestRun> {
  const tmp = await mkdtemp(join(tmpdir(), 'pw-provider-'));
  const workspace = join(tmp, 'workspace');
  const projectDir = join(tmp, 'project');
  await mkdir(workspace, { recursive: true });
  await mkdir(projectDir, { recursive: true });
  const store = copyArtifactStore(join(tmp, 'store'));
  const inputs: ActionInput[] = [];
  for (const [i, [name, files]] of Object.entries(spec.inputs ?? {}).entries()) {
    const dir = i === 0 ? workspace : join(tmp, 'inputs', name);
    await mkdir(dir, { recursive: true });
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    inputs.push({ name, dir, artifact: { name, uri: `input:${name}`, sha256: '', size: 0, files: 0 } });
  }
  const log = recordingLog();
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
    pipeline: 'test-pipeline',
    executionId: 'exec-1',
    stage: 'Build',
    action,
    actionExecutionId: 'act-1',
    stageAttempt: 0,
    attempt: 1,
    workspace,
    inputs,
    variables: spec.variables ?? {},
    projectDir,
    log,
    signal: abort.signal,
    artifacts: store,
  };
  return { run, log, tmp, store, abort, cleanup: () => rm(tmp, { recursive: true, force: true }) };
}
