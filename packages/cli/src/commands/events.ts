/**
 * `pipewright events <execution-id>`: the execution's event log, one line per event (seq,
 * time, type, summary), or the stored records as a JSON array with `--json`.
 */
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { palette } from '../io.ts';
import { renderEventLine } from '../render/event-line.ts';
import { openExistingStore, STATE_DIR_HELP, stateDirOf, stateDirOption } from '../state-dir.ts';
import { readKnownExecution } from './show.ts';

function parseFrom(value: unknown): number {
  if (value === undefined) return 1;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UsageError(`--from takes an event sequence number (1 or more); got "${text}"`);
  }
  return Number(text);
}

/** `pipewright events`. */
export const eventsCommand: Command = {
  name: 'events',
  summary: "List an execution's events, in order",
  usage: 'pipewright events <execution-id> [--from SEQ] [--json]',
  optionHelp: [
    '--from SEQ           start at this sequence number (default 1)',
    STATE_DIR_HELP,
    '--json               print the stored event records as a JSON array',
  ],
  examples: [
    'pipewright events 119c7765-978f-4ed1-985f-d65f61033afe',
    'pipewright events 119c7765-978f-4ed1-985f-d65f61033afe --from 10 --json',
  ],
  options: {
    from: { type: 'string' },
    'state-dir': stateDirOption,
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) {
      throw new UsageError(`events takes exactly one execution id; got ${positionals.length}`, this.usage);
    }
    const from = parseFrom(values.from);
    const store = openExistingStore(stateDirOf(values, io));
    try {
      const { records: all } = await readKnownExecution(store, positionals[0] as string);
      const records = all.filter((r) => r.seq >= from);
      if (values.json) {
        io.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
        return EXIT.ok;
      }
      const c = palette(io.stdout, io.env);
      const seqWidth = String(all.at(-1)?.seq ?? 1).length;
      const typeWidth = Math.max(0, ...records.map((r) => r.type.length));
      const lines = records.map((r) => renderEventLine(r, seqWidth, typeWidth, c));
      if (records.length === 0) lines.push(`no events from seq ${from}; the last is ${all.at(-1)?.seq ?? 0}`);
      io.stdout.write(`${lines.join('\n')}\n`);
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
