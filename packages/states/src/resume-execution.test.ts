import { describe, expect, it } from 'vitest';
import { SimulatedClock, settle } from './clock.ts';
import type { StateMachineDefinition } from './definition.ts';
import type { HistoryEvent } from './history.ts';
import { LocalStepFunctions } from './local-step-functions.ts';

const INVOKE = 'arn:aws:states:::lambda:invoke';
const TOKEN_TASK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const token = '{% $states.context.Task.Token %}';

/** A workflow touching every resumable thing: a retried invoke, a Parallel with a token task, a Wait, variables. */
const definition: StateMachineDefinition = {
  QueryLanguage: 'JSONata',
  StartAt: 'Start',
  States: {
    Start: { Type: 'Pass', Assign: { n: '{% $states.input.n %}' }, Next: 'Double' },
    Double: {
      Type: 'Task',
      Resource: INVOKE,
      Arguments: { FunctionName: 'double', Payload: { n: '{% $n %}' } },
      Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2 }],
      Assign: { doubled: '{% $states.result.Payload %}' },
      Next: 'Both',
    },
    Both: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Approve',
          States: {
            Approve: {
              Type: 'Task',
              Resource: TOKEN_TASK,
              Arguments: { FunctionName: 'approve', Payload: { token } },
              End: true,
            },
          },
        },
        {
          StartAt: 'Inc',
          States: {
            Inc: {
              Type: 'Task',
              Resource: INVOKE,
              Arguments: { FunctionName: 'inc', Payload: '{% $doubled %}' },
              Output: '{% $states.result.Payload %}',
              End: true,
            },
          },
        },
      ],
      Assign: { approval: '{% $states.result[0] %}', incremented: '{% $states.result[1] %}' },
      Next: 'Pause',
    },
    Pause: { Type: 'Wait', Seconds: 5, Next: 'Done' },
    Done: {
      Type: 'Succeed',
      Output: { doubled: '{% $doubled %}', approval: '{% $approval %}', incremented: '{% $incremented %}' },
    },
  },
};

function runtime(startMs: number) {
  const clock = new SimulatedClock(startMs);
  const journal: HistoryEvent[] = [];
  let n = 0;
  const sfn = new LocalStepFunctions({
    clock,
    random: () => 0.5,
    ids: { token: () => `t${startMs}-${++n}`, uuid: () => `u${++n}` },
    onHistoryEvent: (_arn, event) => journal.push(event),
  });
  const calls: string[] = [];
  sfn.registerHandler('double', (payload, ctx) => {
    calls.push('double');
    if (ctx.retryCount === 0)
      throw Object.assign(new Error('slow down'), { name: 'Lambda.TooManyRequestsException' });
    return (payload as { n: number }).n * 2;
  });
  sfn.registerHandler('inc', (payload) => {
    calls.push('inc');
    return (payload as number) + 1;
  });
  sfn.registerHandler('approve', (_payload, ctx) => {
    calls.push('approve');
    clock.setTimer(
      3000,
      () => void sfn.sendTaskSuccess({ taskToken: ctx.taskToken ?? '', output: '"yes"' }).catch(() => {}),
    );
  });
  return { clock, sfn, journal, calls };
}

async function drain(sfn: LocalStepFunctions, clock: SimulatedClock, executionArn: string) {
  for (let i = 0; i < 1000; i++) {
    await settle();
    if ((await sfn.describeExecution({ executionArn })).status !== 'RUNNING') break;
    if (!(await clock.advanceToNext())) break;
  }
  return sfn.describeExecution({ executionArn });
}

const START = Date.parse('2026-01-01T00:00:00Z');

