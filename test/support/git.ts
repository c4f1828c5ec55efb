/** Real `git` in a test's repository. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A function running `git <args>` in `cwd` as user `dev` (so commits need no global config);
 * returns its trimmed stdout.
 *
 * @example
 * ```ts
 * const git = gitIn(repo);
 * git('commit', '-q', '-m', 'Add a greeting');
 * const commit = git('rev-parse', 'HEAD');
 * ```
 */
export function gitIn(cwd: string): (...args: string[]) => string {
  return (...args) =>
    execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.invalid', ...args], {
      cwd,
      encoding: 'utf8',
    }).trim();
}

/**
 * Writes `content` to `<repo>/<file>`, commits everything (`git add -A`) with `message`;
 * returns the new commit's id.
 *
 * @example
 * ```ts
 * const commit = commitFile(repo, 'src/greeting.txt', 'hello\n', 'Add a greeting');
 * ```
 */
export function commitFile(repo: string, file: string, content: string, message: string): string {
  const git = gitIn(repo);
  mkdirSync(dirname(join(repo, file)), { recursive: true });
  writeFileSync(join(repo, file), content);
  git('add', '-A');
  git('commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD');
}

/**
 * Makes `repo` a git repository on branch `main` with one commit of a `README.md`; returns the
 * commit's id.
 *
 * @example
 * ```ts
 * initRepo(join(pipelines, 'repo'));
 * ```
 */
export function initRepo(repo: string): string {
  mkdirSync(repo, { recursive: true });
  gitIn(repo)('init', '-q', '-b', 'main');
  return commitFile(repo, 'README.md', '# a test repository\n', 'Initial commit');
}
