/**
 * `pipewright logs <execution-id> <Action | Stage/Action>`: the stored log of one action's
 * latest attempt (or the attempt named), printed as is.
 */
import { join } from 'node:path';
import type { ActionAttemptView, ExecutionView } from '@pipewright/core';
import { FileActionLogStore } from '@pipewright/local';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
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

/** `pipewright logs`. */
export const logsCommand: Command = {
  name: 'logs',
  summary: "Print an action's log",
  usage: 'pipewright logs <execution-id> <Action | Stage/Action> [--stage-attempt N] [--attempt N]',
  optionHelp: [
    '--stage-attempt N    the stage attempt: 0 for the first run, +1 per retry (default the latest)',
    '--attempt N          the action attempt within that stage attempt, from 1 (default the latest)',
    STATE_DIR_HELP,
    '',
    'The log is printed as stored: the commands output, with [pipewright] lines from Pipewright itself.',
  ],
  examples: [
    'pipewright logs 119c7765-978f-4ed1-985f-d65f61033afe Test/UnitTests',
    'pipewright logs 119c7765-978f-4ed1-985f-d65f61033afe Compile --stage-attempt 0 --attempt 1',
  ],
  options: {
    'stage-attempt': { type: 'string' },
    attempt: { type: 'string' },
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
    const stateDir = stateDirOf(values, io);
    const store = openExistingStore(stateDir);
    try {
      const { view } = await readKnownExecution(store, executionId);
      const { stageName, action } = findAction(view, spec);
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
      const text = await new FileActionLogStore(join(stateDir, 'logs')).read({
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
