/**
 * `pipewright retry <execution> <stage>`: retries a failed stage on the running server
 * (RetryStageExecution): only its failed actions, or all of them with `--all`.
 */
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { callServer, requireServer, SERVER_HELP, SERVER_OPTIONS } from '../server-client.ts';
import { STATE_DIR_HELP, stateDirOption } from '../state-dir.ts';

/** `pipewright retry`. */
export const retryCommand: Command = {
  name: 'retry',
  summary: 'Retry a failed stage of an execution on the running server',
  usage: 'pipewright retry <execution-id> <stage> [--all] [--json]',
  optionHelp: [
    '--all                run every action of the stage again (default: only the failed ones)',
    ...SERVER_HELP,
    STATE_DIR_HELP,
    '--json               print the execution after the retry',
  ],
  examples: [
    'pipewright retry 30b74c0e-7310-4692-864c-bfb1781d35cc Test',
    'pipewright retry 30b74c0e-… Deploy --all',
  ],
  options: {
    all: { type: 'boolean' },
    ...SERVER_OPTIONS,
    'state-dir': stateDirOption,
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 2) {
      throw new UsageError(
        `retry takes an execution id and a stage name; got ${positionals.length} arguments`,
        this.usage,
      );
    }
    const [id = '', stageName = ''] = positionals;
    const server = requireServer(values, io, 'retry');
    const retryMode = values.all ? 'ALL_ACTIONS' : 'FAILED_ACTIONS';
    const view = await callServer<{ status: string }>(
      server,
      'POST',
      `/api/executions/${encodeURIComponent(id)}/retry`,
      {
        stageName,
        retryMode,
      },
    );
    io.stdout.write(
      values.json
        ? `${JSON.stringify(view)}\n`
        : `Retrying ${stageName} (${retryMode}); execution ${id} is ${view.status}\n`,
    );
    return EXIT.ok;
  },
};
