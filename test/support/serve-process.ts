/**
 * `pipewright serve` as a real child process on a free port (`--port 0`): started, its output
 * collected, its URL read from its first lines, killed when the test's clean-ups run.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { Cleanups } from './cleanups.ts';
import { PIPEWRIGHT_BIN } from './paths.ts';

/** Text a stream has written so far (the object stays the same; `text` grows). */
export interface Collected {
  text: string;
}

/** A running `pipewright serve`. */
export interface ServeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Where it listens: `http://127.0.0.1:<port>`. */
  readonly base: string;
  /** Its stdout so far. */
  readonly output: Collected;
  /** Its stderr so far. */
  readonly errors: Collected;
  /** Its stdout and stderr so far, interleaved as they arrived. */
  readonly transcript: Collected;
  /** Resolves with the first match of `pattern` in its stdout; rejects after 30 s or once it exits. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** Sends SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Where {@link startServe} runs the server. */
export interface ServeOptions {
  /** The working directory (its `.pipewright/` is the state directory). */
  cwd: string;
  /** The pipeline directory, `--dir` (relative to `cwd` or absolute). */
  dir: string;
  /** Kills the process (SIGKILL) when they run. */
  cleanups: Cleanups;
}

const WAIT_MS = 30_000;

/**
 * Starts `pipewright serve --dir <dir> --port 0` (with `NO_COLOR=1`) and resolves once it prints
 * the address it listens on.
 *
 * @example
 * ```ts
 * const serve = await startServe({ cwd, dir: 'web-app', cleanups });
 * await fetch(`${serve.base}/api/pipelines`);
 * await serve.waitFor(/web-app is now version 2/);
 * expect(await serve.stop()).toBe(0);
 * ```
 */
export async function startServe({ cwd, dir, cleanups }: ServeOptions): Promise<ServeProcess> {
  const child = spawn(process.execPath, [PIPEWRIGHT_BIN, 'serve', '--dir', dir, '--port', '0'], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
  });
  cleanups.add(() => {
    child.kill('SIGKILL');
  });
  const output: Collected = { text: '' };
  const errors: Collected = { text: '' };
  const transcript: Collected = { text: '' };
  child.stdout.on('data', (chunk: Buffer) => {
    output.text += chunk.toString();
    transcript.text += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    errors.text += chunk.toString();
    transcript.text += chunk.toString();
  });
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((done, fail) => {
      const finish = () => {
        clearTimeout(timer);
        child.stdout.off('data', check);
        child.off('close', closed);
      };
      const check = () => {
        const match = pattern.exec(output.text);
        if (match) {
          finish();
          done(match);
        }
      };
      const closed = (code: number | null, signal: NodeJS.Signals | null) => {
        finish();
        fail(new Error(`serve exited (${code ?? signal}) before printing ${pattern}: ${transcript.text}`));
      };
      const timer = setTimeout(() => {
        finish();
        fail(new Error(`timed out waiting for ${pattern}: ${transcript.text}`));
      }, WAIT_MS);
      child.stdout.on('data', check);
      child.on('close', closed);
      check();
    });
  const [, base = ''] = await waitFor(/on (http:\/\/127\.0\.0\.1:\d+)/);
  return {
    child,
    base,
    output,
    errors,
    transcript,
    waitFor,
    stop: () => {
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      child.kill('SIGTERM');
      return exited;
    },
  };
}
