/**
 * Runs the system `git` with an argument array (never a shell string), no terminal prompts, and
 * the action's abort signal.
 *
 * @example
 * ```ts
 * const sha = (await runGit(['rev-parse', 'HEAD'], { cwd: repo, signal })).trim();
 * ```
 */
import { execFile } from 'node:child_process';
import { ProviderFailure } from '../outcome.ts';

/** Options of {@link runGit}. */
export interface RunGitOptions {
  cwd?: string;
  signal?: AbortSignal;
  env?: Readonly<Record<string, string>>;
}

/**
 * Runs `git ...args` and returns its stdout; a failure becomes a `ProviderFailure` carrying
 * git's own message.
 *
 * @example
 * ```ts
 * await runGit(['clone', '--bare', '--quiet', '--', url, dir]);
 * ```
 */
export function runGit(args: readonly string[], options: RunGitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...args],
      {
        cwd: options.cwd,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'true', LC_ALL: 'C', ...options.env },
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout);
          return;
        }
        if (options.signal?.aborted) {
          reject(new ProviderFailure('JobFailed', 'the git source was stopped before it finished'));
          return;
        }
        const detail = stderr.trim().split('\n').slice(-3).join(' ') || error.message;
        reject(new ProviderFailure('JobFailed', `git ${args[0]} failed: ${detail}`));
      },
    );
  });
}
