import { describe, expect, it } from 'vitest';
import { actionProgress } from '../events/index.ts';
import { decideInProgress, decidePoll, MAX_POLL_DELAY_SECONDS, pollDelaySeconds } from './decide-poll.ts';
import { ACTION_FAILED_ERROR, type ActionToRun } from './decision.ts';
import {
  act,
  aref,
  at,
  begin,
  INTO_BUILD,
  PIPELINE,
  ref,
  succeed,
  types,
  viewOf,
} from './decisions.fixtures.ts';

const COMPILE = aref('Build', 'Compile');
const progress = { actionExecutionId: COMPILE.actionExecutionId, state: { phase: 'stack' } };
const poll = { ...act('Build', 'Compile'), progress };
const RUNNING = [
  ...INTO_BUILD,
  begin('Build', 'Compile', 0, 1, { resolvedConfiguration: { Target: 'prod' } }),
];

function runOf(): ActionToRun {
  const d = decidePoll(viewOf(RUNNING), PIPELINE, poll, { at: at(1) });
  if (d.run === undefined) throw new Error('no run');
  return d.run;
}

describe('decidePoll', () => {
  it('polls the current attempt with the configuration it started with, recording nothing', () => {
    // Act
    const d = decidePoll(viewOf(RUNNING), PIPELINE, poll, { at: at(5) });
    // Assess
    expect(d.events).toEqual([]);
    expect(d.reply).toBeUndefined();
    expect(d.startedAt).toBe(at(0));
    expect(d.run).toMatchObject({
      ...COMPILE,
      action: { name: 'Compile', configuration: { Target: 'prod' } },
    });
  });

  it('answers a poll of an attempt that already ended as it ended (a duplicate delivery runs nothing)', () => {
    const d = decidePoll(viewOf([...RUNNING, succeed('Build', 'Compile')]), PIPELINE, poll, { at: at(5) });
    expect(d).toEqual({ events: [], reply: { kind: 'success', output: {} } });
  });

  it('fails the action once its timeout has passed since it started', () => {
    // Prepare: a Fake provider's timeout is CodePipeline's 60 minutes
    const late = new Date(Date.parse(at(0)) + 60 * 60 * 1000).toISOString();
    // Act
    const d = decidePoll(viewOf(RUNNING), PIPELINE, poll, { at: late });
    // Assess
    expect(types(d)).toEqual(['ActionFailed']);
    expect(d.events[0]?.data).toMatchObject({
      ...COMPILE,
      error: { code: 'JobFailed', message: expect.stringContaining('did not finish within 60 minutes') },
      retryable: true,
    });
    expect(d.reply).toMatchObject({ kind: 'failure', error: ACTION_FAILED_ERROR });
    expect(d.run).toBeUndefined();
  });

  it('refuses a poll that names another attempt than the current one', () => {
    const stale = { ...poll, progress: { ...progress, actionExecutionId: 'x1:Build:Compile:0:9' } };
    const d = decidePoll(viewOf(RUNNING), PIPELINE, stale, { at: at(1) });
    expect(d.events).toEqual([]);
    expect(d.reply).toMatchObject({ kind: 'failure', cause: expect.stringContaining('not the action') });
  });
});

describe('decideInProgress', () => {
  it('answers with the progress and the wait, and records the external execution once', () => {
    // Prepare
    const run = runOf();
    const answer = { state: { phase: 'stack' }, pollAfterSeconds: 15, externalExecutionId: 'arn:stack/web' };
    // Act
    const first = decideInProgress(viewOf(RUNNING), run, answer, { at: at(1) });
    const recorded = actionProgress({
      ...ref('Build', 'Compile'),
      reportId: 'r',
      externalExecutionId: 'arn:stack/web',
    });
    const again = decideInProgress(viewOf([...RUNNING, recorded]), run, answer, { at: at(2) });
    // Assess
    expect(types(first)).toEqual(['ActionProgress']);
    expect(first.events[0]?.data).toMatchObject({ ...COMPILE, externalExecutionId: 'arn:stack/web' });
    expect(first.reply).toEqual({ kind: 'success', output: { progress, waitSeconds: 15 } });
    expect(again.events).toEqual([]);
    expect(again.reply).toEqual({ kind: 'success', output: { progress, waitSeconds: 15 } });
  });

  it('answers as the attempt ended when it ended meanwhile (stopped, completed elsewhere)', () => {
    const d = decideInProgress(
      viewOf([...RUNNING, succeed('Build', 'Compile')]),
      runOf(),
      {
        state: {},
        pollAfterSeconds: 5,
      },
      { at: at(1) },
    );
    expect(d).toEqual({ events: [], reply: { kind: 'success', output: {} } });
  });

  it('fails the action when the provider keeps more than identifiers in its state', () => {
    const d = decideInProgress(
      viewOf(RUNNING),
      runOf(),
      { state: { blob: 'x'.repeat(9000) }, pollAfterSeconds: 5 },
      {
        at: at(1),
      },
    );
    expect(types(d)).toEqual(['ActionFailed']);
    expect(d.reply).toMatchObject({ kind: 'failure', cause: expect.stringContaining('identifiers only') });
  });
});

describe('pollDelaySeconds', () => {
  it('waits what the provider asks early on, a tenth of the time waited later, never past the timeout', () => {
    expect(pollDelaySeconds({ requestedSeconds: 15, elapsedSeconds: 20, remainingSeconds: 3600 })).toBe(15);
    expect(pollDelaySeconds({ requestedSeconds: 15, elapsedSeconds: 1200, remainingSeconds: 3600 })).toBe(
      120,
    );
    expect(
      pollDelaySeconds({ requestedSeconds: 15, elapsedSeconds: 2 * 86_400, remainingSeconds: 86_400 }),
    ).toBe(MAX_POLL_DELAY_SECONDS);
    expect(pollDelaySeconds({ requestedSeconds: 15, elapsedSeconds: 100, remainingSeconds: 4 })).toBe(4);
    expect(pollDelaySeconds({ requestedSeconds: 0, elapsedSeconds: 0, remainingSeconds: 0 })).toBe(1);
  });

  it('keeps a 7-day wait under 2,000 polls (Step Functions allows 25,000 history events)', () => {
    // Act
    let elapsed = 0;
    let polls = 0;
    const total = 7 * 86_400;
    while (elapsed < total) {
      elapsed += pollDelaySeconds({
        requestedSeconds: 15,
        elapsedSeconds: elapsed,
        remainingSeconds: total - elapsed,
      });
      polls++;
    }
    // Assess
    expect(polls).toBeLessThan(2_000);
  });
});
