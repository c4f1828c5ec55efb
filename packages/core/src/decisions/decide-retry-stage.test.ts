import { describe, expect, it } from 'vitest';
import { ExecutionStateError } from '../errors.ts';
import type { PipelineStreamEvent } from '../events/event-catalog.ts';
import {
  executionFailed,
  executionStopping,
  stageFailed,
  stageLockAcquired,
  stageLockReleased,
  stageRetried,
} from '../events/index.ts';
import type { ExecutionMode } from '../model/pipeline.ts';
import { foldPipelineStream } from '../projections/pipeline-stream-view.ts';
import { decideRetryLock, decideRetryStage, retryLockStage } from './decide-retry-stage.ts';
import {
  alice,
  at,
  BUILD_FAILED_PARTLY,
  begin,
  eventOf,
  fail,
  INTO_BUILD,
  PIPELINE,
  pipelineOf,
  stage,
  succeed,
  types,
  viewOf,
  X,
} from './decisions.fixtures.ts';
import type { NewPipelineEvent } from './index.ts';

const buildFailed = stageFailed({
  ...stage('Build'),
  error: { code: 'JobFailed', message: 'Compile: exit 1' },
});
const FAILED = [...BUILD_FAILED_PARTLY, buildFailed];
const ctx = { at: at(5) };
const retry = (retryMode: 'FAILED_ACTIONS' | 'ALL_ACTIONS', extra: { stageAttempt?: number } = {}) => ({
  stageName: 'Build',
  retryMode,
  actor: alice,
  ...extra,
});

describe('decideRetryStage', () => {
  it('records StageRetried with the next attempt and answers S.failed with RETRY_FAILED_ACTIONS', () => {
    // Act
    const d = decideRetryStage(viewOf(FAILED), PIPELINE, retry('FAILED_ACTIONS'), ctx);
    // Assess
    expect(types(d)).toEqual(['StageRetried']);
    const e = eventOf(d, 'StageRetried');
    expect(e.actor).toEqual(alice);
    expect(e.data).toEqual({ stageName: 'Build', stageAttempt: 1, retryMode: 'FAILED_ACTIONS' });
    expect(d.reply).toEqual({ kind: 'success', output: { decision: 'RETRY_FAILED_ACTIONS' } });
    const after = viewOf([...FAILED, ...d.events]);
    expect(after.status).toBe('InProgress');
    expect(after.stages[1]?.actions.map((a) => a.status)).toEqual(['NotStarted', 'Succeeded']);
  });

  it('answers RETRY_ALL_ACTIONS and resets every action for ALL_ACTIONS', () => {
    const d = decideRetryStage(viewOf(FAILED), PIPELINE, retry('ALL_ACTIONS'), ctx);
    expect(d.reply).toEqual({ kind: 'success', output: { decision: 'RETRY_ALL_ACTIONS' } });
    const after = viewOf([...FAILED, ...d.events]);
    expect(after.stages[1]?.actions.map((a) => a.status)).toEqual(['NotStarted', 'NotStarted']);
  });

  it('retries the latest attempt after an earlier retry failed again', () => {
    // Prepare
    const events = [
      ...FAILED,
      stageRetried({
        executionId: X,
        at: at(2),
        actor: alice,
        stageName: 'Build',
        stageAttempt: 1,
        retryMode: 'FAILED_ACTIONS',
      }),
      begin('Build', 'Compile', 1),
      fail('Build', 'Compile', 1),
      stageFailed({ ...stage('Build', 1), error: { code: 'JobFailed', message: 'again' } }),
    ];
    // Act
    const d = decideRetryStage(viewOf(events), PIPELINE, retry('FAILED_ACTIONS', { stageAttempt: 1 }), ctx);
    // Assess
    expect(eventOf(d, 'StageRetried').data.stageAttempt).toBe(2);
    expect(() =>
      decideRetryStage(viewOf(events), PIPELINE, retry('FAILED_ACTIONS', { stageAttempt: 0 }), ctx),
    ).toThrow(/attempt 0 of stage Build is not its latest attempt \(1\)/);
  });

  it.each([
    [
      'the execution ended',
      [
        ...FAILED,
        executionFailed({
          executionId: X,
          at: at(3),
          stageName: 'Build',
          error: { code: 'JobFailed', message: 'x' },
        }),
      ],
      /already ended \(Failed\).*start a new execution/,
    ],
    [
      'the execution is stopping',
      [...FAILED, executionStopping({ executionId: X, at: at(3), actor: alice, abandon: false })],
      /is stopping/,
    ],
    ['the stage is not Failed', INTO_BUILD, /stage Build of execution x1 is InProgress, not Failed/],
    ['the stage never started', [...INTO_BUILD.slice(0, 5)], /is NotStarted, not Failed/],
  ])('refuses with ExecutionStateError when %s', (_case, events, message) => {
    const decide = () => decideRetryStage(viewOf(events), PIPELINE, retry('FAILED_ACTIONS'), ctx);
    expect(decide).toThrow(ExecutionStateError);
    expect(decide).toThrow(message);
  });

  it('refuses an unknown stage, naming the stages', () => {
    expect(() =>
      decideRetryStage(viewOf(FAILED), PIPELINE, { ...retry('FAILED_ACTIONS'), stageName: 'Nope' }, ctx),
    ).toThrow(/has no stage Nope; its stages: Source, Build, Approve/);
  });

  it('refuses ALL_ACTIONS while an action of the failed attempt is in progress, but not FAILED_ACTIONS', () => {
    // Prepare: Compile failed, Lint still in progress when the stage failed.
    const events = [
      ...INTO_BUILD,
      begin('Build', 'Compile'),
      fail('Build', 'Compile'),
      begin('Build', 'Lint'),
      buildFailed,
    ];
    // Act
    const all = () => decideRetryStage(viewOf(events), PIPELINE, retry('ALL_ACTIONS'), ctx);
    // Assess
    expect(all).toThrow(/still has actions in progress \(Lint\)/);
    expect(types(decideRetryStage(viewOf(events), PIPELINE, retry('FAILED_ACTIONS'), ctx))).toEqual([
      'StageRetried',
    ]);
  });

  it('refuses FAILED_ACTIONS when no action failed (a condition failed the stage)', () => {
    const events = [
      ...INTO_BUILD,
      begin('Build', 'Compile'),
      succeed('Build', 'Compile'),
      begin('Build', 'Lint'),
      succeed('Build', 'Lint'),
      buildFailed,
    ];
    expect(() => decideRetryStage(viewOf(events), PIPELINE, retry('FAILED_ACTIONS'), ctx)).toThrow(
      /no failed actions to retry; retry it with ALL_ACTIONS/,
    );
    expect(types(decideRetryStage(viewOf(events), PIPELINE, retry('ALL_ACTIONS'), ctx))).toEqual([
      'StageRetried',
    ]);
  });
});

