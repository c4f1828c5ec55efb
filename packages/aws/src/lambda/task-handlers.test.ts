import type { Engine } from '@pipewright/engine';
import { describe, expect, it } from 'vitest';
import { actionRunnerHandler } from './task-handlers.ts';

/** An engine that only records what the handler asks of it. */
function recordingEngine(calls: string[]): Engine {
  return {
    handleActionRunner: async () => {
      calls.push('handleActionRunner');
    },
    idle: async () => {
      calls.push('idle');
    },
  } as unknown as Engine;
}

describe('actionRunnerHandler', () => {
  it('waits for the work it started, then answers', async () => {
    const calls: string[] = [];
    const handler = actionRunnerHandler(async () => ({
      engine: recordingEngine(calls),
      runErrors: () => [],
    }));
    await expect(handler({ kind: 'action' })).resolves.toEqual({});
    expect(calls).toEqual(['handleActionRunner', 'idle']);
  });

  it('fails the invocation (PW6505, retryable) when an outcome could not be recorded, so the task fails now', async () => {
    const calls: string[] = [];
    const handler = actionRunnerHandler(async () => ({
      engine: recordingEngine(calls),
      runErrors: () => [new Error('ThrottlingException: rate exceeded'), new Error('again')],
    }));
    const failure = await handler({ kind: 'action' }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'PW6505', retryable: true });
    expect(String((failure as Error).message)).toContain('ThrottlingException: rate exceeded; and 1 more');
    expect(calls).toEqual(['handleActionRunner', 'idle']);
  });
});
