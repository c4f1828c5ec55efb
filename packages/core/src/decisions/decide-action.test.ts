import { describe, expect, it } from 'vitest';
import { TaskPayloadError } from '../errors.ts';
import { stageFailed, stageRetried, stageStarted } from '../events/index.ts';
import {
  ARTIFACT,
  act,
  action,
  alice,
  aref,
  at,
  BUILD_FAILED_PARTLY,
  begin,
  eventOf,
  fail,
  INTO_BUILD,
  NONE,
  OK,
  PIPELINE,
  pipelineOf,
  RELEASE_WAITING,
  stage,
  started,
  succeed,
  T,
  types,
  viewOf,
  X,
} from './decisions.fixtures.ts';
import { ACTION_FAILED_ERROR, decideAction, decideActionOutcome } from './index.ts';

describe('decideAction', () => {
  it('waits on a redelivered task whose attempt runs elsewhere (AWS), and calls it interrupted in one process', () => {
    // Prepare: Compile's first attempt is in progress, not in this process.
    const inProgress = viewOf([...INTO_BUILD, begin('Build', 'Compile')]);
    // Act
    const elsewhere = decideAction(inProgress, PIPELINE, act('Build', 'Compile'), {
      at: at(2),
      running: NONE,
      inProgressRunsElsewhere: true,
    });
    const here = decideAction(inProgress, PIPELINE, act('Build', 'Compile'), { at: at(2), running: NONE });
    // Assess
    expect(elsewhere).toEqual({ events: [] });
    expect(types(here)).toEqual(['ActionFailed', 'ActionStarted']);
  });

  it('starts the action with its configuration resolved and the input artifacts of earlier outputs', () => {
    // Act
    const d = decideAction(viewOf(INTO_BUILD), PIPELINE, act('Build', 'Compile'), {
      at: at(1),
      running: NONE,
    });
    // Assess
    const resolved = { Target: 'prod', Commit: '4f2a9c1', Run: `run-${X}` };
    expect(types(d)).toEqual(['ActionStarted']);
    const e = eventOf(d, 'ActionStarted');
    expect(e.data.resolvedConfiguration).toEqual(resolved);
    expect(e.data.inputArtifacts).toEqual([ARTIFACT]);
    expect(e.data.namespace).toBe('BuildVariables');
    expect(d.reply).toBeUndefined();
    expect(d.run).toMatchObject({
      stageName: 'Build',
      actionName: 'Compile',
      stageAttempt: 0,
      attempt: 1,
      actionExecutionId: `${X}:Build:Compile:0:1`,
      inputArtifacts: [ARTIFACT],
      action: { configuration: resolved },
    });
    expect(d.run?.variables).toMatchObject({
      'codepipeline.PipelineExecutionId': X,
      'variables.ENV': 'prod',
      'SourceVariables.CommitId': '4f2a9c1',
    });
  });

  it('fails with ConfigurationError when a reference cannot be resolved', () => {
    // Prepare
    const broken = pipelineOf({
      actions: [action('Compile', 'Build', { configuration: { Target: '#{Missing.Var}' } })],
    });
    // Act
    const d = decideAction(viewOf(INTO_BUILD, broken), broken, act('Build', 'Compile'), {
      at: at(1),
      running: NONE,
    });
    // Assess
    expect(types(d)).toEqual(['ActionStarted', 'ActionFailed']);
    expect(eventOf(d, 'ActionStarted').data.resolvedConfiguration).toEqual({ Target: '#{Missing.Var}' });
    expect(eventOf(d, 'ActionFailed').data).toMatchObject({
      error: { code: 'ConfigurationError' },
      retryable: false,
    });
    expect(eventOf(d, 'ActionFailed').data.error.message).toContain('Missing');
    expect(d.reply).toMatchObject({ kind: 'failure', error: ACTION_FAILED_ERROR });
    expect(d.run).toBeUndefined();
  });

  it('fails with ConfigurationError when an input artifact was not produced', () => {
    const d = decideAction(
      viewOf([started, stageStarted(stage('Build'))]),
      PIPELINE,
      act('Build', 'Compile'),
      {
        at: T,
        running: NONE,
      },
    );
    expect(eventOf(d, 'ActionFailed').data.error.code).toBe('ConfigurationError');
  });

  it('repeats the reply of an ended attempt on a duplicate delivery', () => {
    // Prepare
    const done = viewOf([...INTO_BUILD, begin('Build', 'Compile'), succeed('Build', 'Compile')]);
    const failed = viewOf([...INTO_BUILD, begin('Build', 'Compile'), fail('Build', 'Compile')]);
    // Act
    const a = decideAction(done, PIPELINE, act('Build', 'Compile'), { at: at(2), running: NONE });
    const b = decideAction(failed, PIPELINE, act('Build', 'Compile'), { at: at(2), running: NONE });
    // Assess
    expect(a).toEqual({ events: [], reply: OK });
    expect(b).toEqual({
      events: [],
      reply: { kind: 'failure', error: ACTION_FAILED_ERROR, cause: 'exit 1' },
    });
  });

  it('waits on an attempt that this process is still running', () => {
    const view = viewOf([...INTO_BUILD, begin('Build', 'Compile')]);
    const d = decideAction(view, PIPELINE, act('Build', 'Compile'), {
      at: at(2),
      running: new Set([`${X}:Build:Compile:0:1`]),
    });
    expect(d).toEqual({ events: [] });
  });

  it('fails an attempt left InProgress by a stopped runner and starts attempt 2', () => {
    // Act
    const d = decideAction(
      viewOf([...INTO_BUILD, begin('Build', 'Compile')]),
      PIPELINE,
      act('Build', 'Compile'),
      {
        at: at(2),
        running: NONE,
      },
    );
    // Assess
    expect(types(d)).toEqual(['ActionFailed', 'ActionStarted']);
    expect(eventOf(d, 'ActionFailed').data).toMatchObject({
      attempt: 1,
      retryable: true,
      error: { code: 'JobFailed' },
    });
    expect(eventOf(d, 'ActionStarted').data).toMatchObject({
      attempt: 2,
      actionExecutionId: `${X}:Build:Compile:0:2`,
    });
    expect(d.run?.attempt).toBe(2);
  });

  it('completes at once an action that succeeded before a FAILED_ACTIONS retry, and runs the failed one', () => {
    // Prepare
    const retried = viewOf([
      ...BUILD_FAILED_PARTLY,
      stageFailed({ ...stage('Build'), error: { code: 'JobFailed', message: 'Compile: exit 1' } }),
      stageRetried({ ...stage('Build', 1), actor: alice, retryMode: 'FAILED_ACTIONS' }),
    ]);
    // Act
    const lint = decideAction(retried, PIPELINE, act('Build', 'Lint', 1), { at: at(3), running: NONE });
    const compile = decideAction(retried, PIPELINE, act('Build', 'Compile', 1), { at: at(3), running: NONE });
    // Assess
    expect(lint).toEqual({ events: [], reply: OK });
    expect(types(compile)).toEqual(['ActionStarted']);
    expect(compile.run).toMatchObject({ stageAttempt: 1, attempt: 1 });
  });

  it('runs every action again after an ALL_ACTIONS retry', () => {
    const retried = viewOf([
      ...BUILD_FAILED_PARTLY,
      stageFailed({ ...stage('Build'), error: { code: 'JobFailed', message: 'x' } }),
      stageRetried({ ...stage('Build', 1), actor: alice, retryMode: 'ALL_ACTIONS' }),
    ]);
    const lint = decideAction(retried, PIPELINE, act('Build', 'Lint', 1), { at: at(3), running: NONE });
    expect(lint.run).toMatchObject({ actionName: 'Lint', stageAttempt: 1 });
  });

  it('throws TaskPayloadError for an action the pipeline does not have', () => {
    const view = viewOf(INTO_BUILD);
    expect(() => decideAction(view, PIPELINE, act('Build', 'Nope'), { at: T, running: NONE })).toThrow(
      TaskPayloadError,
    );
  });
});

