import { describe, expect, it } from 'vitest';
import { ExecutionStateError, TaskPayloadError, VariableResolutionError } from '../errors.ts';
import {
  actionExecutionId,
  actionFailed,
  actionStarted,
  actionSucceeded,
  approvalRequested,
  type ExecutionEvent,
  executionSucceeded,
  pipelineExecutionStarted,
  stageFailed,
  stageRetried,
  stageStarted,
  stageSucceeded,
} from '../events/index.ts';
import type { Action, ActionCategory, Pipeline, Stage } from '../model/pipeline.ts';
import { executionStream } from '../ports/event-store.ts';
import { foldExecution } from '../projections/fold-execution.ts';
import {
  ACTION_FAILED_ERROR,
  type ActionRef,
  type Decision,
  decideAction,
  decideActionOutcome,
  decideApproval,
  decideFinish,
  decideGate,
  decideLeave,
  decideStageFailed,
  decideStart,
  type NewExecutionEvent,
  parseTaskPayload,
  replyFor,
  type TaskPayloadOf,
  visibleVariables,
} from './index.ts';

// ---------------------------------------------------------------- fixtures

const X = 'x1';
const at = (minute: number) => `2026-01-02T03:${String(minute).padStart(2, '0')}:00.000Z`;
const T = at(0);
const alice = { kind: 'user' as const, id: 'alice' };
const bob = { kind: 'user' as const, id: 'bob' };
const ARTIFACT = { name: 'SourceOutput', uri: 'file:///artifacts/source.zip', sha256: 'ab12', size: 3 };

function action(name: string, category: ActionCategory, extra: Partial<Action> = {}): Action {
  return {
    name,
    actionTypeId: {
      category,
      owner: 'AWS',
      provider: category === 'Approval' ? 'Manual' : 'Fake',
      version: '1',
    },
    runOrder: 1,
    configuration: {},
    inputArtifacts: [],
    outputArtifacts: [],
    ...extra,
  };
}

function pipelineOf(build: Partial<Stage> = {}): Pipeline {
  return {
    name: 'p',
    executionMode: 'SUPERSEDED',
    pipelineType: 'V2',
    variables: [{ name: 'ENV', defaultValue: 'dev' }],
    triggers: [],
    stages: [
      {
        name: 'Source',
        actions: [
          action('Checkout', 'Source', {
            namespace: 'SourceVariables',
            outputArtifacts: [{ name: 'SourceOutput' }],
          }),
        ],
      },
      {
        name: 'Build',
        actions: [
          action('Compile', 'Build', {
            namespace: 'BuildVariables',
            inputArtifacts: [{ name: 'SourceOutput' }],
            configuration: {
              Target: '#{variables.ENV}',
              Commit: '#{SourceVariables.CommitId}',
              Run: 'run-#{codepipeline.PipelineExecutionId}',
            },
          }),
          action('Lint', 'Test'),
        ],
        ...build,
      },
      {
        name: 'Approve',
        actions: [
          action('Release', 'Approval', { configuration: { CustomData: 'check #{variables.ENV}' } }),
          action('Audit', 'Approval', { timeoutInMinutes: 60 }),
        ],
      },
    ],
  };
}
const PIPELINE = pipelineOf();
const RETRYING = pipelineOf({
  onFailure: { result: 'RETRY', retryConfiguration: { retryMode: 'FAILED_ACTIONS' } },
});

/** The events as the store holds them: `seq` from 1 and the execution's stream. */
function stored(events: readonly NewExecutionEvent[]): ExecutionEvent[] {
  return events.map((e, i) => ({ ...e, seq: i + 1, stream: executionStream(X) }) as ExecutionEvent);
}
const viewOf = (events: readonly NewExecutionEvent[], pipeline = PIPELINE) =>
  foldExecution(stored(events), pipeline);

const started = pipelineExecutionStarted({
  executionId: X,
  at: T,
  pipelineName: 'p',
  pipelineExecutionId: X,
  pipelineVersion: 1,
  executionMode: 'SUPERSEDED',
  executionType: 'STANDARD',
  trigger: { triggerType: 'StartPipelineExecution' },
  variables: [{ name: 'ENV', resolvedValue: 'prod' }],
  sourceRevisions: [],
});
const stage = (stageName: string, stageAttempt = 0) => ({ executionId: X, at: T, stageName, stageAttempt });
const aref = (stageName: string, actionName: string, stageAttempt = 0, attempt = 1): ActionRef => ({
  stageName,
  actionName,
  stageAttempt,
  attempt,
  actionExecutionId: actionExecutionId(X, stageName, actionName, stageAttempt, attempt),
});
const ref = (stageName: string, actionName: string, stageAttempt = 0, attempt = 1) => ({
  executionId: X,
  at: T,
  ...aref(stageName, actionName, stageAttempt, attempt),
});
const begin = (
  s: string,
  a: string,
  sa = 0,
  n = 1,
  extra: { resolvedConfiguration?: Record<string, string> } = {},
) => actionStarted({ ...ref(s, a, sa, n), resolvedConfiguration: {}, inputArtifacts: [], ...extra });
const succeed = (s: string, a: string, sa = 0, n = 1) =>
  actionSucceeded({ ...ref(s, a, sa, n), outputArtifacts: [], outputVariables: {} });
