import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSettingsError } from '../errors.ts';
import { prepareRepositories } from './prepare-repositories.ts';

const run = promisify(execFile);

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd, encoding: 'utf8' })).stdout.trim();
}

describe('prepareRepositories', () => {
  let base: string;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'pw-prepare-'));
    await mkdir(join(base, 'app', 'src'), { recursive: true });
    await writeFile(join(base, 'app', 'package.json'), '{ "name": "app" }\n');
    await writeFile(join(base, 'app', 'src', 'index.js'), 'export const x = 1;\n');
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('creates the repository with the files of from as its first commit', async () => {
    // Act
    const [prepared] = await prepareRepositories([{ path: './repo', from: './app', branch: 'main' }], base);

    // Assess
    const repo = join(base, 'repo');
    expect(prepared).toEqual({
      path: repo,
      created: true,
      commitId: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(await git(repo, 'rev-parse', 'HEAD')).toBe(prepared?.commitId);
    expect(await git(repo, 'branch', '--show-current')).toBe('main');
    expect(await git(repo, 'ls-files')).toBe('package.json\nsrc/index.js');
    expect(await git(repo, 'log', '--format=%an <%ae>|%cn|%s')).toBe(
      'Pipewright <examples@pipewright.invalid>|Pipewright|Initial commit of app',
    );
    expect(await git(repo, 'status', '--porcelain')).toBe('');
  });

  it('uses the branch and message of the seed', async () => {
    await prepareRepositories(
      [{ path: 'repo', from: 'app', branch: 'trunk', message: 'Initial commit of the example app' }],
      base,
    );
    const repo = join(base, 'repo');
    expect(await git(repo, 'branch', '--show-current')).toBe('trunk');
    expect(await git(repo, 'log', '--format=%s')).toBe('Initial commit of the example app');
  });

  it('does not copy .git or node_modules from the source directory', async () => {
    await mkdir(join(base, 'app', 'node_modules', 'dep'), { recursive: true });
    await writeFile(join(base, 'app', 'node_modules', 'dep', 'index.js'), '');
    await mkdir(join(base, 'app', '.git'));
    await writeFile(join(base, 'app', '.git', 'HEAD'), 'not a real repository\n');

    await prepareRepositories([{ path: './repo', from: './app', branch: 'main' }], base);

    expect((await readdir(join(base, 'repo'))).sort()).toEqual(['.git', 'package.json', 'src']);
  });

  it('leaves an existing repository untouched', async () => {
    // Prepare
    const seeds = [{ path: './repo', from: './app', branch: 'main' }];
    const [first] = await prepareRepositories(seeds, base);
    await writeFile(join(base, 'app', 'added-later.txt'), 'x\n');

    // Act
    const [second] = await prepareRepositories(seeds, base);

    // Assess
    expect(second).toEqual({ path: join(base, 'repo'), created: false, commitId: first?.commitId });
    expect(await git(join(base, 'repo'), 'rev-list', '--count', 'HEAD')).toBe('1');
    expect(await readdir(join(base, 'repo'))).not.toContain('added-later.txt');
  });

  it('creates the repository in an existing empty directory', async () => {
    await mkdir(join(base, 'repo'));
    const [prepared] = await prepareRepositories([{ path: './repo', from: './app', branch: 'main' }], base);
    expect(prepared?.created).toBe(true);
    expect(await readFile(join(base, 'repo', 'package.json'), 'utf8')).toContain('"app"');
  });

  it('creates missing parent directories of the path', async () => {
    const [prepared] = await prepareRepositories(
      [{ path: './repos/deep/repo', from: './app', branch: 'main' }],
      base,
    );
    expect(prepared?.path).toBe(join(base, 'repos', 'deep', 'repo'));
    expect(await git(join(base, 'repos', 'deep', 'repo'), 'ls-files')).toContain('package.json');
  });

  it('refuses a non-empty directory that is not a git repository and leaves it as it was', async () => {
    // Prepare
    await mkdir(join(base, 'repo'));
    await writeFile(join(base, 'repo', 'mine.txt'), 'keep me\n');

    // Act
    const attempt = prepareRepositories([{ path: './repo', from: './app', branch: 'main' }], base, {
      file: 'pipewright.local.yaml',
    });

    // Assess
    await expect(attempt).rejects.toThrow(LocalSettingsError);
    await expect(attempt).rejects.toThrow(
      /pipewright\.local\.yaml: setup\.repositories\[0\]\.path: \.\/repo \(.*\) is a non-empty directory that is not a git repository; remove it or point path elsewhere/,
    );
    expect(await readdir(join(base, 'repo'))).toEqual(['mine.txt']);
    expect((await readdir(base)).sort()).toEqual(['app', 'repo']);
  });

  it('refuses a from directory that does not exist', async () => {
    const attempt = prepareRepositories([{ path: './repo', from: './missing', branch: 'main' }], base);
    await expect(attempt).rejects.toThrow(
      /setup\.repositories\[0\]\.from: \.\/missing \(.*\) is not a directory/,
    );
    expect((await readdir(base)).sort()).toEqual(['app']);
  });

  it('refuses a path inside from', async () => {
    const attempt = prepareRepositories([{ path: './app/repo', from: './app', branch: 'main' }], base);
    await expect(attempt).rejects.toThrow(/is inside from/);
  });

  it('creates the repository once when several runs prepare it at the same time', async () => {
    // Prepare
    const seeds = [{ path: './repo', from: './app', branch: 'main' }];

    // Act
    const results = (await Promise.all([1, 2, 3, 4, 5].map(() => prepareRepositories(seeds, base)))).flat();

    // Assess
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const head = await git(join(base, 'repo'), 'rev-parse', 'HEAD');
    expect(results.map((r) => r.commitId)).toEqual([head, head, head, head, head]);
    expect(await git(join(base, 'repo'), 'rev-list', '--count', 'HEAD')).toBe('1');
    expect((await readdir(base)).sort()).toEqual(['app', 'repo']);
  });

  it('prepares several seeds in order', async () => {
    const prepared = await prepareRepositories(
      [
        { path: './one', from: './app', branch: 'main' },
        { path: './two', from: './app/src', branch: 'main' },
      ],
      base,
    );
    expect(prepared.map((p) => [p.path, p.created])).toEqual([
      [join(base, 'one'), true],
      [join(base, 'two'), true],
    ]);
    expect(await git(join(base, 'two'), 'ls-files')).toBe('index.js');
  });
});
