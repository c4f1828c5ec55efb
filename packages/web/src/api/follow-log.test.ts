import type { ActionLogRef, ActionLogStore } from '@pipewright/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { closeWebHarnesses, openWebHarness } from '../web-harness.test-helper.ts';
import { followLog } from './follow-log.ts';

afterEach(closeWebHarnesses);

/** Reads the stream until `text` holds `expected` (or the stream ends). */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  seen: { text: string },
  expected: string,
): Promise<void> {
  const decoder = new TextDecoder();
  while (!seen.text.includes(expected)) {
    const { value, done } = await reader.read();
    if (done) return;
    seen.text += decoder.decode(value, { stream: true });
  }
}

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>, seen: { text: string }) {
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    seen.text += decoder.decode(value, { stream: true });
  }
}

/** A harness with an execution waiting at its approval, and an open log of that attempt (InProgress until decided). */
async function waitingApprovalLog() {
  const h = await openWebHarness();
  const executionId = await h.startExecution();
  await h.approvalRequested(executionId);
  const ref: ActionLogRef = {
    executionId,
    stageName: 'Approve',
    actionName: 'Release',
    stageAttempt: 0,
    attempt: 1,
  };
  return { h, executionId, ref, writer: await h.runtime.logs.open(ref) };
}

describe('GET /api/executions/:id/logs/:stage/:action?follow=1', () => {
  it('streams what the log holds, then what is written while the attempt runs, and ends with the attempt', async () => {
    // Prepare: the approval's attempt stays InProgress until it is decided.
    const { h, executionId, ref, writer } = await waitingApprovalLog();
    writer.write('stdout', 'before the follow\n');

    // Act
    const res = await h.api(`/api/executions/${executionId}/logs/Approve/Release?follow=1`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const seen = { text: '' };
    await readUntil(reader, seen, 'before the follow\n');
    writer.write('stdout', 'while followed ü\n');
    await readUntil(reader, seen, 'while followed ü\n');
    writer.write('stdout', 'last line\n');
    await writer.close();
    const decided = await h.api(`/api/executions/${executionId}/approvals`, { json: { status: 'Approved' } });
    await readAll(reader, seen);

    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.headers.get('x-pipewright-attempt')).toBe('1');
    expect(decided.status).toBe(200);
    expect(seen.text).toBe(await h.runtime.logs.read(ref));
    expect(seen.text).toMatch(/before the follow\nwhile followed ü\nlast line\n$/);
  });

  it('answers an attempt that has ended whole, as without follow', async () => {
    const h = await openWebHarness();
    const executionId = await h.startExecution();
    await h.approvalRequested(executionId);
    const followed = await h.api(`/api/executions/${executionId}/logs/Build/Compile?follow=1`);
    const plain = await h.api(`/api/executions/${executionId}/logs/Build/Compile`);
    expect(followed.status).toBe(200);
    expect(await followed.text()).toBe(await plain.text());
    expect((await h.api(`/api/executions/${executionId}/logs/Build/Compile?follow=yes`)).status).toBe(400);
  });

  it('resumes after the first bytes a reader already has (from=N), following or not', async () => {
    // Prepare: a log of the waiting approval's attempt, and a Build log that has ended.
    const { h, executionId, writer } = await waitingApprovalLog();
    writer.write('stdout', 'read before ü\n');
    const had = new TextEncoder().encode('read before ü\n').length;
    const ended = await (await h.api(`/api/executions/${executionId}/logs/Build/Compile`)).text();

    // Act
    const res = await h.api(`/api/executions/${executionId}/logs/Approve/Release?follow=1&from=${had}`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const seen = { text: '' };
    writer.write('stdout', 'after the interruption\n');
    await readUntil(reader, seen, 'after the interruption\n');
    await reader.cancel();
    await writer.close();
    const rest = await h.api(`/api/executions/${executionId}/logs/Build/Compile?from=8`);
    const beyond = await h.api(`/api/executions/${executionId}/logs/Build/Compile?from=999999`);

    // Assess
    expect(seen.text).toBe('after the interruption\n');
    expect(await rest.text()).toBe(ended.slice(8));
    expect(await beyond.text()).toBe('');
    expect((await h.api(`/api/executions/${executionId}/logs/Build/Compile?from=-1`)).status).toBe(400);
  });

  it('reads a store without readFrom whole and sends only the new part, and stops when cancelled', async () => {
    // Prepare
    const h = await openWebHarness();
    const executionId = await h.startExecution();
    await h.approvalRequested(executionId);
    let text = 'one\n';
    let reads = 0;
    const logs: ActionLogStore = {
      open: () => Promise.reject(new Error('not used')),
      read: async () => {
        reads++;
        return text;
      },
    };
    const ref = { executionId, stageName: 'Approve', actionName: 'Release', stageAttempt: 0, attempt: 1 };
    const reader = followLog({ store: h.runtime.store, logs }, ref, 5).getReader();
    const decoder = new TextDecoder();

    // Act
    const first = decoder.decode((await reader.read()).value);
    text += 'two\n';
    const second = decoder.decode((await reader.read()).value);
    await reader.cancel();
    const readsAtCancel = reads;
    await new Promise((done) => setTimeout(done, 50));

    // Assess
    expect(first).toBe('one\n');
    expect(second).toBe('two\n');
    expect(reads).toBeLessThanOrEqual(readsAtCancel + 1);
  });
});
