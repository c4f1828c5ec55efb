import { describe, expect, it } from 'vitest';
import { ExecutionStateError } from '../errors.ts';
import { approvalRequested } from '../events/index.ts';
import {
  alice,
  at,
  begin,
  bob,
  eventOf,
  OK,
  RELEASE_WAITING,
  ref,
  T,
  types,
  viewOf,
  X,
} from './decisions.fixtures.ts';
import { ACTION_FAILED_ERROR, decideApproval } from './index.ts';

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
