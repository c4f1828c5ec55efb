import { describe, expect, it } from 'vitest';
import { executionSucceeded, stageFailed, stageRetried } from '../events/index.ts';
import {
  alice,
  at,
  BUILD_FAILED_PARTLY,
  ENTER,
  eventOf,
  gate,
  INTO_BUILD,
  leave,
  OK,
  stage,
  started,
  T,
  types,
  viewOf,
  X,
} from './decisions.fixtures.ts';
import { decideFinish, decideGate, decideLeave, type TaskPayloadOf } from './index.ts';

describe('decideGate', () => {
  it('records StageStarted and enters', () => {
    // Act
    const d = decideGate(viewOf([started]), gate('Source'), { at: T });
    // Assess
    expect(types(d)).toEqual(['StageStarted']);
    expect(eventOf(d, 'StageStarted').data).toEqual({ stageName: 'Source', stageAttempt: 0 });
    expect(d.reply).toEqual(ENTER);
  });

  it('records nothing new on a duplicate delivery and enters again', () => {
    // Prepare
    const first = decideGate(viewOf([started]), gate('Source'), { at: T });
    // Act
    const again = decideGate(viewOf([started, ...first.events]), gate('Source'), { at: at(1) });
    // Assess
    expect(again.events).toEqual([]);
    expect(again.reply).toEqual(first.reply);
  });

  it('records no StageStarted for the attempt a retry entered, even after that attempt ended', () => {
    // Prepare
    const retriedThenFailed = [
      ...BUILD_FAILED_PARTLY,
      stageFailed({ ...stage('Build'), error: { code: 'JobFailed', message: 'x' } }),
      stageRetried({ ...stage('Build', 1), actor: alice, retryMode: 'ALL_ACTIONS' }),
      stageFailed({ ...stage('Build', 1), error: { code: 'JobFailed', message: 'x' } }),
    ];
    // Act
    const d = decideGate(viewOf(retriedThenFailed), gate('Build', 1), { at: at(9) });
    // Assess
    expect(d).toEqual({ events: [], reply: ENTER });
  });

  it('neither records nor answers once the execution has ended', () => {
    const d = decideGate(viewOf([started, executionSucceeded({ executionId: X, at: T })]), gate('Build'), {
      at: T,
    });
    expect(d).toEqual({ events: [] });
  });
});

describe('decideLeave', () => {
  it('records StageSucceeded and answers', () => {
    const d = decideLeave(viewOf(INTO_BUILD), leave('Build'), { at: at(3) });
    expect(types(d)).toEqual(['StageSucceeded']);
    expect(d.reply).toEqual(OK);
  });
});

describe('decideFinish', () => {
  const finish: TaskPayloadOf<'finish'> = { kind: 'finish', pipeline: 'p', executionId: X, attempt: 0 };

  it('records ExecutionSucceeded, once', () => {
    // Act
    const d = decideFinish(viewOf(INTO_BUILD), finish, { at: at(9) });
    const again = decideFinish(viewOf([...INTO_BUILD, ...d.events]), finish, { at: at(10) });
    // Assess
    expect(types(d)).toEqual(['ExecutionSucceeded']);
    expect(d.reply).toEqual(OK);
    expect(viewOf([...INTO_BUILD, ...d.events]).status).toBe('Succeeded');
    expect(again).toEqual({ events: [], reply: OK });
  });
});