const fail = (s: string, a: string, sa = 0, n = 1) =>
  actionFailed({ ...ref(s, a, sa, n), error: { code: 'JobFailed', message: 'exit 1' }, retryable: false });

/** Started, Source done (artifact + `SourceVariables.CommitId`), Build entered. */
const INTO_BUILD: NewExecutionEvent[] = [
  started,
  stageStarted(stage('Source')),
  actionStarted({
    ...ref('Source', 'Checkout'),
    resolvedConfiguration: {},
    inputArtifacts: [],
    namespace: 'SourceVariables',
  }),
  actionSucceeded({
    ...ref('Source', 'Checkout'),
    outputArtifacts: [ARTIFACT],
    outputVariables: { CommitId: '4f2a9c1' },
  }),
  stageSucceeded(stage('Source')),
  stageStarted(stage('Build')),
];
/** Build done, Approve entered, Release waiting for approval `ap-1`. */
const RELEASE_WAITING: NewExecutionEvent[] = [
  ...INTO_BUILD,
  begin('Build', 'Compile'),
  succeed('Build', 'Compile'),
  begin('Build', 'Lint'),
  succeed('Build', 'Lint'),
  stageSucceeded(stage('Build')),
  stageStarted(stage('Approve')),
  begin('Approve', 'Release', 0, 1, { resolvedConfiguration: { CustomData: 'check prod' } }),
  approvalRequested({
    ...ref('Approve', 'Release'),
    approvalId: 'ap-1',
    expiresAt: '2026-01-09T03:00:00.000Z',
    notified: [],
  }),
];
/** Build attempt 0: Compile failed, Lint succeeded. */
const BUILD_FAILED_PARTLY: NewExecutionEvent[] = [
  ...INTO_BUILD,
  begin('Build', 'Compile'),
  fail('Build', 'Compile'),
  begin('Build', 'Lint'),
  succeed('Build', 'Lint'),
];

const task = { pipeline: 'p', executionId: X, taskToken: 'tok' };
const gate = (s: string, attempt = 0): TaskPayloadOf<'gate'> => ({
  kind: 'gate',
  ...task,
  stage: s,
  attempt,
});
const leave = (s: string, attempt = 0): TaskPayloadOf<'leave'> => ({
  kind: 'leave',
  ...task,
  stage: s,
  attempt,
});
const act = (s: string, a: string, attempt = 0): TaskPayloadOf<'action'> => ({
  kind: 'action',
  ...task,
  stage: s,
  action: a,
  attempt,
});
const failedTask = (
  s: string,
  error: { Error?: string; Cause?: string },
  attempt = 0,
): TaskPayloadOf<'stageFailed'> => ({
  kind: 'stageFailed',
  ...task,
  stage: s,
  attempt,
  error,
});
const CAUGHT = { Error: ACTION_FAILED_ERROR, Cause: 'Build/Compile: exit 1' };
const NONE: ReadonlySet<string> = new Set();

const types = (d: Decision) => d.events.map((e) => e.type);
function eventOf<K extends NewExecutionEvent['type']>(
  d: Decision,
  type: K,
): Extract<NewExecutionEvent, { type: K }> {
  const found = d.events.find((e) => e.type === type);
  if (found === undefined) throw new Error(`no ${type} among ${types(d).join(', ')}`);
  return found as Extract<NewExecutionEvent, { type: K }>;
}
const ENTER = { kind: 'success', output: { decision: 'ENTER' } };
const OK = { kind: 'success', output: {} };

// ---------------------------------------------------------------- tests

describe('decideStart', () => {
  it('records the resolved variables, overrides over defaults', () => {
    // Act
    const d = decideStart({
      pipeline: PIPELINE,
      pipelineVersion: 3,
      executionId: X,
      at: T,
      trigger: { triggerType: 'StartPipelineExecution' },
      overrides: { ENV: 'prod' },
    });
    // Assess
    const e = eventOf(d, 'PipelineExecutionStarted');
    expect(e.data.variables).toEqual([{ name: 'ENV', resolvedValue: 'prod' }]);
    expect(e.data.pipelineVersion).toBe(3);
    expect(e.id).toBe(`${X}:PipelineExecutionStarted`);
  });

  it('throws VariableResolutionError for an undeclared variable', () => {
    const input = {
      pipeline: PIPELINE,
      pipelineVersion: 1,
      executionId: X,
      at: T,
      trigger: { triggerType: 'StartPipelineExecution' as const },
      overrides: { NOPE: 'x' },
    };
    expect(() => decideStart(input)).toThrow(VariableResolutionError);
  });
});

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

