import { describe, expect, it } from 'vitest';
import { ExecutionStateError } from '../errors.ts';
import type { PipelineStreamEvent } from '../events/event-catalog.ts';
import { executionStopping, stageFailed } from '../events/index.ts';
import { foldPipelineStream } from '../projections/pipeline-stream-view.ts';
import {
  decideDisableTransition,
  decideEnableTransition,
  decideTransitionGate,
  TRANSITION_REASON_MAX,
  transitionOf,
} from './decide-transition.ts';
import {
  alice,
  at,
  bob,
  gate,
  INTO_BUILD,
  PIPELINE,
  RELEASE_WAITING,
  stage,
  viewOf,
  X,
} from './decisions.fixtures.ts';
import type { NewPipelineEvent } from './index.ts';

const ctx = { at: at(5) };
const disable = { stageName: 'Approve', reason: 'release freeze', actor: alice, requestId: 'r1' };
const enable = { stageName: 'Approve', actor: bob, requestId: 'r2' };

function streamOf(events: readonly NewPipelineEvent[]) {
  return foldPipelineStream(
    PIPELINE,
    events.map((e, i) => ({ ...e, seq: i + 1 }) as PipelineStreamEvent),
  );
}

const EMPTY = streamOf([]);
const DISABLED = streamOf(decideDisableTransition(PIPELINE, EMPTY, disable, ctx));
/** Build done, Approve not entered yet: the execution is at Approve's gate. */
const AT_APPROVE_GATE = RELEASE_WAITING.slice(0, INTO_BUILD.length + 5);

describe('decideDisableTransition', () => {
  it('records TransitionDisabled with the actor, request id and trimmed reason', () => {
    // Act
    const events = decideDisableTransition(PIPELINE, EMPTY, { ...disable, reason: '  freeze  ' }, ctx);
    // Assess
    expect(events.map((e) => [e.type, e.actor, e.data])).toEqual([
      [
        'TransitionDisabled',
        alice,
        { stageName: 'Approve', transitionType: 'Inbound', requestId: 'r1', reason: 'freeze' },
      ],
    ]);
    expect(transitionOf(streamOf(events), 'Approve')).toEqual({
      enabled: false,
      lastChangedBy: 'alice',
      lastChangedAt: at(5),
      disabledReason: 'freeze',
    });
  });

  it.each([
    ['an empty reason', { reason: '   ' }, /a reason of 1 to 300 characters is required/],
    ['a reason over 300 characters', { reason: 'x'.repeat(TRANSITION_REASON_MAX + 1) }, /got 301/],
    ['an unknown stage', { stageName: 'Nope' }, /has no stage Nope; its stages: Source, Build, Approve/],
    ['an empty request id', { requestId: ' ' }, /request id is empty/],
  ])('refuses %s with ExecutionStateError', (_case, change, message) => {
    const decide = () => decideDisableTransition(PIPELINE, EMPTY, { ...disable, ...change }, ctx);
    expect(decide).toThrow(ExecutionStateError);
    expect(decide).toThrow(message);
  });
});

describe('decideEnableTransition', () => {
  it('records TransitionEnabled when the transition is disabled', () => {
    const events = decideEnableTransition(PIPELINE, DISABLED, enable, ctx);
    expect(events.map((e) => [e.type, e.actor?.id, e.data])).toEqual([
      ['TransitionEnabled', 'bob', { stageName: 'Approve', transitionType: 'Inbound', requestId: 'r2' }],
    ]);
    expect(
      transitionOf(
        streamOf([...decideDisableTransition(PIPELINE, EMPTY, disable, ctx), ...events]),
        'Approve',
      ).enabled,
    ).toBe(true);
  });

  it('records nothing when the transition is enabled already, and refuses an unknown stage', () => {
    expect(decideEnableTransition(PIPELINE, EMPTY, enable, ctx)).toEqual([]);
    expect(() => decideEnableTransition(PIPELINE, EMPTY, { ...enable, stageName: 'Nope' }, ctx)).toThrow(
      ExecutionStateError,
    );
  });
});

describe('decideTransitionGate', () => {
  it('goes on while the inbound transition is enabled', () => {
    expect(decideTransitionGate(viewOf(AT_APPROVE_GATE), EMPTY, gate('Approve'), ctx)).toEqual({
      kind: 'go',
    });
  });

  it('waits at a disabled transition with StageWaiting (Transition) giving the disable reason', () => {
    // Act
    const d = decideTransitionGate(viewOf(AT_APPROVE_GATE), DISABLED, gate('Approve'), ctx);
    // Assess
    expect(d.kind).toBe('wait');
    const events = d.kind === 'wait' ? d.events : [];
    expect(events.map((e) => [e.type, e.data])).toEqual([
      [
        'StageWaiting',
        { stageName: 'Approve', stageAttempt: 0, gate: 'Transition', reason: 'release freeze' },
      ],
    ]);
    expect(viewOf([...AT_APPROVE_GATE, ...events]).stages[2]?.waiting).toMatchObject({
      gate: 'Transition',
      reason: 'release freeze',
    });
  });

  it('goes on for a stage the execution entered already (a retry of it), though disabled', () => {
    const failed = [
      ...INTO_BUILD,
      stageFailed({ ...stage('Build'), error: { code: 'JobFailed', message: 'x' } }),
    ];
    const disabledBuild = streamOf(
      decideDisableTransition(PIPELINE, EMPTY, { ...disable, stageName: 'Build' }, ctx),
    );
    expect(decideTransitionGate(viewOf(failed), disabledBuild, gate('Build', 1), ctx)).toEqual({
      kind: 'go',
    });
  });

  it('waits and records nothing for a stopping execution', () => {
    const stopping = [
      ...AT_APPROVE_GATE,
      executionStopping({ executionId: X, at: at(3), actor: alice, abandon: true }),
    ];
    expect(decideTransitionGate(viewOf(stopping), EMPTY, gate('Approve'), ctx)).toEqual({
      kind: 'wait',
      events: [],
    });
  });
});
