import { describe, expect, it } from 'vitest';
import {
  at,
  BUILD_FAILED_PARTLY,
  begin,
  CAUGHT,
  eventOf,
  fail,
  failedTask,
  INTO_BUILD,
  NONE,
  PIPELINE,
  RELEASE_WAITING,
  RETRYING,
  types,
  viewOf,
  X,
} from './decisions.fixtures.ts';
import { decideStageFailed } from './index.ts';

describe('decideStageFailed', () => {
  const wait = { at: at(4), running: NONE, policy: 'wait' as const };
  const failNow = { ...wait, policy: 'fail' as const };

  it('records StageFailed with the failed action error and, under the wait policy, does not answer', () => {
    const d = decideStageFailed(viewOf(BUILD_FAILED_PARTLY), PIPELINE, failedTask('Build', CAUGHT), wait);
    expect(types(d)).toEqual(['StageFailed']);
    expect(eventOf(d, 'StageFailed').data.error).toEqual({ code: 'JobFailed', message: 'Compile: exit 1' });
    expect(d.reply).toBeUndefined();
    expect(d.abort).toBeUndefined();
  });

  it('ends the execution with ExecutionFailed and FAIL under the fail policy', () => {
    // Act
    const d = decideStageFailed(viewOf(BUILD_FAILED_PARTLY), PIPELINE, failedTask('Build', CAUGHT), failNow);
    // Assess
    expect(types(d)).toEqual(['StageFailed', 'ExecutionFailed']);
    expect(eventOf(d, 'ExecutionFailed').data).toEqual({
      stageName: 'Build',
      error: { code: 'JobFailed', message: 'Compile: exit 1' },
    });
    expect(d.reply).toEqual({ kind: 'success', output: { decision: 'FAIL' } });
    const after = viewOf([...BUILD_FAILED_PARTLY, ...d.events]);
    expect(after.status).toBe('Failed');
    expect(after.endedAt).toBe(at(4));
  });

  it('aborts actions of the stage this process still runs, and fails those nobody runs', () => {
    // Prepare
    const events = [
      ...INTO_BUILD,
      begin('Build', 'Compile'),
      fail('Build', 'Compile'),
      begin('Build', 'Lint'),
    ];
    const lintId = `${X}:Build:Lint:0:1`;
    // Act
    const running = decideStageFailed(viewOf(events), PIPELINE, failedTask('Build', CAUGHT), {
      ...wait,
      running: new Set([lintId]),
    });
    const orphan = decideStageFailed(viewOf(events), PIPELINE, failedTask('Build', CAUGHT), wait);
    // Assess
    expect(running.abort).toEqual([lintId]);
    expect(types(running)).toEqual(['StageFailed']);
    expect(types(orphan)).toEqual(['ActionFailed', 'StageFailed']);
    expect(eventOf(orphan, 'ActionFailed').data).toMatchObject({
      actionName: 'Lint',
      error: { code: 'JobFailed' },
    });
  });

  it('fails an orphaned approval with Timeout when the caught error is States.Timeout', () => {
    // Act
    const d = decideStageFailed(
      viewOf(RELEASE_WAITING),
      PIPELINE,
      failedTask('Approve', { Error: 'States.Timeout' }),
      wait,
    );
    // Assess
    expect(types(d)).toEqual(['ActionFailed', 'StageFailed']);
    expect(eventOf(d, 'ActionFailed').data.error).toEqual({
      code: 'Timeout',
      message: 'the action did not finish within 10080 minutes',
    });
    expect(eventOf(d, 'StageFailed').data.error.code).toBe('Timeout');
    expect(viewOf([...RELEASE_WAITING, ...d.events]).approvals[0]?.status).toBe('Expired');
  });

  it('retries automatically once for OnFailure RETRY, then no more', () => {
    // Act
    const first = decideStageFailed(
      viewOf(BUILD_FAILED_PARTLY, RETRYING),
      RETRYING,
      failedTask('Build', CAUGHT),
      failNow,
    );
    const secondFailure = [
      ...BUILD_FAILED_PARTLY,
      ...first.events,
      begin('Build', 'Compile', 1),
      fail('Build', 'Compile', 1),
    ];
    const second = decideStageFailed(
      viewOf(secondFailure, RETRYING),
      RETRYING,
      failedTask('Build', CAUGHT, 1),
      failNow,
    );
    const secondWaiting = decideStageFailed(
      viewOf(secondFailure, RETRYING),
      RETRYING,
      failedTask('Build', CAUGHT, 1),
      wait,
    );
    // Assess
    expect(types(first)).toEqual(['StageFailed', 'StageRetried']);
    expect(eventOf(first, 'StageRetried')).toMatchObject({
      actor: { kind: 'system', id: 'OnFailure' },
      data: { stageName: 'Build', stageAttempt: 1, retryMode: 'FAILED_ACTIONS', automatic: true },
    });
    expect(first.reply).toEqual({ kind: 'success', output: { decision: 'RETRY_FAILED_ACTIONS' } });
    expect(types(second)).toEqual(['StageFailed', 'ExecutionFailed']);
    expect(second.reply).toEqual({ kind: 'success', output: { decision: 'FAIL' } });
    expect(types(secondWaiting)).toEqual(['StageFailed']);
    expect(secondWaiting.reply).toBeUndefined();
  });

  it('repeats the retry decision, recording nothing, when the failure is delivered again after the retry', () => {
    // Prepare
    const first = decideStageFailed(
      viewOf(BUILD_FAILED_PARTLY, RETRYING),
      RETRYING,
      failedTask('Build', CAUGHT),
      failNow,
    );
    const after = viewOf([...BUILD_FAILED_PARTLY, ...first.events], RETRYING);
    // Act
    const again = decideStageFailed(after, RETRYING, failedTask('Build', CAUGHT), { ...failNow, at: at(5) });
    // Assess
    expect(again).toEqual({ events: [], reply: first.reply });
  });

  it('records nothing new when a failure is delivered again', () => {
    const first = decideStageFailed(
      viewOf(BUILD_FAILED_PARTLY),
      PIPELINE,
      failedTask('Build', CAUGHT),
      failNow,
    );
    const again = decideStageFailed(
      viewOf([...BUILD_FAILED_PARTLY, ...first.events]),
      PIPELINE,
      failedTask('Build', CAUGHT),
      failNow,
    );
    expect(again).toEqual({ events: [], reply: first.reply });
  });
});
