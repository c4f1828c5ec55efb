/**
 * The served directory on disk: its pipeline files, and a watch that calls back (debounced)
 * whenever something in it changes.
 *
 * @example
 * ```ts
 * const files = pipelineFilesIn('/srv/pipelines'); // ['/srv/pipelines/api.yaml', …]
 * const stop = watchDirectory('/srv/pipelines', () => reload());
 * ```
 */
import { readdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_SETTINGS_FILE } from '../settings/index.ts';

const PIPELINE_FILE = /\.(ya?ml|json)$/i;

/** The pipeline files (`.yaml`, `.yml`, `.json`, not `pipewright.local.yaml`) of `dir`, sorted, absolute. */
export function pipelineFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.isDirectory() && PIPELINE_FILE.test(e.name) && e.name !== LOCAL_SETTINGS_FILE)
    .map((e) => e.name)
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Calls `changed` once things in `dir` have stopped changing for `quietMs`; calls run one at
 * a time. Returns the function that stops watching (and waits for a call under way).
 */
export function watchDirectory(
  dir: string,
  changed: () => Promise<void>,
  quietMs = 150,
): () => Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  let stopped = false;
  const watcher = watch(dir, () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(() => (stopped ? undefined : changed()));
    }, quietMs);
  });
  return async () => {
    stopped = true;
    clearTimeout(timer);
    watcher.close();
    await running;
  };
}
