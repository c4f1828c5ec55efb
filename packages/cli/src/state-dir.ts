/**
 * Where the local runtime keeps its state: `--state-dir`, else `$PIPEWRIGHT_STATE_DIR`, else
 * `.pipewright` in the working directory (event log, artifacts, logs, approval key).
 *
 * @example
 * ```ts
 * const dir = stateDirOf(values, io); // '/home/me/project/.pipewright'
 * ```
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SqliteEventStore } from '@pipewright/local';
import { InputFileError } from './errors.ts';
import type { Io } from './io.ts';

/** The `--state-dir` option. */
export const stateDirOption = { type: 'string' } as const;

/** The help line of `--state-dir`. */
export const STATE_DIR_HELP =
  '--state-dir DIR      where the event log, artifacts and logs live (default .pipewright)';

/** The state directory for this invocation. */
export function stateDirOf(values: Record<string, unknown>, io: Io): string {
  const given = values['state-dir'];
  if (typeof given === 'string') return resolve(io.cwd, given);
  const env = io.env.PIPEWRIGHT_STATE_DIR;
  return env ? resolve(io.cwd, env) : join(io.cwd, '.pipewright');
}

/**
 * Opens the existing event log for reading commands; a clear error when there is none yet.
 *
 * @example
 * ```ts
 * const store = openExistingStore(stateDirOf(values, io));
 * ```
 */
export function openExistingStore(stateDir: string): SqliteEventStore {
  const file = join(stateDir, 'events.db');
  if (!existsSync(file)) {
    throw new InputFileError(
      file,
      `no event log at ${file}; run a pipeline first (pipewright run <pipeline>), or point --state-dir at the directory that holds one`,
    );
  }
  return SqliteEventStore.open(file);
}
