import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(root, 'packages/cli/bin/pipewright.js');

/** Runs the real `pipewright` binary as a child process, as a user would. */
function pipewright(args: string[], cwd = root) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempFile(name: string, text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pipewright-cli-'));
  writeFileSync(join(dir, name), text);
  return { dir, file: join(dir, name) };
}

describe('pipewright', () => {
  it('prints help with the commands and exits 0 with --help', () => {
    const { code, stdout } = pipewright(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: pipewright <command>/);
    for (const c of ['validate', 'compile', 'cost']) expect(stdout).toContain(`  ${c}`);
  });

  it('exits 2 and names the commands when the command is unknown', () => {
    const { code, stderr } = pipewright(['deploy-everything']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "deploy-everything"');
    expect(stderr).toContain('validate, compile, cost');
  });

  it('exits 2 without a stack trace when a flag is unknown', () => {
    const { code, stderr } = pipewright(['validate', '--frobnicate', 'x.yaml']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown option '--frobnicate'/);
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('shows examples in a command help', () => {
    const { code, stdout } = pipewright(['compile', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Examples:');
    expect(stdout).toContain('--out FILE');
  });
});

describe('pipewright validate', () => {
  it('accepts the web-app example and exits 0', () => {
    const { code, stdout } = pipewright(['validate', 'examples/web-app/pipeline.yaml']);
    expect(code).toBe(0);
    expect(stdout).toContain('✓ examples/web-app/pipeline.yaml: web-app is valid (5 stages, 6 actions)');
  });

  it('validates the seed CloudFormation template with warnings for its intrinsics', () => {
    const { code, stdout } = pipewright(['validate', 'examples/seed/template.yaml']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /template\.yaml:\d+:\d+ warning: Resources\.MyPipeline\.Properties\.RoleArn: "!GetAtt PipelineRole\.Arn"/,
    );
    expect(stdout).toContain('MyPipeline is valid (2 stages, 2 actions, 2 warnings)');
  });

  it('reports line and column of malformed YAML and exits 1 without a stack trace', () => {
    const { dir } = tempFile('bad.yaml', 'name: x\nstages:\n  - name: [unclosed\n');
    const { code, stdout, stderr } = pipewright(['validate', 'bad.yaml'], dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^bad\.yaml:\d+:\d+ /m);
    expect(stdout).toContain('✗ bad.yaml: 1 error');
    expect(stderr).toBe('');
  });

  it('reports every problem at once as file:line:col path: message', () => {
    const { dir } = tempFile(
      'p.yaml',
      [
        'name: two-problems',
        'stages:',
        '  - name: Source',
        '    actions:',
        '      - name: Checkout',
        '        type: Source/Git',
        '        configuration: { RepositoryUrl: ./repo, BranchName: main }',
        '        outputs: [Src]',
        '  - name: Source',
        '    actions:',
        '      - name: Build',
        '        type: Build/Commands',
        '        inputs: [Missing]',
        '        commands: [make]',
        '',
      ].join('\n'),
    );
    const { code, stdout } = pipewright(['validate', 'p.yaml', '--json'], dir);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      valid: boolean;
      files: { diagnostics: { code: string; path: string; line: number }[] }[];
    };
    expect(report.valid).toBe(false);
    const diagnostics = report.files[0]?.diagnostics ?? [];
    expect(diagnostics.map((d) => d.path)).toEqual(
      expect.arrayContaining(['stages[1].name', 'stages[1].actions[0].inputArtifacts[0]']),
    );
    expect(diagnostics.every((d) => typeof d.line === 'number')).toBe(true);
  });

  it('exits 2 with the reason when a file does not exist', () => {
    const { code, stderr } = pipewright(['validate', 'no/such/pipeline.yaml']);
    expect(code).toBe(2);
    expect(stderr).toBe('pipewright: cannot read no/such/pipeline.yaml: no such file\n');
  });
});

describe('pipewright compile', () => {
  it('prints the ASL definition of the web-app example on stdout', () => {
    const { code, stdout } = pipewright(['compile', 'examples/web-app/pipeline.yaml']);
    expect(code).toBe(0);
    const definition = JSON.parse(stdout) as { QueryLanguage: string; States: Record<string, unknown> };
    expect(definition.QueryLanguage).toBe('JSONata');
    expect(Object.keys(definition.States)).toEqual(
      expect.arrayContaining(['Build.Compile', 'Deploy.Publish']),
    );
  });

  it('writes the definition to --out and says so, with ARNs substituted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipewright-cli-'));
    const out = join(dir, 'seed.asl.json');
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:runner';
    const { code, stdout } = pipewright([
      'compile',
      'examples/seed/template.yaml',
      '--out',
      out,
      '--action-runner',
      arn,
      '--json',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ file: out, pipeline: 'MyPipeline' });
    expect(readFileSync(out, 'utf8')).toContain(arn);
  });

  it('exits 1 with the diagnostics on stderr when the pipeline is invalid', () => {
    const { dir } = tempFile('one-stage.yaml', 'name: lonely\nstages:\n  - name: Source\n    actions: []\n');
    const { code, stdout, stderr } = pipewright(['compile', 'one-stage.yaml'], dir);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('one-stage.yaml is invalid; fix the errors above, then compile again');
  });
});
