/**
 * `pipewright stop <execution>`: stops an execution on the running server
 * (StopPipelineExecution): wait for in-flight actions, or abandon them.
 */
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { callServer, requireServer, SERVER_HELP, SERVER_OPTIONS } from '../server-client.ts';
import { STATE_DIR_HELP, stateDirOption } from '../state-dir.ts';

/** `pipewright stop`. */
export const stopCommand: Command = {
  name: 'stop',
  summary: 'Stop an execution on the running server',
  usage: 'pipewright stop <execution-id> [--abandon] [--reason TEXT] [--json]',
  optionHelp: [
    '--abandon            abandon in-progress actions instead of letting them finish',
    '--reason TEXT        recorded with the stop (at most 200 characters)',
    ...SERVER_HELP,
    STATE_DIR_HELP,
    '--json               print the execution after the stop',
  ],
  examples: ['pipewright stop 30b74c0e-7310-4692-864c-bfb1781d35cc --abandon --reason "wrong branch"'],
  options: {
    abandon: { type: 'boolean' },
    reason: { type: 'string' },
    ...SERVER_OPTIONS,
    'state-dir': stateDirOption,
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1)
      throw new UsageError(`stop takes exactly one execution id; got ${positionals.length}`, this.usage);
    const server = requireServer(values, io, 'stop');
    const id = positionals[0] as string;
    const view = await callServer<{ status: string }>(
      server,
      'POST',
      `/api/executions/${encodeURIComponent(id)}/stop`,
      {
        abandon: Boolean(values.abandon),
        ...(values.reason === undefined ? {} : { reason: values.reason }),
      },
    );
    io.stdout.write(values.json ? `${JSON.stringify(view)}\n` : `Execution ${id} is ${view.status}\n`);
    return EXIT.ok;
  },
};