describe('decideActionOutcome', () => {
  const checkoutRef = aref('Source', 'Checkout');
  const sourceRunning = viewOf([started, stageStarted(stage('Source')), begin('Source', 'Checkout')]);

  it('records ActionSucceeded with the source revision of a Source action', () => {
    // Act
    const d = decideActionOutcome(
      sourceRunning,
      PIPELINE,
      checkoutRef,
      {
        status: 'Succeeded',
        outputArtifacts: [ARTIFACT],
        outputVariables: { CommitId: '4f2a9c1', CommitMessage: 'fix' },
      },
      { at: at(1) },
    );
    // Assess
    expect(types(d)).toEqual(['ActionSucceeded']);
    expect(eventOf(d, 'ActionSucceeded').data.sourceRevision).toEqual({
      revisionId: '4f2a9c1',
      revisionSummary: 'fix',
    });
    expect(d.reply).toEqual(OK);
    expect(
      viewOf([started, stageStarted(stage('Source')), begin('Source', 'Checkout'), ...d.events])
        .sourceRevisions,
    ).toEqual([{ actionName: 'Checkout', revisionId: '4f2a9c1', revisionSummary: 'fix' }]);
  });

  it('records only the reference fields when given the action to run', () => {
    // Prepare
    const toRun = decideAction(viewOf(INTO_BUILD), PIPELINE, act('Build', 'Compile'), {
      at: at(1),
      running: NONE,
    }).run;
    if (toRun === undefined) throw new Error('expected an action to run');
    const view = viewOf([...INTO_BUILD, begin('Build', 'Compile')]);
    // Act
    const d = decideActionOutcome(
      view,
      PIPELINE,
      toRun,
      { status: 'Succeeded', outputArtifacts: [], outputVariables: {} },
      { at: at(2) },
    );
    // Assess
    expect(Object.keys(eventOf(d, 'ActionSucceeded').data).sort()).toEqual([
      'actionExecutionId',
      'actionName',
      'attempt',
      'outputArtifacts',
      'outputVariables',
      'stageAttempt',
      'stageName',
    ]);
  });

  it('records no source revision for an action of another category', () => {
    const view = viewOf([...INTO_BUILD, begin('Build', 'Lint')]);
    const d = decideActionOutcome(
      view,
      PIPELINE,
      aref('Build', 'Lint'),
      { status: 'Succeeded', outputArtifacts: [], outputVariables: { CommitId: 'abc' } },
      { at: at(1) },
    );
    expect(eventOf(d, 'ActionSucceeded').data.sourceRevision).toBeUndefined();
  });

  it('records ActionFailed, retryable only for transient failure types, and answers with a failure', () => {
    // Act
    const transient = decideActionOutcome(
      sourceRunning,
      PIPELINE,
      checkoutRef,
      { status: 'Failed', error: { type: 'SystemUnavailable', message: 'git down' } },
      { at: at(1) },
    );
    const terminal = decideActionOutcome(
      sourceRunning,
      PIPELINE,
      checkoutRef,
      { status: 'Failed', error: { type: 'JobFailed', message: 'exit 2' } },
      { at: at(1) },
    );
    // Assess
    expect(eventOf(transient, 'ActionFailed').data).toMatchObject({
      error: { code: 'SystemUnavailable', message: 'git down' },
      retryable: true,
    });
    expect(eventOf(terminal, 'ActionFailed').data.retryable).toBe(false);
    expect(transient.reply).toEqual({
      kind: 'failure',
      error: ACTION_FAILED_ERROR,
      cause: 'Source/Checkout: git down',
    });
  });

  it('records ApprovalRequested expiring after the 7-day default, or after timeoutInMinutes', () => {
    // Prepare
    const events = [...RELEASE_WAITING.slice(0, -1), begin('Approve', 'Audit')];
    const view = viewOf(events);
    const waiting = { status: 'Waiting' as const };
    // Act
    const release = decideActionOutcome(view, PIPELINE, aref('Approve', 'Release'), waiting, {
      at: at(5),
      approvalId: 'ap-1',
    });
    const audit = decideActionOutcome(view, PIPELINE, aref('Approve', 'Audit'), waiting, {
      at: at(5),
      approvalId: 'ap-2',
    });
    // Assess
    expect(types(release)).toEqual(['ApprovalRequested']);
    expect(eventOf(release, 'ApprovalRequested').data).toMatchObject({
      approvalId: 'ap-1',
      expiresAt: '2026-01-09T03:05:00.000Z',
      customData: 'check prod',
    });
    expect(eventOf(audit, 'ApprovalRequested').data.expiresAt).toBe('2026-01-02T04:05:00.000Z');
    expect(release.reply).toBeUndefined();
  });

  it('changes nothing for an attempt that already ended, and repeats its reply', () => {
    const view = viewOf([
      started,
      stageStarted(stage('Source')),
      begin('Source', 'Checkout'),
      succeed('Source', 'Checkout'),
    ]);
    const d = decideActionOutcome(
      view,
      PIPELINE,
      checkoutRef,
      { status: 'Failed', error: { type: 'JobFailed', message: 'late' } },
      { at: at(9) },
    );
    expect(d).toEqual({ events: [], reply: OK });
  });
});

