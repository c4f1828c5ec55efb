/**
 * The CLI against bad input (issue 12, item 6), as a careless user or an attacker would give it:
 * - a stage and an action named `..` (the naming rules allow dots) keep every execution's
 *   workspace and logs in its own folder, and `pipewright logs <execution> ../..` reads that
 *   execution's log only;
 * - `run` and `validate` of something that is not a regular file (`/dev/zero`, a FIFO) are
 *   refused at once, without reading it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { initRepo } from '../support/git.ts';
import { PIPEWRIGHT_BIN } from '../support/paths.ts';
import { commandPipelineYaml } from '../support/pipeline-yaml.ts';
import { tempDirSync } from '../support/temp-dirs.ts';

const cleanups = cleanupsAfter(afterAll);

function cli(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [PIPEWRIGHT_BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', PIPEWRIGHT_STATE_DIR: '' },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pipewright with bad input', () => {
  it('keeps the workspace and log of an action named ".." in a stage named ".." inside its execution', () => {
    // Prepare
    const cwd = tempDirSync(cleanups, 'pipewright-dots-');
    initRepo(join(cwd, 'repo'));
    const yaml = commandPipelineYaml({
      name: 'dots',
      stage: '..',
      action: '..',
      command: 'echo "run of $PW_codepipeline_PipelineExecutionId"; pwd',
    });
    writeFileSync(join(cwd, 'pipeline.yaml'), yaml.replace('- name: ..', '- name: ".."'));

    // Act: two executions.
    const ids = [1, 2].map(() => {
      const run = cli(cwd, 'run', 'pipeline.yaml', '--json');
      expect(run.code, run.stderr).toBe(0);
      return (JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { pipelineExecutionId: string })
        .pipelineExecutionId;
    });
    const [first = '', second = ''] = ids;
    const logs = cli(cwd, 'logs', first, '../..');

    // Assess: nothing was written beside the state directory's own folders; each log is its own.
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain(`run of ${first}`);
    expect(logs.stdout).not.toContain(second);
    expect(logs.stdout).toContain(join(cwd, '.pipewright', 'workspaces', first));
    expect(readdirSync(join(cwd, '.pipewright')).filter((f) => f.endsWith('.log'))).toEqual([]);
    expect(existsSync(join(cwd, '.pipewright', 'workspaces', first))).toBe(true);
    expect(readdirSync(join(cwd, '.pipewright', 'workspaces')).filter((f) => /^\d+-\d+$/.test(f))).toEqual(
      [],
    );
  }, 120_000);

  for (const command of ['validate', 'run'] as const) {
    it(`${command} refuses /dev/zero and a FIFO at once, naming what they are`, () => {
      // Prepare
      const cwd = tempDirSync(cleanups, 'pipewright-special-');
      const fifo = join(cwd, 'pipe.yaml');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);

      // Act
      const zero = cli(cwd, command, '/dev/zero');
      const pipe = cli(cwd, command, 'pipe.yaml');

      // Assess: refused with a clear message (a read would never end, or grow without bound).
      expect(zero.code).toBe(2);
      expect(zero.stderr).toContain('/dev/zero is not a regular file');
      expect(pipe.code).toBe(2);
      expect(pipe.stderr).toContain('pipe.yaml is not a regular file');
    });
  }
});
