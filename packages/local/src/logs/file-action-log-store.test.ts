import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileActionLogStore } from './file-action-log-store.ts';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const ref = { executionId: 'e-1', stageName: 'Build', actionName: 'Compile', stageAttempt: 0, attempt: 1 };

describe('FileActionLogStore.readFrom', () => {
  it('returns the bytes written after an offset while the log is open, and undefined without a log', async () => {
    // Prepare
    const root = mkdtempSync(join(tmpdir(), 'pw-logs-'));
    made.push(root);
    const logs = new FileActionLogStore(root);
    const decode = (bytes: Uint8Array | undefined) =>
      bytes === undefined ? undefined : new TextDecoder().decode(bytes);
    const before = await logs.readFrom(ref, 0);
    const log = await logs.open(ref);

    // Act
    log.write('stdout', 'compiling\n');
    const first = await logs.readFrom(ref, 0);
    log.write('system', 'done\n');
    const second = await logs.readFrom(ref, first?.length ?? 0);
    const none = await logs.readFrom(ref, (first?.length ?? 0) + (second?.length ?? 0));
    await log.close();

    // Assess
    expect(before).toBeUndefined();
    expect(decode(first)).toBe('compiling\n');
    expect(decode(second)).toBe('[pipewright] done\n');
    expect(none?.length).toBe(0);
    expect(`${decode(first)}${decode(second)}`).toBe(await logs.read(ref));
  });
});
