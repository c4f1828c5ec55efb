/**
 * `pipewright show <execution-id>`: everything the event log knows about one execution —
 * its header, every stage and action with status, duration, errors, outputs, approvals.
 * `--json` prints the execution view exactly as folding its events gives it.
 */
import type { EventStore } from '@pipewright/core';
import { type ExecutionRead, readExecution, UnknownExecutionError } from '@pipewright/engine';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { palette } from '../io.ts';
import { renderExecution } from '../render/execution-detail.ts';
import { withoutCode } from '../render/format.ts';
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
  usage: 'pipewright show <execution-id> [--json]',
  optionHelp: [
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
    'state-dir': stateDirOption,
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) {
      throw new UsageError(`show takes exactly one execution id; got ${positionals.length}`, this.usage);
    }
    const store = openExistingStore(stateDirOf(values, io));
    try {
      const { view } = await readKnownExecution(store, positionals[0] as string);
      if (values.json) {
        io.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
      } else {
        const c = palette(io.stdout, io.env);
        io.stdout.write(`${renderExecution(view, c).join('\n')}\n`);
      }
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