describe('LocalStepFunctions.resumeExecution', () => {
  it('continues from every crash point to the same output, never re-running a completed task', async () => {
    // Prepare: one uninterrupted run is the reference.
    const reference = runtime(START);
    const { executionArn } = await reference.sfn.startExecution({ definition, name: 'r', input: '{"n":4}' });
    const expected = await drain(reference.sfn, reference.clock, executionArn);
    expect(expected).toMatchObject({
      status: 'SUCCEEDED',
      output: '{"doubled":8,"approval":"yes","incremented":9}',
    });
    const full = reference.journal;

    for (let k = 1; k < full.length; k++) {
      // Act: crash after k journaled events, resume in a new runtime a second later.
      const prefix = full.slice(0, k);
      const crashedAt = Date.parse(prefix.at(-1)?.timestamp ?? '') + 1000;
      const second = runtime(crashedAt);
      await second.sfn.resumeExecution({ executionArn, definition, journal: prefix });
      const result = await drain(second.sfn, second.clock, executionArn);
      // Assess
      expect(result.output, `crash after event ${k}`).toBe(expected.output);
      const history = (await second.sfn.getExecutionHistory({ executionArn })).events;
      expect(history.map((e) => e.id)).toEqual(history.map((_, i) => i + 1));
      const succeededBefore = new Set(prefix.filter((e) => e.type === 'TaskSucceeded').map((e) => e.site));
      const rescheduled = history
        .slice(k)
        .filter((e) => e.type === 'TaskScheduled' && succeededBefore.has(e.site));
      expect(rescheduled, `crash after event ${k}`).toEqual([]);
      const succeeded = history.filter((e) => e.type === 'TaskSucceeded').map((e) => e.site);
      expect(new Set(succeeded).size).toBe(succeeded.length);
    }
  });

  it('re-dispatches an open token task with a new token and finishes the Wait on time', async () => {
    // Prepare: run until the approval waits, then crash.
    const first = runtime(START);
    const { executionArn } = await first.sfn.startExecution({ definition, name: 'w', input: '{"n":1}' });
    await first.clock.advance(2500);
    first.sfn.dispose();
    expect([...first.calls].sort()).toEqual(['approve', 'double', 'double', 'inc']);
    // Act
    const second = runtime(START + 60_000);
    await second.sfn.resumeExecution({ executionArn, definition, journal: first.journal });
    const result = await drain(second.sfn, second.clock, executionArn);
    // Assess: only the open approval ran again; the Wait started after it.
    expect(second.calls).toEqual(['approve']);
    expect(result).toMatchObject({ status: 'SUCCEEDED', stopDate: '2026-01-01T00:01:08.000Z' });
  });

  it('rebuilds a closed execution without running it', async () => {
    const first = runtime(START);
    const { executionArn } = await first.sfn.startExecution({ definition, name: 'c', input: '{"n":2}' });
    const done = await drain(first.sfn, first.clock, executionArn);
    const second = runtime(START);
    const resumed = await second.sfn.resumeExecution({ executionArn, definition, journal: first.journal });
    expect(resumed).toMatchObject({ status: 'SUCCEEDED', output: done.output });
    expect(second.calls).toEqual([]);
  });

  it('resumes a redriven execution after a crash', async () => {
    // Prepare: fail 'inc' after the approval succeeded, redrive, crash while the redriven branch runs.
    const first = runtime(START);
    let incCalls = 0;
    first.sfn.registerHandler('inc', () => {
      incCalls += 1;
      if (incCalls > 1) return new Promise(() => {});
      return new Promise((_, reject) => first.clock.setTimer(5000, () => reject(new Error('broken'))));
    });
    const { executionArn } = await first.sfn.startExecution({ definition, name: 'rd', input: '{"n":3}' });
    expect(await drain(first.sfn, first.clock, executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'Error',
    });
    await first.sfn.redriveExecution({ executionArn });
    await settle();
    first.sfn.dispose();
    // Act
    const second = runtime(first.clock.now());
    await second.sfn.resumeExecution({ executionArn, definition, journal: first.journal });
    const result = await drain(second.sfn, second.clock, executionArn);
    // Assess: the approval branch had succeeded; only 'inc' ran again.
    expect(second.calls).toEqual(['inc']);
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      redriveCount: 1,
      output: '{"doubled":6,"approval":"yes","incremented":7}',
    });
  });
});
