import { ExecutionStateError } from '@pipewright/core';
import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { UnknownExecutionError } from '../errors.ts';
import { approve, recordApprovalDecision } from './approve.ts';
import { stageTask } from './gate.ts';
import { runAction } from './run-action.ts';
import { settle } from './settle.ts';
import { start } from './start.ts';
import {
  closeHarnesses,
  fakeProvider,
  type UseCaseHarness,
  useCaseHarness,
} from './use-cases.test-helper.ts';

const pipeline = testPipeline([{ name: 'Approve', actions: [fakeAction('Release', 'Approval')] }]);
const alice = { kind: 'user', id: 'alice' } as const;

afterEach(closeHarnesses);

/** An execution whose approval waits; its action task's token is held by the harness's engine. */
async function waitingApproval(): Promise<{ h: UseCaseHarness; executionId: string; token: string }> {
  const h = await useCaseHarness(pipeline, {
    providers: [fakeProvider(() => ({ status: 'Waiting' }), 'Approval')],
  });
  const { executionId } = await start(h.ctx, { pipeline: 'p' });
  await stageTask(h.ctx, h.gate(executionId, 'Approve'));
  const payload = h.action(executionId, 'Approve', 'Release');
  await runAction(h.ctx, payload);
  await h.ctx.runs.idle();
  return { h, executionId, token: payload.taskToken };
}

describe('approve', () => {
  it('records the decision and answers the waiting action task where the token is held', async () => {
    // Prepare
    const { h, executionId, token } = await waitingApproval();
    // Act
    const decided = await approve(h.ctx.log, {
      executionId,
      status: 'Approved',
      summary: 'ok',
      actor: alice,
    });
    // Assess
    expect(decided.sent).toBe('sent');
    expect((await h.types(executionId)).slice(-2)).toEqual(['ApprovalDecided', 'ActionSucceeded']);
    expect(h.orchestrator.answers.at(-1)).toMatchObject({ token, kind: 'success' });
  });

  it('fails the action task on a rejection', async () => {
    // Prepare
    const { h, executionId, token } = await waitingApproval();
    // Act
    await approve(h.ctx.log, { executionId, status: 'Rejected', summary: 'not now', actor: alice });
    // Assess
    expect(h.orchestrator.answers.at(-1)).toMatchObject({ token, kind: 'failure' });
  });

  it('refuses a second decision (an approval is decided once) and records nothing more', async () => {
    // Prepare
    const { h, executionId } = await waitingApproval();
    await approve(h.ctx.log, { executionId, status: 'Approved', summary: 'ok', actor: alice });
    const before = await h.types(executionId);
    // Act
    const again = approve(h.ctx.log, { executionId, status: 'Rejected', summary: 'late', actor: alice });
    // Assess
    await expect(again).rejects.toBeInstanceOf(ExecutionStateError);
    expect(await h.types(executionId)).toEqual(before);
  });

  it('records one decision when two processes decide at the same moment', async () => {
    // Prepare
    const { h, executionId } = await waitingApproval();
    // Act
    const results = await Promise.allSettled([
      recordApprovalDecision(
        h.store,
        { executionId, status: 'Approved', summary: 'a', actor: alice },
        h.ctx.log.at(),
      ),
      recordApprovalDecision(
        h.store,
        { executionId, status: 'Rejected', summary: 'b', actor: alice },
        h.ctx.log.at(),
      ),
    ]);
    // Assess
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await h.types(executionId)).filter((t) => t === 'ApprovalDecided')).toHaveLength(1);
  });

  it('from a store-only process records the decision; the engine holding the task answers it on settle', async () => {
    // Prepare
    const { h, executionId, token } = await waitingApproval();
    // Act
    await recordApprovalDecision(
      h.store,
      { executionId, status: 'Approved', summary: 'ok', actor: alice },
      h.ctx.log.at(),
    );
    const answeredBefore = h.orchestrator.answers.some((a) => a.token === token);
    const report = await settle(h.ctx.log, executionId);
    // Assess
    expect(answeredBefore).toBe(false);
    expect(report.closed).toEqual([]);
    expect(h.orchestrator.answers.at(-1)).toMatchObject({ token, kind: 'success' });
  });

  it('settle names the actions whose task had timed out before the decision', async () => {
    // Prepare
    const { h, executionId, token } = await waitingApproval();
    h.orchestrator.close(token);
    await recordApprovalDecision(
      h.store,
      { executionId, status: 'Approved', summary: 'ok', actor: alice },
      h.ctx.log.at(),
    );
    // Act
    const report = await settle(h.ctx.log, executionId);
    // Assess
    expect(report.closed).toEqual([{ stageName: 'Approve', actionName: 'Release' }]);
  });

  it('throws UnknownExecutionError for an execution the log does not hold', async () => {
    // Prepare
    const { h } = await waitingApproval();
    // Act
    const decided = recordApprovalDecision(
      h.store,
      { executionId: 'nope', status: 'Approved', actor: alice },
      h.ctx.log.at(),
    );
    // Assess
    await expect(decided).rejects.toBeInstanceOf(UnknownExecutionError);
  });
});
