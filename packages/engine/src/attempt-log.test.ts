import { describe, expect, it } from 'vitest';
import { AttemptLog } from './attempt-log.ts';
import type { ActionLogStore } from './ports/action-log-store.ts';
import { MemoryActionLogStore } from './testing/index.ts';

const ref = { executionId: '7f0c', stageName: 'Build', actionName: 'Make', stageAttempt: 0, attempt: 1 };

describe('AttemptLog', () => {
  it('opens the log on the first write, keeps every line in order and nothing written after close', async () => {
    // Prepare
    const logs = new MemoryActionLogStore();
    const log = new AttemptLog(logs, ref);
    // Act
    log.write('stdout', 'one\n');
    log.write('stderr', 'two\n');
    await log.close();
    log.write('stdout', 'late\n');
    // Assess: the late write reaches the closed writer, which drops it as every store does (no second open)
    expect(log.written).toBe(true);
    expect(await logs.read(ref)).toBe('one\ntwo\n');
  });

  it('opens nothing for an attempt that writes nothing, until its empty log is created', async () => {
    // Prepare
    const logs = new MemoryActionLogStore();
    const log = new AttemptLog(logs, ref);
    // Act
    await log.close();
    const before = await logs.read(ref);
    await log.createEmpty();
    // Assess
    expect(before).toBeUndefined();
    expect(await logs.read(ref)).toBe('');
  });

  it('reports a log store that cannot open the log on close, not as an unhandled rejection', async () => {
    // Prepare
    const broken: ActionLogStore = {
      open: async () => {
        throw new Error('disk full');
      },
      read: async () => undefined,
    };
    const log = new AttemptLog(broken, ref);
    // Act
    log.write('stdout', 'lost\n');
    await new Promise((resolve) => setImmediate(resolve));
    // Assess
    await expect(log.close()).rejects.toThrow('disk full');
  });
});
