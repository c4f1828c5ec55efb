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

describe('lambdaEntry', () => {
  it('fails a retryable error as Pipewright.Retryable, which the state machine retries', async () => {
    const { functionLogger, lambdaEntry } = await import('./lambda-entry.ts');
    const { AwsAdapterError } = await import('../errors.ts');
    const logger = functionLogger('test');
    logger.setLogLevel('SILENT');
    const retryable = lambdaEntry(logger, async () => {
      throw new AwsAdapterError('PW6505', 'the table is throttling', { retryable: true });
    });
    const terminal = lambdaEntry(logger, async () => {
      throw new AwsAdapterError('PW6502', 'wrong event');
    });
    const context = { functionName: 'f', awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 } as never;
    await expect(retryable({}, context)).rejects.toMatchObject({
      name: 'Pipewright.Retryable',
      message: '[PW6505] the table is throttling',
    });
    await expect(terminal({}, context)).rejects.toMatchObject({ name: 'AwsAdapterError', code: 'PW6502' });
  });
});
