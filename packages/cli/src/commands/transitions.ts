/**
 * `pipewright transitions <pipeline> <stage> --disable --reason TEXT | --enable`: disables or
 * enables a stage's inbound transition on the running server (executions wait at its gate
 * while it is disabled).
 */
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { callServer, requireServer, SERVER_HELP, SERVER_OPTIONS } from '../server-client.ts';
import { STATE_DIR_HELP, stateDirOption } from '../state-dir.ts';

/** `pipewright transitions`. */
export const transitionsCommand: Command = {
  name: 'transitions',
  summary: "Disable or enable a stage's inbound transition on the running server",
  usage: 'pipewright transitions <pipeline-name> <stage> (--disable --reason TEXT | --enable) [--json]',
  optionHelp: [
    '--disable            hold executions in front of the stage',
    '--reason TEXT        why (required with --disable; at most 300 characters)',
    '--enable             let them in again',
    ...SERVER_HELP,
    STATE_DIR_HELP,
    '--json               print the transition state',
  ],
  examples: [
    'pipewright transitions web-app Deploy --disable --reason "release freeze"',
    'pipewright transitions web-app Deploy --enable',
  ],
  options: {
    disable: { type: 'boolean' },
    enable: { type: 'boolean' },
    reason: { type: 'string' },
    ...SERVER_OPTIONS,
    'state-dir': stateDirOption,
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 2) {
      throw new UsageError(
        `transitions takes a pipeline name and a stage; got ${positionals.length} arguments`,
        this.usage,
      );
    }
    if (Boolean(values.disable) === Boolean(values.enable)) {
      throw new UsageError('give exactly one of --disable and --enable', this.usage);
    }
    if (values.disable && values.reason === undefined)
      throw new UsageError('--disable needs --reason TEXT', this.usage);
    const [pipeline = '', stage = ''] = positionals;
    const server = requireServer(values, io, 'transitions');
    const verb = values.disable ? 'disable' : 'enable';
    const state = await callServer<{ enabled: boolean; disabledReason?: string }>(
      server,
      'POST',
      `/api/pipelines/${encodeURIComponent(pipeline)}/transitions/${encodeURIComponent(stage)}/${verb}`,
      values.disable ? { reason: values.reason } : {},
    );
    io.stdout.write(
      values.json
        ? `${JSON.stringify(state)}\n`
        : `${pipeline}: the transition into ${stage} is ${state.enabled ? 'enabled' : `disabled (${state.disabledReason ?? ''})`}\n`,
    );
    return EXIT.ok;
  },
};