describe('decideAction of S3 and ECR sources', () => {
  const withSource = (provider: string, configuration: Record<string, string>) => {
    const [first, ...rest] = PIPELINE.stages;
    const checkout = first?.actions[0];
    if (first === undefined || checkout === undefined) throw new Error('fixture changed');
    const actionTypeId = { ...checkout.actionTypeId, provider };
    return {
      ...PIPELINE,
      stages: [{ ...first, actions: [{ ...checkout, actionTypeId, configuration }] }, ...rest],
    };
  };
  const pinned = {
    ...started,
    data: { ...started.data, sourceRevisions: [{ actionName: 'Checkout', revisionId: 'v-9' }] },
  };

  it('pins the version or image the trigger saw', () => {
    for (const [provider, configuration, key] of [
      ['S3', { S3Bucket: 'b', S3ObjectKey: 'k.zip' }, 'S3ObjectVersionId'],
      ['ECR', { RepositoryName: 'web' }, 'ImageDigest'],
    ] as const) {
      const p = withSource(provider, configuration);
      const d = decideAction(
        viewOf([pinned, stageStarted(stage('Source'))], p),
        p,
        act('Source', 'Checkout'),
        {
          at: at(1),
          running: NONE,
        },
      );
      expect(d.run?.action.configuration).toEqual({ ...configuration, [key]: 'v-9' });
    }
  });

  it('records an S3 version or an image digest as the source revision', () => {
    const p = withSource('S3', { S3Bucket: 'b', S3ObjectKey: 'k.zip' });
    const running = viewOf([started, stageStarted(stage('Source')), begin('Source', 'Checkout')], p);
    const d = decideActionOutcome(
      running,
      p,
      aref('Source', 'Checkout'),
      { status: 'Succeeded', outputArtifacts: [ARTIFACT], outputVariables: { VersionId: 'v-9', ETag: 'e' } },
      { at: at(1) },
    );
    expect(eventOf(d, 'ActionSucceeded').data.sourceRevision).toEqual({ revisionId: 'v-9' });
  });
});
