import { describe, expect, it } from 'vitest';
import { executionFailed, executionStopping } from '../events/index.ts';
import { decideOrchestratorEnd } from './decide-orchestrator-end.ts';
import { alice, at, INTO_BUILD, viewOf, X } from './decisions.fixtures.ts';

const ctx = { at: at(9) };

describe('decideOrchestratorEnd', () => {
  it('records a state machine that failed on its own as ExecutionFailed, naming the stage and what to do', () => {
    // Act
    const d = decideOrchestratorEnd(
      viewOf(INTO_BUILD),
      { status: 'FAILED', error: 'Lambda.Unknown', cause: 'Task timed out after 120 seconds' },
      ctx,
    );
    // Assess
    expect(d.events).toMatchObject([
      {
        type: 'ExecutionFailed',
        at: ctx.at,
        data: {
          stageName: 'Build',
          error: {
            code: 'Lambda.Unknown',
            message:
              "the state machine failed (Lambda.Unknown): Task timed out after 120 seconds; check the functions' logs, then release the change again",
          },
        },
      },
    ]);
    expect(viewOf([...INTO_BUILD, ...(d.events as never[])]).status).toBe('Failed');
  });

  it('records a timeout, and a stop as Stopped with the reason it was asked for (or that it came from outside)', () => {
    expect(decideOrchestratorEnd(viewOf(INTO_BUILD), { status: 'TIMED_OUT' }, ctx).events).toMatchObject([
      { type: 'ExecutionFailed', data: { error: { code: 'States.Timeout' } } },
    ]);
    const stopping = [
      ...INTO_BUILD,
      executionStopping({ executionId: X, at: at(5), abandon: true, reason: 'freeze', actor: alice }),
    ];
    expect(decideOrchestratorEnd(viewOf(stopping), { status: 'ABORTED' }, ctx).events).toMatchObject([
      { type: 'ExecutionStopped', data: { reason: 'freeze' } },
    ]);
    expect(decideOrchestratorEnd(viewOf(INTO_BUILD), { status: 'ABORTED' }, ctx).events).toMatchObject([
      { type: 'ExecutionStopped', data: { reason: expect.stringContaining('outside Pipewright') } },
    ]);
  });

  it('changes nothing for an execution whose end is already recorded', () => {
    const ended = [
      ...INTO_BUILD,
      executionFailed({ executionId: X, at: at(6), error: { code: 'JobFailed', message: 'x' } }),
    ];
    expect(decideOrchestratorEnd(viewOf(ended), { status: 'FAILED' }, ctx)).toEqual({ events: [] });
  });
});
