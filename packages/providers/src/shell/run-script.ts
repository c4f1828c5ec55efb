/**
 * Runs one generated shell script as one child process in its own process group: stdout and
 * stderr streamed to the action log line by line (secrets masked), the last lines kept for the
 * failure message, and the whole group stopped (SIGTERM, then SIGKILL) when the action is
 * aborted. Background processes a script leaves behind are stopped when it exits. When this
 * process dies without stopping it (`kill -9`, a crash), the group kills itself: a run the
 * crash interrupted is run again after the restart, so it must not also finish on its own.
 *
 * @example
 * ```ts
 * const result = await runScript({ shell: 'bash', args: ['-e'], script: 'echo hi', cwd, env, log, signal, privateDir });
 * result.exitCode; // 0
 * ```
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ActionLog } from '@pipewright/engine';

/** How many trailing log lines a failure shows. */
export const LOG_TAIL_LINES = 20;

/** What to run and where. */
export interface RunScriptOptions {
  /** The shell executable, e.g. `bash` or `/bin/sh`. */
  shell: string;
  /** Flags before the script path, e.g. `['-e']`. */
  args?: readonly string[];
  /** The script text; written to a private temp file, never passed through another shell. */
  script: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  log: ActionLog;
  signal: AbortSignal;
  /** Values replaced by `***` in every logged line (secrets). */
  mask?: readonly string[];
  /** Time between SIGTERM and SIGKILL when aborted (default 5000 ms). */
  killGraceMs?: number;
  /** A private directory (see {@link withPrivateDir}) the script file is written to. */
  privateDir: string;
}

/** How the script ended. */
export interface RunScriptResult {
  /** Exit code, or `null` when ended by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** True when the abort signal stopped it. */
  aborted: boolean;
  /** The last {@link LOG_TAIL_LINES} lines of stdout and stderr. */
  tail: string[];
}

/**
 * Runs `fn` with a fresh private temp directory (mode 0700) and removes it afterwards. Scripts
 * and the result files they write live there, outside the workspace.
 *
 * @example
 * ```ts
 * await withPrivateDir(async (dir) => runScript({ ...options, privateDir: dir }));
 * ```
 */
export async function withPrivateDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'pipewright-sh-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Writes `script` to `privateDir/script.sh` and runs `shell ...args script.sh` in `cwd`.
 *
 * @example
 * ```ts
 * const { exitCode, tail } = await runScript({ shell: 'bash', script: 'false', cwd, env, log, signal, privateDir });
 * ```
 */
export async function runScript(options: RunScriptOptions): Promise<RunScriptResult> {
  const scriptFile = join(options.privateDir, 'script.sh');
  await writeFile(scriptFile, `${ORPHAN_WATCHDOG}${options.script}`, { mode: 0o600 });
  return spawnScript(options, scriptFile);
}

/**
 * The script's first lines (POSIX sh): a background reader of fd 3, a pipe this process holds
 * open and never writes to, kills the script's process group when the pipe reaches EOF, i.e.
 * when this process is gone. The script itself closes fd 3, so its commands never see it.
 */
const ORPHAN_WATCHDOG = '{ read -r _ <&3 || kill -9 0; } </dev/null >/dev/null 2>&1 &\nexec 3<&-\n';

function spawnScript(options: RunScriptOptions, scriptFile: string): Promise<RunScriptResult> {
  const tail: string[] = [];
  const mask = (options.mask ?? []).filter((m) => m.length > 0);
  const emit = (stream: 'stdout' | 'stderr', line: string) => {
    let text = line;
    for (const secret of mask) text = text.split(secret).join('***');
    tail.push(text);
    if (tail.length > LOG_TAIL_LINES) tail.shift();
    options.log.write(stream, `${text}\n`);
  };
  return new Promise((resolvePromise, reject) => {
    if (options.signal.aborted) {
      resolvePromise({ exitCode: null, signal: null, aborted: true, tail });
      return;
    }
    const child = spawn(options.shell, [...(options.args ?? []), scriptFile], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    // The watchdog's pipe (see ORPHAN_WATCHDOG): read so that its end is seen and 'close' fires.
    (child.stdio[3] as Readable | null)?.resume();
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // the group is already gone
      }
    };
    const onAbort = () => {
      aborted = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? 5000);
      killTimer.unref();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    const pending = { stdout: '', stderr: '' };
    for (const stream of ['stdout', 'stderr'] as const) {
      const readable = child[stream] as Readable;
      readable.setEncoding('utf8');
      readable.on('data', (chunk: string) => {
        const lines = (pending[stream] + chunk).split('\n');
        pending[stream] = lines.pop() ?? '';
        for (const line of lines) emit(stream, line);
      });
    }
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    child.on('error', (error) => {
      options.signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Stop what the script left running in the background so its pipes close.
      killGroup('SIGTERM');
    });
    child.on('close', (code, signal) => {
      options.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      for (const stream of ['stdout', 'stderr'] as const)
        if (pending[stream] !== '') emit(stream, pending[stream]);
      const final = exit ?? { code, signal };
      resolvePromise({ exitCode: final.code, signal: final.signal, aborted, tail });
    });
  });
}
