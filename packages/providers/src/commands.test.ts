import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commandsProvider } from './commands.ts';
import { makeRun, type TestRun } from './testing/make-run.ts';

let t: TestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

describe('commandsProvider', () => {
  it('runs the commands in one shell so cd and export carry over, and exports output variables', async () => {
    // Prepare
    t = await makeRun({
      action: {
        commands: [
          'mkdir -p out && cd out',
          'export VERSION=1.2.3',
          'echo "$VERSION" > version.txt',
          'LOCAL=x',
        ],
        outputVariables: ['VERSION', 'LOCAL', 'NEVER_SET'],
        outputArtifacts: [{ name: 'Out', files: ['out/**'] }],
      },
      inputs: { Src: { 'app.js': 'console.log(1)' } },
    });
    // Act
    const outcome = await commandsProvider({}).run(t.run);
    // Assess
    expect(outcome).toMatchObject({ status: 'Succeeded', outputVariables: { VERSION: '1.2.3', LOCAL: 'x' } });
    if (outcome.status !== 'Succeeded') throw new Error('unreachable');
    const [artifact] = outcome.outputArtifacts;
    expect(artifact).toMatchObject({ name: 'Out', files: 1 });
    if (!artifact) throw new Error('no artifact');
    expect(await readFile(join(t.store.dirOf(artifact), 'out', 'version.txt'), 'utf8')).toBe('1.2.3\n');
    expect(t.log.text('system')).toMatch(/NEVER_SET was not set/);
  });

  it('never executes variable values: they reach the shell as environment variables', async () => {
    t = await makeRun({
      action: {
        commands: [
          'echo #{Src.CommitMessage}',
          'echo "#{Src.CommitMessage}" > msg.txt',
          "echo '#{Src.Other}' >> msg.txt",
          'test "$PW_Src_CommitMessage" = "#{Src.CommitMessage}"',
        ],
      },
      inputs: { Src: {} },
      variables: {
        'Src.CommitMessage': '"; touch pwned1 #',
        'Src.Other': "$(touch pwned2) `touch pwned3` '",
      },
    });
    const outcome = await commandsProvider({}).run(t.run);
    expect(outcome.status).toBe('Succeeded');
    const files = await readdir(t.run.workspace);
    expect(files.filter((f) => f.startsWith('pwned'))).toEqual([]);
    expect(await readFile(join(t.run.workspace, 'msg.txt'), 'utf8')).toBe(
      '"; touch pwned1 #\n$(touch pwned2) `touch pwned3` \'\n',
    );
  });

  it('fails with the exit code, the failing command and the last 20 log lines', async () => {
    t = await makeRun({
      action: {
        commands: ['for i in $(seq 1 30); do echo line $i; done', 'echo to-stderr >&2; exit 3', 'echo never'],
      },
      inputs: { Src: {} },
    });
    const outcome = await commandsProvider({}).run(t.run);
    expect(outcome).toMatchObject({
      status: 'Failed',
      error: { type: 'JobFailed', message: 'command 2 ("echo to-stderr >&2; exit 3") exited with code 3' },
    });
    if (outcome.status !== 'Failed') throw new Error('unreachable');
    expect(outcome.logTail).toHaveLength(20);
    expect(outcome.logTail?.at(-1)).toBe('to-stderr');
    expect(outcome.logTail?.[0]).toBe('line 12');
    expect(t.log.text()).not.toContain('never');
  });

  it('gives later input artifacts as CODEBUILD_SRC_DIR_<Name> and the workspace as CODEBUILD_SRC_DIR', async () => {
    t = await makeRun({
      action: {
        commands: ['cat "$CODEBUILD_SRC_DIR_Extra/x.txt" > got.txt', 'test "$CODEBUILD_SRC_DIR" = "$PWD"'],
      },
      inputs: { Src: {}, Extra: { 'x.txt': 'extra' } },
    });
    expect((await commandsProvider({}).run(t.run)).status).toBe('Succeeded');
    expect(await readFile(join(t.run.workspace, 'got.txt'), 'utf8')).toBe('extra');
  });

  it('passes environmentVariables with references resolved, and refuses secrets without a resolver', async () => {
    t = await makeRun({
      action: {
        commands: ['printf "%s" "$GREETING" > g.txt'],
        environmentVariables: [{ name: 'GREETING', value: 'hi #{variables.who}', type: 'PLAINTEXT' }],
      },
      inputs: { Src: {} },
      variables: { 'variables.who': '$(whoami)' },
    });
    expect((await commandsProvider({}).run(t.run)).status).toBe('Succeeded');
    expect(await readFile(join(t.run.workspace, 'g.txt'), 'utf8')).toBe('hi $(whoami)');

    t.run.action.environmentVariables = [{ name: 'TOKEN', value: 'prod/token', type: 'SECRETS_MANAGER' }];
    expect(await commandsProvider({}).run(t.run)).toMatchObject({
      status: 'Failed',
      error: { type: 'ConfigurationError' },
    });
    t.run.action.commands = ['echo "token is $TOKEN"'];
    const withSecret = await commandsProvider({ resolveSecret: async () => 's3cr3t' }).run(t.run);
    expect(withSecret.status).toBe('Succeeded');
    expect(t.log.text()).toContain('token is ***');
    expect(t.log.text()).not.toContain('s3cr3t');
  });

  it('reports an unknown variable reference as a configuration error', async () => {
    t = await makeRun({ action: { commands: ['echo #{Nope.Thing}'] }, inputs: { Src: {} } });
    expect(await commandsProvider({}).run(t.run)).toMatchObject({
      status: 'Failed',
      error: { type: 'ConfigurationError', message: expect.stringContaining('#{Nope.Thing}') },
    });
  });

  it('kills the whole process group when aborted', async () => {
    t = await makeRun({
      action: { commands: ['sleep 30 &', 'echo $! > bg.pid', 'echo started', 'sleep 30'] },
      inputs: { Src: {} },
    });
    const running = commandsProvider({ killGraceMs: 200 }).run(t.run);
    while (!t.log.text().includes('started')) await new Promise((r) => setTimeout(r, 10));
    t.abort.abort();
    const outcome = await running;
    expect(outcome).toMatchObject({
      status: 'Failed',
      error: { message: expect.stringContaining('stopped') },
    });
    const background = Number(await readFile(join(t.run.workspace, 'bg.pid'), 'utf8'));
    // A killed orphan may linger as a zombie until its new parent reaps it: that counts as dead.
    const alive = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${background}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(alive()).toBe(false);
  });
});
