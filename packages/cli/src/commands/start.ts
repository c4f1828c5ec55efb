/**
 * `pipewright start <pipeline>`: starts an execution on the running server
 * (StartPipelineExecution), with variable overrides.
 */
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { callServer, requireServer, SERVER_HELP, SERVER_OPTIONS } from '../server-client.ts';
import { STATE_DIR_HELP, stateDirOption } from '../state-dir.ts';
import { parseVars } from './run.ts';

/** `pipewright start`. */
export const startCommand: Command = {
  name: 'start',
  summary: 'Start an execution of a pipeline on the running server',
  usage: 'pipewright start <pipeline-name> [--var NAME=VALUE]... [--json]',
  optionHelp: [
    '--var NAME=VALUE     value of a pipeline variable (repeatable)',
    ...SERVER_HELP,
    STATE_DIR_HELP,
    '--json               print { executionId }',
  ],
  examples: ['pipewright start web-app', 'pipewright start web-app --var DEPLOY_ENV=prod'],
  options: {
    var: { type: 'string', multiple: true },
    ...SERVER_OPTIONS,
    'state-dir': stateDirOption,
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1)
      throw new UsageError(`start takes exactly one pipeline name; got ${positionals.length}`, this.usage);
    const server = requireServer(values, io, 'start');
    const pipeline = positionals[0] as string;
    const { executionId } = await callServer<{ executionId: string }>(
      server,
      'POST',
      `/api/pipelines/${encodeURIComponent(pipeline)}/executions`,
      { variables: parseVars(values.var) },
    );
    io.stdout.write(
      values.json ? `${JSON.stringify({ executionId })}\n` : `Started ${pipeline} execution ${executionId}\n`,
    );
    return EXIT.ok;
  },
};
