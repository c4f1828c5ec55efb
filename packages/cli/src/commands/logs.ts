/**
 * `pipewright logs <execution-id> <Action | Stage/Action>`: the stored log of one action's
 * latest attempt (or the attempt named), printed as is — from the local state directory, or
 * from the server named with `--server`. `--follow` prints it live through the running server
 * until the attempt ends.
 */
import { join } from 'node:path';
import type { ActionAttemptView, ActionView, ExecutionView } from '@pipewright/core';
import { FileActionLogStore } from '@pipewright/local';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { namedServer, READ_SERVER_HELP, requireServer, SERVER_OPTIONS } from '../server-client.ts';
import { serverExecution, serverLog } from '../server-reads.ts';
import { openExistingStore, STATE_DIR_HELP, stateDirOf, stateDirOption } from '../state-dir.ts';
import { readKnownExecution } from './show.ts';

function parseCount(name: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw new UsageError(`--${name} takes a whole number (${min} or more); got "${text}"`);
  }
  return Number(text);
}

/**
 * Finds an action of an execution by `Action` or `Stage/Action`; a usage error naming the
 * execution's actions when there is no such action or the bare name is in several stages.
 *
 * @example
 * ```ts
 * findAction(view, 'Test/UnitTests'); // { stageName: 'Test', action: { actionName: 'UnitTests', … } }
 * ```
 */
export function findAction(view: ExecutionView, spec: string) {
  const all = view.stages.flatMap((s) => s.actions.map((action) => ({ stageName: s.stageName, action })));
  const slash = spec.indexOf('/');
  const matches =
    slash < 0
      ? all.filter((a) => a.action.actionName === spec)
      : all.filter(
          (a) => a.stageName === spec.slice(0, slash) && a.action.actionName === spec.slice(slash + 1),
        );
  const names = all.map((a) => `${a.stageName}/${a.action.actionName}`).join(', ');
  const [found, ...others] = matches;
  if (found === undefined) {
    throw new UsageError(
      `execution ${view.pipelineExecutionId} has no action "${spec}"; its actions are: ${names || 'none'}`,
    );
  }
  if (others.length > 0) {
    throw new UsageError(
      `"${spec}" names an action in several stages; say which: ${matches.map((m) => `${m.stageName}/${spec}`).join(', ')}`,
    );
  }
  return found;
}

/** How often `--follow` looks whether the action has started (ms). */
const START_POLL_MS = 500;