function pipelineIn(mode: ExecutionMode) {
  return { ...pipelineOf(), executionMode: mode };
}

function streamOf(mode: ExecutionMode, events: readonly NewPipelineEvent[]) {
  const pipeline = pipelineIn(mode);
  const stored = events.map((e, i) => ({ ...e, seq: i + 1 }) as PipelineStreamEvent);
  return { pipeline, view: foldPipelineStream(pipeline, stored) };
}

const lock = (stageName: string, pipelineExecutionId: string, stageAttempt = 0) => ({
  pipelineName: 'p',
  at: at(1),
  stageName,
  pipelineExecutionId,
  stageAttempt,
});

describe('retryLockStage', () => {
  it('locks the stage in SUPERSEDED, the first stage in QUEUED, nothing in PARALLEL', () => {
    expect(retryLockStage(pipelineIn('SUPERSEDED'), 'Build')).toBe('Build');
    expect(retryLockStage(pipelineIn('QUEUED'), 'Build')).toBe('Source');
    expect(retryLockStage(pipelineIn('PARALLEL'), 'Build')).toBeUndefined();
  });
});

describe('decideRetryLock', () => {
  const ask = { executionId: X, stageName: 'Build', stageAttempt: 1, at: at(5) };

  it('takes the free lock again for the new attempt (SUPERSEDED)', () => {
    const { pipeline, view } = streamOf('SUPERSEDED', [
      stageLockAcquired(lock('Build', X)),
      stageLockReleased({ ...lock('Build', X), reason: 'Failed' }),
    ]);
    const events = decideRetryLock(pipeline, view, { ...ask, lastEntered: X });
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['StageLockAcquired', { stageName: 'Build', pipelineExecutionId: X, stageAttempt: 1 }],
    ]);
  });

  it('takes nothing when it holds the lock already or the mode locks nothing', () => {
    const held = streamOf('SUPERSEDED', [stageLockAcquired(lock('Build', X))]);
    expect(decideRetryLock(held.pipeline, held.view, ask)).toEqual([]);
    const parallel = streamOf('PARALLEL', []);
    expect(decideRetryLock(parallel.pipeline, parallel.view, ask)).toEqual([]);
  });

  it('refuses when another execution holds the stage (SUPERSEDED) or the pipeline (QUEUED)', () => {
    const superseded = streamOf('SUPERSEDED', [stageLockAcquired(lock('Build', 'newer'))]);
    expect(() => decideRetryLock(superseded.pipeline, superseded.view, ask)).toThrow(
      /execution newer is in stage Build now \(SUPERSEDED\).*no longer retryable/,
    );
    const queued = streamOf('QUEUED', [stageLockAcquired(lock('Source', 'next'))]);
    expect(() => decideRetryLock(queued.pipeline, queued.view, ask)).toThrow(
      /execution next is in progress in pipeline p \(QUEUED: one execution at a time\)/,
    );
  });

  it('refuses in SUPERSEDED when a newer execution entered the stage since, though it left it', () => {
    const { pipeline, view } = streamOf('SUPERSEDED', []);
    const decide = () => decideRetryLock(pipeline, view, { ...ask, lastEntered: 'newer' });
    expect(decide).toThrow(ExecutionStateError);
    expect(decide).toThrow(/execution newer entered stage Build after x1 failed there/);
  });
});
