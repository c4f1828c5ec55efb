import type { EventRecord, ExecutionView } from '@pipewright/core';
import { readExecution } from '@pipewright/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { closeWebHarnesses, openWebHarness } from '../web-harness.test-helper.ts';

afterEach(closeWebHarnesses);

describe('executionRoutes', () => {
  it('serves the view exactly as folding the log gives it, and the events from a sequence number', async () => {
    // Prepare
    const h = await openWebHarness();
    const executionId = await h.startExecution();
    await h.approvalRequested(executionId);
    // Act
    const view = await (await h.api(`/api/executions/${executionId}`)).json();
    const all = (await (await h.api(`/api/executions/${executionId}/events`)).json()) as {
      lastSeq: number;
      events: EventRecord[];
    };
    const later = (await (await h.api(`/api/executions/${executionId}/events?from=3`)).json()) as {
      events: EventRecord[];
    };
    // Assess
    expect(view).toEqual(
      JSON.parse(JSON.stringify((await readExecution(h.runtime.store, executionId)).view)),
    );
    expect(all.events.map((e) => e.seq)).toEqual(Array.from({ length: all.lastSeq }, (_, i) => i + 1));
    expect(all.events[0]?.type).toBe('PipelineExecutionStarted');
    expect(all.events.some((e) => e.type === 'ApprovalRequested')).toBe(true);
    expect(later.events[0]?.seq).toBe(3);
    expect(later.events).toEqual(all.events.slice(2));
    expect((await h.api(`/api/executions/${executionId}/events?from=0`)).status).toBe(400);
  });

  it('answers 404 with a message for an unknown execution', async () => {
    const h = await openWebHarness();
    for (const path of [
      '/api/executions/nope',
      '/api/executions/nope/events',
      '/api/executions/nope/logs/A/B',
    ]) {
      const res = await h.api(path);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({
        error: { code: 'NotFound', message: expect.stringContaining('no execution nope') },
      });
    }
    expect((await h.api('/api/executions/nope/approvals', { json: { status: 'Approved' } })).status).toBe(
      404,
    );
    expect((await h.api('/api/executions/nope/stop', { json: {} })).status).toBe(404);
  });

  it("serves an action's latest log as text, and 404 with a message when there is none", async () => {
    const h = await openWebHarness();
    const executionId = await h.startExecution({ DEPLOY_ENV: 'prod' });
    await h.approvalRequested(executionId);
    const log = await h.api(`/api/executions/${executionId}/logs/Build/Compile`);
    expect(log.status).toBe(200);
    expect(log.headers.get('Content-Type')).toMatch(/^text\/plain/);
    const text = await log.text();
    expect(text).toContain('running Build/Compile');
    expect(text).toContain('DEPLOY_ENV=prod');
    expect(
      (await h.api(`/api/executions/${executionId}/logs/Build/Compile?stageAttempt=0&attempt=1`)).status,
    ).toBe(200);
    const noAttempt = await h.api(`/api/executions/${executionId}/logs/Build/Compile?attempt=2`);
    expect(noAttempt.status).toBe(404);
    expect(((await noAttempt.json()) as { error: { message: string } }).error.message).toContain(
      'stageAttempt=0&attempt=1',
    );
    const notRun = await h.api(`/api/executions/${executionId}/logs/Deploy/Ship`);
    expect(notRun.status).toBe(404);
    expect(((await notRun.json()) as { error: { message: string } }).error.message).toContain('has not run');
    const noAction = await h.api(`/api/executions/${executionId}/logs/Build/Nope`);
    expect(((await noAction.json()) as { error: { message: string } }).error.message).toContain(
      'Build/Compile',
    );
  });

  it('stops an execution with the actor and reason, and refuses to stop it again (409)', async () => {
    const h = await openWebHarness();
    const executionId = await h.startExecution();
    await h.approvalRequested(executionId);
    const res = await h.api(`/api/executions/${executionId}/stop`, {
      json: { abandon: true, reason: 'wrong branch' },
      headers: { 'X-Pipewright-User': 'bob' },
    });
    expect(res.status).toBe(200);
    const view = (await res.json()) as ExecutionView;
    expect(view.status).toBe('Stopped');
    expect(view.stopTrigger).toMatchObject({ abandon: true, reason: 'wrong branch', actor: { id: 'bob' } });
    const again = await h.api(`/api/executions/${executionId}/stop`, { json: {} });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toContain('already ended');
    const bad = await h.api(`/api/executions/${executionId}/stop`, { json: { abandon: 'yes' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^body\.abandon: /);
  });

  it('rejects an approval through the API: the execution fails; a second decision is 409', async () => {
    // Prepare
    const h = await openWebHarness();
    const executionId = await h.startExecution();
    await h.approvalRequested(executionId);
    // Act
    const res = await h.api(`/api/executions/${executionId}/approvals`, {
      json: { status: 'Rejected', comment: 'not during the freeze', action: 'Approve/Release' },
      headers: { 'X-Pipewright-User': 'carol' },
    });
    const final = await h.runtime.waitForExecution(executionId);
    // Assess
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      approval: {
        status: 'Rejected',
        decidedBy: { kind: 'user', id: 'carol', verifiedBy: 'server-token' },
        summary: 'not during the freeze',
      },
    });
    expect(final.status).toBe('Failed');
    expect(final.stages.find((s) => s.stageName === 'Deploy')?.status).toBe('NotStarted');
    const again = await h.api(`/api/executions/${executionId}/approvals`, { json: { status: 'Approved' } });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toContain(
      'already Rejected by carol',
    );
  });

  it('approves through the API with the default actor, and validates the body', async () => {
    const h = await openWebHarness();
    const executionId = await h.startExecution();
    await h.approvalRequested(executionId);
    const bad = await h.api(`/api/executions/${executionId}/approvals`, { json: { status: 'OK' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^body\.status: /);
    const res = await h.api(`/api/executions/${executionId}/approvals`, { json: { status: 'Approved' } });
    expect(res.status).toBe(200);
    expect((await h.runtime.waitForExecution(executionId)).status).toBe('Succeeded');
    const { view } = await readExecution(h.runtime.store, executionId);
    expect(view.approvals[0]?.decidedBy).toEqual({ kind: 'user', id: 'api', verifiedBy: 'server-token' });
  });
});
