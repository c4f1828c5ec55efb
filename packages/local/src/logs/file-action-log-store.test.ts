import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

describe('FileActionLogStore.fileOf', () => {
  it('keeps the logs of stages and actions named "." or ".." inside their execution\'s folder', async () => {
    // Prepare: a file where a climbing path would land.
    const parent = mkdtempSync(join(tmpdir(), 'pw-logs-dots-'));
    made.push(parent);
    const root = join(parent, 'logs');
    const logs = new FileActionLogStore(root);
    writeFileSync(join(parent, '0-1.log'), 'outside\n');
    const dots = (executionId: string, name: string) => ({
      ...ref,
      executionId,
      stageName: name,
      actionName: name,
    });

    // Act
    const files = ['e-1', 'e-2'].flatMap((id) =>
      ['..', '.', '...'].map((name) => logs.fileOf(dots(id, name))),
    );
    const log = await logs.open(dots('e-1', '..'));
    log.write('stdout', 'inside\n');
    await log.close();

    // Assess
    for (const file of files) expect(file.startsWith(join(root, 'e-'))).toBe(true);
    expect(new Set(files).size).toBe(files.length);
    expect(await logs.read(dots('e-1', '..'))).toBe('inside\n');
    expect(await logs.read(dots('e-2', '..'))).toBeUndefined();
    expect(readFileSync(join(parent, '0-1.log'), 'utf8')).toBe('outside\n');
  });
});
