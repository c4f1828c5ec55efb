/**
 * Change detection for local repositories (CodePipeline's `PollForSourceChanges`): every few
 * seconds the poller reads the head of each watched branch (`git rev-parse refs/heads/<branch>`)
 * and, when it moved since the last poll, delivers a git push — the new commit, its message, the
 * branch and the files changed since the previous head — to the pipeline. The pipeline's
 * trigger filters decide whether it starts (`TriggerDispatcher` records every delivery).
 *
 * The first poll of a source only records its head: commits made while the server was down do
 * not start anything. A delivery's id is `<pipeline>:<repository>:<commit>`, so a commit is
 * delivered once per pipeline and repository, whatever restarts or reloads happen; and given the
 * event log, a commit one of the pipeline's latest executions already has as the action's
 * revision (a webhook or a manual start got there first) is not delivered again.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventStore, GitDelivery, Pipeline } from '@pipewright/core';
import { readExecution } from '@pipewright/engine';
import { type PolledSource, polledSources } from './polled-sources.ts';

/** The default time between two polls (ms). */
export const DEFAULT_POLL_INTERVAL_MS = 10_000;

/** How many of a pipeline's latest executions are looked at for a commit that already ran. */
const RECENT_EXECUTIONS = 20;

/** A served pipeline and the directory its relative repository paths are resolved against. */
export interface PolledPipeline {
  pipeline: Pipeline;
  projectDir: string;
}

/** Options of {@link GitPoller}. */
export interface GitPollerOptions {
  /** Delivers a push (e.g. `TriggerDispatcher.deliver`); a rejection is reported and retried on the next poll. */
  deliver(pipeline: string, delivery: GitDelivery): Promise<unknown>;
  /** Time between polls (default {@link DEFAULT_POLL_INTERVAL_MS}). */
  intervalMs?: number;
  /** The `repositories` setting, paths made absolute: CodeCommit & co. mapped to local repositories. */
  repositories?: Readonly<Record<string, string>>;
  /** The event log: commits the pipeline's latest executions already have for the source action are not delivered. */
  store?: EventStore;
  /** The clock, for the deliveries' `at` (default: the system clock). */
  now?: () => Date;
  /** Told once about a source that cannot be read (and again when the problem changes); the poller keeps going. */
  onError?: (error: Error, source: PolledSource) => void;
}

interface SourceState {
  /** The head seen last: a commit, `null` for a missing branch, absent before the first poll. */
  head?: string | null;
  /** The last problem reported, so that it is reported once. */
  error?: string;
}

/** Runs git in a repository without looking above it for another one. */
function git(
  path: string,
  args: readonly string[],
): Promise<{ ok: boolean; code: unknown; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      'git',
      [...args],
      {
        cwd: path,
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
        env: {
          ...process.env,
          GIT_CEILING_DIRECTORIES: dirname(path),
          GIT_TERMINAL_PROMPT: '0',
          LC_ALL: 'C',
        },
      },
      (error, stdout, stderr) =>
        done({
          ok: error === null,
          code: error?.code,
          stdout,
          stderr: stderr.trim() || (error?.message ?? ''),
        }),
    );
  });
}

/** The ref a source watches and its commit (`null`: the branch does not exist). */
async function readHead(source: PolledSource): Promise<{ ref: string; commit: string | null }> {
  if (!existsSync(source.path)) {
    throw new Error(
      `repository ${source.path} of ${source.pipeline}/${source.actionName} does not exist; create it or fix the source action's repository`,
    );
  }
  let ref = source.branch === undefined ? undefined : `refs/heads/${source.branch}`;
  if (ref === undefined) {
    const head = await git(source.path, ['symbolic-ref', '-q', 'HEAD']);
    if (!head.ok || head.stdout.trim() === '') {
      throw new Error(
        `cannot tell which branch ${source.pipeline}/${source.actionName} reads from ${source.path}: ${head.stderr.trim() || 'HEAD is detached'}; set its BranchName`,
      );
    }
    ref = head.stdout.trim();
  }
  const parsed = await git(source.path, ['rev-parse', '-q', '--verify', `${ref}^{commit}`]);
  if (parsed.ok) return { ref, commit: parsed.stdout.trim() };
  // `--verify -q` exits 1, silently, when the ref does not exist; 128 when this is no repository.
  if (parsed.code === 1) return { ref, commit: null };
  throw new Error(
    `cannot read ${ref} of ${source.pipeline}/${source.actionName} in ${source.path}: ${parsed.stderr}`,
  );
}

/** Files changed from `from` (or every file, for a new branch) to `to`; undefined when git cannot tell. */
async function changedFiles(path: string, from: string | null, to: string): Promise<string[] | undefined> {
  const r =
    from === null
      ? await git(path, ['ls-tree', '-r', '--name-only', '-z', to])
      : await git(path, ['diff', '--name-only', '--no-renames', '-z', from, to, '--']);
  return r.ok ? r.stdout.split('\0').filter((f) => f !== '') : undefined;
}