describe('decideAction', () => {
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

describe('decideApproval', () => {
  const view = viewOf(RELEASE_WAITING);

  it('approves: ApprovalDecided and the approval action succeeds', () => {
    // Act
    const d = decideApproval(
      view,
      { approvalId: 'ap-1', status: 'Approved', summary: 'ship it', actor: alice },
      { at: at(5) },
    );
    // Assess
    expect(types(d)).toEqual(['ApprovalDecided', 'ActionSucceeded']);
    expect(eventOf(d, 'ApprovalDecided')).toMatchObject({
      actor: alice,
      data: { status: 'Approved', summary: 'ship it' },
    });
    expect(eventOf(d, 'ActionSucceeded').data.summary).toBe('Approved by alice: ship it');
    expect(d.reply).toEqual(OK);
    expect(d.ref.actionExecutionId).toBe(`${X}:Approve:Release:0:1`);
  });

  it('rejects: the approval action fails with ApprovalRejected', () => {
    const d = decideApproval(view, { status: 'Rejected', summary: 'not now', actor: bob }, { at: at(5) });
    expect(types(d)).toEqual(['ApprovalDecided', 'ActionFailed']);
    expect(eventOf(d, 'ActionFailed').data.error).toEqual({
      code: 'ApprovalRejected',
      message: 'Rejected by bob: not now',
    });
    expect(d.reply).toMatchObject({ kind: 'failure', error: ACTION_FAILED_ERROR });
  });

  it('refuses a second decision, naming who decided', () => {
    // Prepare
    const first = decideApproval(
      view,
      { approvalId: 'ap-1', status: 'Approved', actor: alice },
      { at: at(5) },
    );
    const decided = viewOf([...RELEASE_WAITING, ...first.events]);
    // Act
    const second = () =>
      decideApproval(decided, { approvalId: 'ap-1', status: 'Rejected', actor: bob }, { at: at(6) });
    // Assess
    expect(second).toThrow(ExecutionStateError);
    expect(second).toThrow(/already Approved by alice at 2026-01-02T03:05:00.000Z/);
  });

  it('refuses a decision after the approval expired', () => {
    const late = () =>
      decideApproval(view, { status: 'Approved', actor: alice }, { at: '2026-01-09T03:00:01.000Z' });
    expect(late).toThrow(/expired at 2026-01-09T03:00:00.000Z/);
  });

  it('asks which approval when several are pending, and takes the named one', () => {
    // Prepare
    const two = viewOf([
      ...RELEASE_WAITING,
      begin('Approve', 'Audit'),
      approvalRequested({
        ...ref('Approve', 'Audit'),
        approvalId: 'ap-2',
        expiresAt: '2026-01-02T04:00:00.000Z',
        notified: [],
      }),
    ]);
    // Act
    const unnamed = () => decideApproval(two, { status: 'Approved', actor: alice }, { at: at(5) });
    const named = decideApproval(
      two,
      { actionName: 'Approve/Audit', status: 'Approved', actor: alice },
      { at: at(5) },
    );
    // Assess
    expect(unnamed).toThrow(ExecutionStateError);
    expect(unnamed).toThrow(/2 pending approvals \(Approve\/Release, Approve\/Audit\)/);
    expect(named.approval.approvalId).toBe('ap-2');
  });

  it('refuses an unknown approval id', () => {
    expect(() =>
      decideApproval(view, { approvalId: 'nope', status: 'Approved', actor: alice }, { at: T }),
    ).toThrow(/has no approval nope/);
  });
});

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

describe('parseTaskPayload', () => {
  it('accepts every payload the compiler produces', () => {
    expect(parseTaskPayload(gate('Build'))).toEqual(gate('Build'));
    expect(parseTaskPayload(failedTask('Build', { Error: 'States.Timeout' })).kind).toBe('stageFailed');
    expect(parseTaskPayload({ kind: 'finish', pipeline: 'p', executionId: X, attempt: 2 }).attempt).toBe(2);
  });

  it('rejects a bad payload naming the field', () => {
    // Act
    const missing = () => parseTaskPayload({ ...act('Build', 'Compile'), action: undefined });
    const negative = () => parseTaskPayload({ ...gate('Build'), attempt: -1 });
    const unknownKind = () => parseTaskPayload({ ...gate('Build'), kind: 'dance' });
    // Assess
    expect(missing).toThrow(TaskPayloadError);
    expect(missing).toThrow(/: action: /);
    expect(negative).toThrow(/: attempt: /);
    expect(unknownKind).toThrow(/: kind: /);
    try {
      missing();
    } catch (e) {
      expect((e as TaskPayloadError).path).toEqual(['action']);
    }
  });
});

describe('visibleVariables', () => {
  it('lists the execution id, pipeline variables and completed namespaces', () => {
    expect(visibleVariables(viewOf(INTO_BUILD))).toEqual({
      'codepipeline.PipelineExecutionId': X,
      'variables.ENV': 'prod',
      'SourceVariables.CommitId': '4f2a9c1',
    });
  });
});

describe('replyFor', () => {
  it('has no reply for an attempt in progress or unknown', () => {
    const view = viewOf([...INTO_BUILD, begin('Build', 'Compile')]);
    expect(replyFor(view.stages[1]?.actions[0]?.attempts[0])).toBeUndefined();
    expect(replyFor(undefined)).toBeUndefined();
  });
});
