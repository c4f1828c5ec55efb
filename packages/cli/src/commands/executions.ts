/**
 * `pipewright executions <pipeline-name>`: a pipeline's executions, newest first, a page at
 * a time (CodePipeline's ListPipelineExecutions): id, status, start, duration, trigger and
 * source revision. Read from the local event log, or from the server named with `--server`.
 */
import { InvalidCursorError, pipelineStream, summarizeExecution } from '@pipewright/core';
import { readExecution } from '@pipewright/engine';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { palette } from '../io.ts';
import { type ExecutionRow, renderExecutionList } from '../render/execution-list.ts';
import { durationMs, withoutCode } from '../render/format.ts';
import { namedServer, READ_SERVER_HELP, SERVER_OPTIONS } from '../server-client.ts';
import { serverExecutionPage } from '../server-reads.ts';
import { openExistingStore, STATE_DIR_HELP, stateDirOf, stateDirOption } from '../state-dir.ts';

/** Executions per page unless `--limit` says otherwise. */
export const DEFAULT_LIMIT = 20;
/** The largest `--limit`. */
export const MAX_LIMIT = 100;

function parseLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const text = String(value);
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_LIMIT) {
    throw new UsageError(`--limit takes a whole number from 1 to ${MAX_LIMIT}; got "${text}"`);
  }
  return n;
}

/** `pipewright executions`. */
export const executionsCommand: Command = {
  name: 'executions',
  summary: "List a pipeline's executions, newest first",
  usage: 'pipewright executions <pipeline-name> [--limit N] [--cursor C] [--server URL] [--json]',
  optionHelp: [
    `--limit N            at most N executions (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT})`,
    '--cursor C           the next page: the cursor printed after "more:" (nextCursor in --json)',
    ...READ_SERVER_HELP,
    STATE_DIR_HELP,
    '--json               print { pipeline, executions: [summary + durationMs], nextCursor? }',
  ],
  examples: ['pipewright executions web-app', 'pipewright executions web-app --limit 5 --json'],
  options: {
    limit: { type: 'string' },
    cursor: { type: 'string' },
    ...SERVER_OPTIONS,
    'state-dir': stateDirOption,
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) {
      throw new UsageError(
        `executions takes exactly one pipeline name; got ${positionals.length}`,
        this.usage,
      );
    }
    const pipeline = positionals[0] as string;
    const limit = parseLimit(values.limit);
    const cursor = values.cursor as string | undefined;
    const server = namedServer(values, io);
    const page =
      server === undefined
        ? await readLocalPage(stateDirOf(values, io), pipeline, limit, cursor)
        : await serverExecutionPage(server, pipeline, cursor === undefined ? { limit } : { limit, cursor });
    const rows = page.executions;
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ pipeline, executions: rows, ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) }, null, 2)}\n`,
      );
    } else {
      io.stdout.write(
        `${renderExecutionList(pipeline, rows, page.nextCursor, palette(io.stdout, io.env)).join('\n')}\n`,
      );
    }
    return EXIT.ok;
  },
};

/** A page of list rows from the local event log. */
async function readLocalPage(
  stateDir: string,
  pipeline: string,
  limit: number,
  cursor: string | undefined,
): Promise<{ executions: ExecutionRow[]; nextCursor?: string }> {
  const store = openExistingStore(stateDir);
  try {
    const page = await store
      .listExecutions(pipeline, cursor === undefined ? { limit } : { limit, cursor })
      .catch((e: unknown) => {
        if (e instanceof InvalidCursorError) throw new UsageError(withoutCode(e.message));
        throw e;
      });
    if (
      page.executions.length === 0 &&
      cursor === undefined &&
      (await store.version(pipelineStream(pipeline))) === 0
    ) {
      throw new UsageError(
        `no pipeline named "${pipeline}" in the event log; give the pipeline's name (its "name:"), not its file`,
      );
    }
    const rows: ExecutionRow[] = [];
    for (const entry of page.executions) {
      const { view } = await readExecution(store, entry.executionId);
      const ms = durationMs(view.startedAt, view.endedAt);
      rows.push(
        ms === undefined ? summarizeExecution(view) : { ...summarizeExecution(view), durationMs: ms },
      );
    }
    return page.nextCursor === undefined
      ? { executions: rows }
      : { executions: rows, nextCursor: page.nextCursor };
  } finally {
    await store.close();
  }
}
