/**
 * `pipewright events <execution-id>`: the execution's event log, one line per event (seq,
 * time, type, summary), or the stored records as a JSON array with `--json`. Read from the
 * local event log, or from the server named with `--server`.
 */
import type { EventRecord } from '@pipewright/core';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { palette } from '../io.ts';
import { renderEventLine } from '../render/event-line.ts';
import { namedServer, READ_SERVER_HELP, SERVER_OPTIONS } from '../server-client.ts';
import { serverEvents } from '../server-reads.ts';
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
  usage: 'pipewright events <execution-id> [--from SEQ] [--server URL] [--json]',
  optionHelp: [
    '--from SEQ           start at this sequence number (default 1)',
    ...READ_SERVER_HELP,
    STATE_DIR_HELP,
    '--json               print the stored event records as a JSON array',
  ],
  examples: [
    'pipewright events 119c7765-978f-4ed1-985f-d65f61033afe',
    'pipewright events 119c7765-978f-4ed1-985f-d65f61033afe --from 10 --json',
  ],
  options: {
    from: { type: 'string' },
    ...SERVER_OPTIONS,
    'state-dir': stateDirOption,
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) {
      throw new UsageError(`events takes exactly one execution id; got ${positionals.length}`, this.usage);
    }
    const from = parseFrom(values.from);
    const executionId = positionals[0] as string;
    const server = namedServer(values, io);
    const { records, lastSeq } =
      server === undefined
        ? await readLocalEvents(stateDirOf(values, io), executionId, from)
        : await serverEvents(server, executionId, from).then((r) => ({
            records: r.events,
            lastSeq: r.lastSeq,
          }));
    if (values.json) {
      io.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
      return EXIT.ok;
    }
    const c = palette(io.stdout, io.env);
    const seqWidth = String(lastSeq || 1).length;
    const typeWidth = Math.max(0, ...records.map((r) => r.type.length));
    const lines = records.map((r) => renderEventLine(r, seqWidth, typeWidth, c));
    if (records.length === 0) lines.push(`no events from seq ${from}; the last is ${lastSeq}`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT.ok;
  },
};

/** The execution's events from `from` in the local event log, and its last sequence number. */
async function readLocalEvents(
  stateDir: string,
  executionId: string,
  from: number,
): Promise<{ records: EventRecord[]; lastSeq: number }> {
  const store = openExistingStore(stateDir);
  try {
    const { records: all } = await readKnownExecution(store, executionId);
    return { records: all.filter((r) => r.seq >= from), lastSeq: all.at(-1)?.seq ?? 0 };
  } finally {
    await store.close();
  }
}
