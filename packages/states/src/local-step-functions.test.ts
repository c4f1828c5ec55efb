import { describe, expect, it } from 'vitest';
import { SimulatedClock, settle } from './clock.ts';
import type { StateMachineDefinition } from './definition.ts';
import type { HistoryEvent } from './history.ts';
import { LocalStepFunctions } from './local-step-functions.ts';

const TOKEN_TASK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

const waiting: StateMachineDefinition = {
  QueryLanguage: 'JSONata',
  StartAt: 'G',
  States: {
    G: {
      Type: 'Task',
      Resource: TOKEN_TASK,
      Arguments: { FunctionName: 'gate', Payload: { token: '{% $states.context.Task.Token %}' } },
      Output: '{% $states.result %}',
      End: true,
    },
  },
};

function setup() {
  const clock = new SimulatedClock(Date.parse('2026-01-01T00:00:00Z'));
  const journal: { arn: string; event: HistoryEvent }[] = [];
  let n = 0;
  const sfn = new LocalStepFunctions({
    clock,
    random: () => 0.5,
    ids: { token: () => `t${++n}`, uuid: () => `u${++n}` },
    onHistoryEvent: (arn, event) => journal.push({ arn, event }),
  });
  const tokens: string[] = [];
  sfn.registerHandler('gate', (_payload, ctx) => {
    tokens.push(ctx.taskToken ?? '');
  });
  return { clock, sfn, journal, tokens };
}

describe('LocalStepFunctions.startExecution', () => {
  it('returns the same execution for the same name and input while it is open', async () => {
    // Prepare
    const { sfn } = setup();
    const first = await sfn.startExecution({ definition: waiting, name: 'run-1', input: '{"a":1}' });
    // Act
    const again = await sfn.startExecution({ definition: waiting, name: 'run-1', input: '{"a":1}' });
    // Assess
    expect(again.executionArn).toBe(first.executionArn);
  });

  it('throws ExecutionAlreadyExists for the same name with another input', async () => {
    const { sfn } = setup();
    await sfn.startExecution({ definition: waiting, name: 'run-1', input: '{"a":1}' });
    await expect(
      sfn.startExecution({ definition: waiting, name: 'run-1', input: '{"a":2}' }),
    ).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
  });

  it('throws ExecutionAlreadyExists for the name of a closed execution', async () => {
    const { sfn, tokens } = setup();
    const { executionArn } = await sfn.startExecution({ definition: waiting, name: 'run-1' });
    await settle();
    await sfn.sendTaskSuccess({ taskToken: tokens[0] ?? '', output: '1' });
    await sfn.waitForExecution(executionArn);
    await expect(sfn.startExecution({ definition: waiting, name: 'run-1' })).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
  });

  it.each(['has space', 'a/b', 'x'.repeat(81), '', 'semi;colon', 'dollar$'])(
    'refuses the name %j',
    async (name) => {
      const { sfn } = setup();
      await expect(sfn.startExecution({ definition: waiting, name })).rejects.toMatchObject({
        name: 'InvalidName',
      });
    },
  );

  it('refuses an unsupported definition before running anything', async () => {
    const { sfn } = setup();
    const bad = {
      ...waiting,
      States: { G: { Type: 'Map', End: true } },
    } as unknown as StateMachineDefinition;
    await expect(sfn.startExecution({ definition: bad })).rejects.toMatchObject({
      name: 'InvalidDefinition',
      code: 'PW2001',
    });
  });

  it('runs a created state machine by ARN and names executions with a uuid by default', async () => {
    const { sfn } = setup();
    const { stateMachineArn } = sfn.createStateMachine({
      name: 'web-app',
      definition: JSON.stringify(waiting),
    });
    const { executionArn } = await sfn.startExecution({ stateMachineArn });
    expect(executionArn).toMatch(/:execution:web-app:u\d+$/);
    await expect(sfn.startExecution({ stateMachineArn: `${stateMachineArn}x` })).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
  });
});

describe('LocalStepFunctions history', () => {
  it('numbers events from 1, links each to an earlier one, and journals every event', async () => {
    // Prepare
    const { sfn, journal, tokens } = setup();
    const { executionArn } = await sfn.startExecution({ definition: waiting, name: 'h' });
    await settle();
    // Act
    await sfn.sendTaskSuccess({ taskToken: tokens[0] ?? '', output: '{"ok":true}' });
    const done = await sfn.waitForExecution(executionArn);
    const { events } = await sfn.getExecutionHistory({ executionArn });
    // Assess
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true}' });
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    for (const e of events.slice(1)) expect(e.previousEventId).toBeLessThan(e.id);
    expect(journal.map((j) => j.event)).toEqual(events);
    expect(new Set(journal.map((j) => j.arn))).toEqual(new Set([executionArn]));
    const reversed = await sfn.getExecutionHistory({ executionArn, reverseOrder: true });
    expect(reversed.events[0]?.type).toBe('ExecutionSucceeded');
  });
});

describe('LocalStepFunctions task tokens', () => {
  it('refuses output that is not JSON with InvalidOutput', async () => {
    const { sfn, tokens } = setup();
    await sfn.startExecution({ definition: waiting, name: 'o' });
    await settle();
    await expect(
      sfn.sendTaskSuccess({ taskToken: tokens[0] ?? '', output: 'not json' }),
    ).rejects.toMatchObject({
      name: 'InvalidOutput',
    });
  });

  it('answers InvalidToken for a heartbeat with an unknown token', async () => {
    const { sfn } = setup();
    await expect(sfn.sendTaskHeartbeat({ taskToken: 'nope' })).rejects.toMatchObject({
      name: 'InvalidToken',
    });
  });
});

describe('LocalStepFunctions.describeExecution', () => {
  it('throws ExecutionDoesNotExist for an unknown ARN', async () => {
    const { sfn } = setup();
    await expect(
      sfn.describeExecution({ executionArn: 'arn:aws:states:local:0:execution:x:y' }),
    ).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });
  });

  it('reports a stopped execution as ABORTED and redrivable; stopping again changes nothing', async () => {
    const { sfn, clock } = setup();
    const { executionArn } = await sfn.startExecution({ definition: waiting, name: 's' });
    await clock.advance(5000);
    await sfn.stopExecution({ executionArn, error: 'E', cause: 'C' });
    await clock.advance(5000);
    const again = await sfn.stopExecution({ executionArn });
    const d = await sfn.describeExecution({ executionArn });
    expect(d).toMatchObject({ status: 'ABORTED', error: 'E', cause: 'C', redriveStatus: 'REDRIVABLE' });
    expect(again.stopDate).toBe('2026-01-01T00:00:05.000Z');
  });
});
