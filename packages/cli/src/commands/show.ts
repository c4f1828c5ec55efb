/**
 * `pipewright show <execution-id>`: everything the event log knows about one execution —
 * its header, every stage and action with status, duration, errors, outputs, approvals.
 * `--json` prints the execution view exactly as folding its events gives it. Read from the
 * local event log, or from the server named with `--server` (the same view, rendered the same).
 */
import type { EventStore, ExecutionView } from '@pipewright/core';
import { type ExecutionRead, readExecution, UnknownExecutionError } from '@pipewright/engine';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { type Io, palette } from '../io.ts';
import { renderExecution } from '../render/execution-detail.ts';
import { withoutCode } from '../render/format.ts';
import { namedServer, READ_SERVER_HELP, SERVER_OPTIONS } from '../server-client.ts';
import { serverExecution } from '../server-reads.ts';
import { openExistingStore, STATE_DIR_HELP, stateDirOf, stateDirOption } from '../state-dir.ts';

/**
 * Reads an execution for a reading command; an unknown id is a usage error (exit 2) with the
 * engine's message.
 *
 * @example
 * ```ts
 * const { view } = await readKnownExecution(store, positionals[0]);
 * ```
 */
export async function readKnownExecution(store: EventStore, executionId: string): Promise<ExecutionRead> {
  try {
    return await readExecution(store, executionId);
  } catch (e) {
    if (e instanceof UnknownExecutionError) throw new UsageError(withoutCode(e.message));
    throw e;
  }
}

/** `pipewright show`. */
export const showCommand: Command = {
  name: 'show',
  summary: 'Show an execution: its stages, actions, outputs and approvals',
  usage: 'pipewright show <execution-id> [--server URL] [--json]',
  optionHelp: [
    ...READ_SERVER_HELP,
    STATE_DIR_HELP,
    '--json               print the execution view (the fold of its events) as JSON',
    '',
    'Exit codes: 0 shown (whatever the execution status), 2 unknown execution or wrong usage.',
  ],
  examples: [
    'pipewright show 119c7765-978f-4ed1-985f-d65f61033afe',
    'pipewright show 119c7765-978f-4ed1-985f-d65f61033afe --json',
  ],
  options: {
    ...SERVER_OPTIONS,
    'state-dir': stateDirOption,
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) {
      throw new UsageError(`show takes exactly one execution id; got ${positionals.length}`, this.usage);
    }
    const view = await readView(values, io, positionals[0] as string);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    } else {
      const c = palette(io.stdout, io.env);
      io.stdout.write(`${renderExecution(view, c).join('\n')}\n`);
    }
    return EXIT.ok;
  },
};

/**
 * An execution's view for a reading command: through the named server, else from the local
 * event log (an unknown id is a usage error either way).
 *
 * @example
 * ```ts
 * const view = await readView(values, io, positionals[0]);
 * ```
 */
export async function readView(
  values: Record<string, unknown>,
  io: Io,
  executionId: string,
): Promise<ExecutionView> {
  const server = namedServer(values, io);
  if (server !== undefined) return serverExecution(server, executionId);
  const store = openExistingStore(stateDirOf(values, io));
  try {
    return (await readKnownExecution(store, executionId)).view;
  } finally {
    await store.close();
  }
}