/** `pipewright logs`. */
export const logsCommand: Command = {
  name: 'logs',
  summary: "Print an action's log",
  usage:
    'pipewright logs <execution-id> <Action | Stage/Action> [--stage-attempt N] [--attempt N] [--follow] [--server URL]',
  optionHelp: [
    '--stage-attempt N    the stage attempt: 0 for the first run, +1 per retry (default the latest)',
    '--attempt N          the action attempt within that stage attempt, from 1 (default the latest)',
    '--follow             print the log live while the action runs, until the attempt ends',
    '                     (through the running server; waits for the action to start)',
    ...READ_SERVER_HELP,
    STATE_DIR_HELP,
    '',
    'The log is printed as stored: the commands output, with [pipewright] lines from Pipewright itself.',
  ],
  examples: [
    'pipewright logs 119c7765-978f-4ed1-985f-d65f61033afe Test/UnitTests',
    'pipewright logs 119c7765-978f-4ed1-985f-d65f61033afe Compile --stage-attempt 0 --attempt 1',
    'pipewright logs 119c7765-978f-4ed1-985f-d65f61033afe Build/Compile --follow',
  ],
  options: {
    'stage-attempt': { type: 'string' },
    attempt: { type: 'string' },
    follow: { type: 'boolean' },
    ...SERVER_OPTIONS,
    'state-dir': stateDirOption,
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 2) {
      throw new UsageError(
        `logs takes an execution id and an action (Action or Stage/Action); got ${positionals.length} argument(s)`,
        this.usage,
      );
    }
    const [executionId, spec] = positionals as [string, string];
    const stageAttempt = parseCount('stage-attempt', values['stage-attempt'], 0);
    const attempt = parseCount('attempt', values.attempt, 1);
    const server = values.follow ? requireServer(values, io, 'logs --follow') : namedServer(values, io);
    if (server !== undefined) {
      let view = await serverExecution(server, executionId);
      let found = findAction(view, spec);
      if (values.follow && found.action.attempts.length === 0 && OPEN.has(view.status)) {
        io.stderr.write(`waiting for ${found.stageName}/${found.action.actionName} to start…\n`);
        while (found.action.attempts.length === 0 && OPEN.has(view.status)) {
          await new Promise((done) => setTimeout(done, START_POLL_MS));
          view = await serverExecution(server, executionId);
          found = findAction(view, spec);
        }
      }
      const { stageName, action } = found;
      const chosen = chooseAttempt(executionId, stageName, action, stageAttempt, attempt);
      const ref = {
        executionId,
        stageName,
        actionName: action.actionName,
        stageAttempt: chosen.stageAttempt,
        attempt: chosen.attempt,
      };
      const response = await serverLog(server, ref, Boolean(values.follow));
      if (!values.follow || response.body === null) {
        io.stdout.write(await response.text());
        return EXIT.ok;
      }
      const decoder = new TextDecoder();
      for await (const chunk of response.body) {
        const text = decoder.decode(chunk, { stream: true });
        if (text !== '') io.stdout.write(text);
      }
      const rest = decoder.decode();
      if (rest !== '') io.stdout.write(rest);
      return EXIT.ok;
    }
    const stateDir = stateDirOf(values, io);
    const store = openExistingStore(stateDir);
    try {
      const { view } = await readKnownExecution(store, executionId);
      const { stageName, action } = findAction(view, spec);
      const name = `${stageName}/${action.actionName}`;
      const chosen = chooseAttempt(executionId, stageName, action, stageAttempt, attempt);
      const logs = new FileActionLogStore(join(stateDir, 'logs'), { emptyLogs: store.emptyLogs });
      const text = await logs.read({
        executionId,
        stageName,
        actionName: action.actionName,
        stageAttempt: chosen.stageAttempt,
        attempt: chosen.attempt,
      });
      if (text === undefined) {
        throw new UsageError(
          `no log stored for ${name} (stage attempt ${chosen.stageAttempt}, attempt ${chosen.attempt}) of execution ${executionId}; the process that ran it may have stopped before writing one, or the logs under ${join(stateDir, 'logs')} were removed`,
        );
      }
      io.stdout.write(text);
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};

/** Execution statuses in which an action may still start. */
const OPEN = new Set(['InProgress', 'Stopping']);

/** The attempt to print: the latest matching the options; a usage error naming the ones there are. */
function chooseAttempt(
  executionId: string,
  stageName: string,
  action: ActionView,
  stageAttempt: number | undefined,
  attempt: number | undefined,
): ActionAttemptView {
  const name = `${stageName}/${action.actionName}`;
  if (action.attempts.length === 0) {
    throw new UsageError(
      `${name} has not run in execution ${executionId} (it is ${action.status}), so it has no log yet`,
    );
  }
  const chosen = pickAttempt(action.attempts, stageAttempt, attempt);
  if (chosen === undefined) {
    const have = action.attempts
      .map((a) => `--stage-attempt ${a.stageAttempt} --attempt ${a.attempt}`)
      .join(', ');
    throw new UsageError(`${name} has no such attempt in execution ${executionId}; it has: ${have}`);
  }
  return chosen;
}

function pickAttempt(
  attempts: readonly ActionAttemptView[],
  stageAttempt: number | undefined,
  attempt: number | undefined,
): ActionAttemptView | undefined {
  const candidates = attempts.filter(
    (a) =>
      (stageAttempt === undefined || a.stageAttempt === stageAttempt) &&
      (attempt === undefined || a.attempt === attempt),
  );
  return candidates.at(-1);
}
