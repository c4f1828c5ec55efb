/**
 * The served directory kept live: at start and whenever something in it changes, its pipeline
 * files are read again and what changed takes effect at once — a new file's pipeline gets its
 * version, schedules, polled sources and webhook secret; a changed one a new version; a
 * removed one stops being served (schedules, polling, webhook, starts) while its running
 * executions finish. Problems are reported once each: an invalid file, a second file naming a
 * served pipeline, a broken or deleted `pipewright.local.yaml`.
 *
 * @example
 * ```ts
 * const directory = new LiveDirectory({ options, runtime, settings, scheduler, poller, known });
 * await directory.start();
 * directory.watch();
 * await directory.stop();
 * ```
 */
import { dirname } from 'node:path';
import type { Pipeline } from '@pipewright/core';
import { LocalServerError, LocalSettingsError } from '../errors.ts';
import type { LocalRuntime } from '../runtime/local-runtime.ts';
import type { GitPoller } from '../triggers/git-poller.ts';
import type { LocalScheduler } from '../triggers/local-scheduler.ts';
import { webhookSecret } from '../triggers/webhook-secret.ts';
import type { LocalServerOptions, LocalServerReport } from './open-local-server.ts';
import { pipelineFilesIn, watchDirectory } from './pipeline-dir.ts';
import { type DirectoryChange, ServedPipelines } from './served-pipelines.ts';
import { reloadServerSettings, type ServerSettings } from './server-settings.ts';

/** What a {@link LiveDirectory} keeps up to date. */
export interface LiveDirectoryParts {
  options: Pick<LocalServerOptions, 'dir' | 'stateDir' | 'readFile' | 'report' | 'env'>;
  runtime: LocalRuntime;
  settings: ServerSettings;
  scheduler: LocalScheduler;
  poller: GitPoller;
  /** Every definition served since start, by name (notifications of executions still running). */
  known: Map<string, Pipeline>;
}

/** The served directory, kept live. */
export class LiveDirectory {
  /** The pipelines served now. */
  readonly served = new ServedPipelines();
  readonly #p: LiveDirectoryParts;
  readonly #secrets = new Map<string, string>();
  #webhooks: ServerSettings['webhooks'];
  #settingsText: string | undefined;
  #reported = new Set<string>();
  #chain: Promise<void> = Promise.resolve();
  #unwatch: (() => Promise<void>) | undefined;

  constructor(parts: LiveDirectoryParts) {
    this.#p = parts;
    this.#webhooks = parts.settings.webhooks;
    this.#settingsText = parts.settings.text;
  }

  /**
   * Serves the directory's valid pipelines.
   *
   * @throws {LocalServerError} when none is valid.
   * @throws {LocalSettingsError} when a webhook secret cannot be found.
   */
  async start(): Promise<void> {
    await this.#load(true);
    if (this.served.all().length === 0)
      throw new LocalServerError(`${this.#p.options.dir} holds no valid pipeline to serve`);
  }

  /** Watches the directory from now on. */
  watch(): void {
    this.#unwatch ??= watchDirectory(this.#p.options.dir, () => this.refresh());
  }

  /** Reads the directory again (after any reading under way); never rejects. */
  refresh(): Promise<void> {
    this.#chain = this.#chain
      .then(async () => {
        await this.#reloadSettings();
        await this.#load(false);
      })
      .catch((e: unknown) =>
        this.#p.options.report({
          kind: 'problem',
          message: `reloading ${this.#p.options.dir} failed: ${(e as Error).message}`,
        }),
      );
    return this.#chain;
  }

  /** Stops watching; resolves once a reading under way has ended. */
  async stop(): Promise<void> {
    await this.#unwatch?.();
    await this.#chain;
  }

  /** The webhook secret of a served pipeline (`undefined`: not served, or no secret). */
  webhookSecret(name: string): string | undefined {
    return this.served.get(name) === undefined ? undefined : this.#secrets.get(name);
  }

  async #load(starting: boolean): Promise<void> {
    const { options, runtime, known } = this.#p;
    const change = this.served.plan(pipelineFilesIn(options.dir).map((file) => options.readFile(file)));
    const news: LocalServerReport[] = [];
    for (const { pipeline, file } of change.loaded) {
      const before = this.served.previous(pipeline.name);
      const versioned = await runtime.addPipeline(pipeline, dirname(file));
      change.next.set(versioned.name, { pipeline: versioned, file });
      known.set(versioned.name, versioned);
      if (before === undefined) news.push({ kind: 'added', pipeline: versioned.name, file });
      else if (before.pipeline.version !== versioned.version)
        news.push({ kind: 'version', pipeline: versioned.name, version: versioned.version ?? 1 });
    }
    this.served.commit(change);
    this.#retire(change);
    this.#p.scheduler.schedule(this.served.all().map((s) => s.pipeline));
    this.#p.poller.update(
      change.loaded.map(({ pipeline, file }) => ({ pipeline, projectDir: dirname(file) })),
    );
    const problems = [...change.problems];
    for (const { pipeline } of change.loaded) problems.push(...this.#secret(pipeline.name, starting));
    this.#report(problems);
    // Told once everything is in place: a new pipeline's webhook and schedules work from now on.
    if (!starting) for (const report of news) options.report(report);
  }

  /** Stops the schedules, polling and webhook of pipelines no longer served. */
  #retire(change: DirectoryChange): void {
    if (change.removed.length === 0) return;
    this.#p.poller.forget(change.removed.map((s) => s.pipeline.name));
    for (const { pipeline, file } of change.removed) {
      this.#secrets.delete(pipeline.name);
      this.#p.options.report({ kind: 'removed', pipeline: pipeline.name, file });
    }
  }

  /** Finds the webhook secret of a pipeline (at start, a missing one stops the server); the problem, if any. */
  #secret(name: string, starting: boolean): string[] {
    const { stateDir, env } = this.#p.options;
    try {
      this.#secrets.set(name, webhookSecret(stateDir, name, this.#webhooks[name], env));
      return [];
    } catch (e) {
      if (starting || !(e instanceof LocalSettingsError)) throw e;
      this.#secrets.delete(name);
      return [`${e.message.replace(/^\[PW\d+\] /, '')}; the webhook of ${name} answers 404 until then`];
    }
  }

  async #reloadSettings(): Promise<void> {
    const change = await reloadServerSettings(this.#p.options.dir, this.#settingsText);
    if (change.kind === 'same') return;
    this.#settingsText = change.kind === 'changed' ? change.settings.text : change.text;
    const { report } = this.#p.options;
    if (change.kind === 'deleted') {
      report({
        kind: 'problem',
        message: `${change.file} was deleted: the last good settings keep running until serve restarts`,
      });
    } else if (change.kind === 'invalid') {
      report({ kind: 'problem', message: `${change.message}; the last good settings keep running` });
    } else {
      // The secrets are found again by the reading of the pipelines that follows.
      this.#webhooks = change.settings.webhooks;
      report({
        kind: 'notice',
        message: `${change.file} changed: webhook secrets apply now; restart serve to apply its other settings`,
      });
    }
  }

  /** Reports the problems not already reported by the last reading. */
  #report(problems: readonly string[]): void {
    const now = new Set(problems);
    for (const message of now)
      if (!this.#reported.has(message)) this.#p.options.report({ kind: 'problem', message });
    this.#reported = now;
  }
}