async function subject(path: string, commit: string): Promise<string | undefined> {
  const r = await git(path, ['log', '-1', '--format=%s', commit, '--']);
  const text = r.stdout.trim();
  return r.ok && text !== '' ? text : undefined;
}

function keyOf(s: PolledSource): string {
  return [s.pipeline, s.actionName, s.path, s.branch ?? ''].join('\0');
}

/**
 * Polls the local repositories of the served pipelines and delivers their new commits.
 *
 * @example
 * ```ts
 * const poller = new GitPoller({ deliver: (p, d) => triggers.deliver(p, d), repositories });
 * poller.update([{ pipeline, projectDir: '/srv/pipelines' }]);
 * poller.start(); // …
 * await poller.stop();
 * ```
 */
export class GitPoller {
  readonly #o: GitPollerOptions;
  readonly #sources = new Map<string, PolledSource[]>();
  readonly #state = new Map<string, SourceState>();
  #chain: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(options: GitPollerOptions) {
    this.#o = options;
  }

  /** The sources watched now, in pipeline order. */
  get sources(): PolledSource[] {
    return [...this.#sources.values()].flat();
  }

  /**
   * Watches these pipelines (adding them, or replacing their earlier definitions). A source that
   * stays the same keeps its last head; a new one starts by recording its head.
   */
  update(pipelines: readonly PolledPipeline[]): void {
    for (const { pipeline, projectDir } of pipelines) {
      this.#sources.set(pipeline.name, polledSources(pipeline, projectDir, this.#o.repositories));
    }
    const live = new Set(this.sources.map(keyOf));
    for (const key of this.#state.keys()) if (!live.has(key)) this.#state.delete(key);
  }

  /** Stops watching the sources of these pipelines (their files were removed). */
  forget(pipelines: readonly string[]): void {
    for (const name of pipelines) this.#sources.delete(name);
    const live = new Set(this.sources.map(keyOf));
    for (const key of this.#state.keys()) if (!live.has(key)) this.#state.delete(key);
  }

  /** Polls now, then every interval, until {@link stop}. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    const tick = () => {
      this.poll().finally(() => {
        if (this.#running) this.#timer = setTimeout(tick, this.#o.intervalMs ?? DEFAULT_POLL_INTERVAL_MS);
      });
    };
    tick();
  }

  /** Stops polling; resolves once a poll under way has finished. */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#chain;
  }

  /** One poll of every source (after any poll under way). Never rejects: problems go to `onError`. */
  poll(): Promise<void> {
    this.#chain = this.#chain.then(() => this.#pollAll()).catch(() => undefined);
    return this.#chain;
  }

  async #pollAll(): Promise<void> {
    const heads = new Map<string, Promise<{ ref: string; commit: string | null }>>();
    const delivered = new Set<string>();
    for (const source of this.sources) {
      const key = keyOf(source);
      const state = this.#state.get(key) ?? {};
      this.#state.set(key, state);
      const where = `${source.path}\0${source.branch ?? ''}`;
      let head = heads.get(where);
      if (head === undefined) {
        head = readHead(source);
        heads.set(where, head);
      }
      try {
        const { ref, commit } = await head;
        delete state.error;
        if (state.head === undefined || commit === null || commit === state.head) {
          state.head = commit;
          continue;
        }
        const triggerId = `${source.pipeline}:${source.repository}:${commit}`;
        if (!delivered.has(triggerId) && !(await this.#alreadyRan(source, commit))) {
          await this.#deliver(source, triggerId, ref, state.head, commit);
          delivered.add(triggerId);
        }
        state.head = commit;
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        if (state.error !== error.message) this.#o.onError?.(error, source);
        state.error = error.message;
      }
    }
  }

  /** True when one of the pipeline's latest executions has `commit` as the action's revision. */
  async #alreadyRan(source: PolledSource, commit: string): Promise<boolean> {
    const store = this.#o.store;
    if (store === undefined) return false;
    const page = await store.listExecutions(source.pipeline, { limit: RECENT_EXECUTIONS });
    for (const { executionId } of page.executions) {
      const { view } = await readExecution(store, executionId);
      if (view.sourceRevisions.some((r) => r.actionName === source.actionName && r.revisionId === commit))
        return true;
    }
    return false;
  }

  async #deliver(
    source: PolledSource,
    triggerId: string,
    ref: string,
    previous: string | null,
    commit: string,
  ): Promise<void> {
    const files = await changedFiles(source.path, previous, commit);
    const message = await subject(source.path, commit);
    await this.#o.deliver(source.pipeline, {
      kind: 'git',
      provider: 'poller',
      triggerId,
      at: (this.#o.now?.() ?? new Date()).toISOString(),
      event: {
        kind: 'push',
        repository: source.repository,
        ref,
        commitId: commit,
        ...(message === undefined ? {} : { commitMessage: message }),
        ...(files === undefined ? {} : { changedFiles: files }),
      },
    });
  }
}
