/**
 * `pipewright rollback <pipeline> <stage>`: rolls a stage back on the running server
 * (RollbackStage): a ROLLBACK execution re-runs the stage with the artifacts of the latest
 * execution in which it succeeded, or of `--target`.
 */
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { callServer, requireServer, SERVER_HELP, SERVER_OPTIONS } from '../server-client.ts';
import { STATE_DIR_HELP, stateDirOption } from '../state-dir.ts';

/** `pipewright rollback`. */
export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'Roll a stage back to an earlier successful execution on the running server',
  usage: 'pipewright rollback <pipeline-name> <stage> [--target EXECUTION-ID] [--json]',
  optionHelp: [
    '--target ID          the execution to roll back to (default: the latest one in which the stage succeeded)',
    ...SERVER_HELP,
    STATE_DIR_HELP,
    '--json               print { executionId, targetExecutionId }',
  ],
  examples: ['pipewright rollback web-app Deploy', 'pipewright rollback web-app Deploy --target 30b74c0e-…'],
  options: {
    target: { type: 'string' },
    ...SERVER_OPTIONS,
    'state-dir': stateDirOption,
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 2) {
      throw new UsageError(
        `rollback takes a pipeline name and a stage; got ${positionals.length} arguments`,
        this.usage,
      );
    }
    const [pipeline = '', stage = ''] = positionals;
    const server = requireServer(values, io, 'rollback');
    const started = await callServer<{ executionId: string; targetExecutionId: string }>(
      server,
      'POST',
      `/api/pipelines/${encodeURIComponent(pipeline)}/stages/${encodeURIComponent(stage)}/rollback`,
      values.target === undefined ? {} : { targetExecutionId: values.target },
    );
    io.stdout.write(
      values.json
        ? `${JSON.stringify(started)}\n`
        : `Rolling ${pipeline}/${stage} back to execution ${started.targetExecutionId}: rollback execution ${started.executionId}\n`,
    );
    return EXIT.ok;
  },
};
