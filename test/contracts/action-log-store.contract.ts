/**
 * The contract every `ActionLogStore` adapter passes (files under `.pipewright/logs` locally,
 * S3 objects in AWS). Run it with `runActionLogStoreContract(name, makeAdapter)`; a skipped
 * case must say why. What a log looks like while its attempt still runs differs by design
 * (the local file grows as lines are written, S3 stores the log on close), so every case here
 * reads a log after `close`.
 */
import type { ActionLogRef, ActionLogStore } from '@pipewright/engine';
import { describe, expect } from 'vitest';
import { type ContractCases, type ContractSkips, registerCases } from './contract-case.ts';

let n = 0;
const ref = (overrides: Partial<ActionLogRef> = {}): ActionLogRef => {
  n += 1;
  return {
    executionId: `exec-${n}`,
    stageName: 'Build',
    actionName: 'Unit tests',
    stageAttempt: 0,
    attempt: 1,
    ...overrides,
  };
};
const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');

/** Writes `lines` (stream, text) to a new log of `r` and closes it. */
async function writeLog(
  logs: ActionLogStore,
  r: ActionLogRef,
  lines: ['stdout' | 'stderr' | 'system', string][],
) {
  const log = await logs.open(r);
  for (const [stream, line] of lines) log.write(stream, line);
  await log.close();
}

/** The cases every ActionLogStore adapter must pass, by name (the names `skip` refers to). */
export const ACTION_LOG_STORE_CASES: ContractCases<ActionLogStore> = {
  'reads back a closed log in order, every system line prefixed, unicode intact': async (makeAdapter) => {
    const logs = await makeAdapter();
    const r = ref();
    await writeLog(logs, r, [
      ['stdout', 'npm test\n'],
      ['stderr', 'warn: ünïcode ✓\n'],
      ['system', 'exit code 0\nduration 3s\n'],
    ]);
    expect(await logs.read(r)).toBe(
      'npm test\nwarn: ünïcode ✓\n[pipewright] exit code 0\n[pipewright] duration 3s\n',
    );
  },
  'reads an attempt that never had a log as undefined': async (makeAdapter) => {
    const logs = await makeAdapter();
    expect(await logs.read(ref())).toBeUndefined();
    expect(await logs.readFrom?.(ref(), 0)).toBeUndefined();
  },
  'keeps an attempt with no output as an empty log': async (makeAdapter) => {
    const logs = await makeAdapter();
    const r = ref();
    await writeLog(logs, r, []);
    expect(await logs.read(r)).toBe('');
  },
  'keeps each attempt, stage attempt, action, stage and execution apart, whatever characters they hold':
    async (makeAdapter) => {
      const logs = await makeAdapter();
      const base = ref({ executionId: 'ex/1 %', stageName: 'Deploy prod', actionName: 'Ap%ply/../x' });
      const others = [
        { ...base, attempt: 2 },
        { ...base, stageAttempt: 1 },
        { ...base, actionName: 'Ap%ply' },
        { ...base, stageName: 'Deploy' },
        { ...base, executionId: 'ex' },
      ];
      await writeLog(logs, base, [['stdout', 'base\n']]);
      await writeLog(logs, others[0] as ActionLogRef, [['stdout', 'retry\n']]);
      expect(await logs.read(base)).toBe('base\n');
      expect(await logs.read(others[0] as ActionLogRef)).toBe('retry\n');
      for (const other of others.slice(1)) expect(await logs.read(other)).toBeUndefined();
    },
  'reads from a byte offset: the rest, then empty at or past the end': async (makeAdapter) => {
    const logs = await makeAdapter();
    if (!logs.readFrom) throw new Error('this adapter has no readFrom: skip this case with the reason');
    const r = ref();
    await writeLog(logs, r, [['stdout', 'héllo\nworld\n']]);
    const size = Buffer.byteLength('héllo\nworld\n');
    expect(text(await logs.readFrom(r, 0))).toBe('héllo\nworld\n');
    expect(text(await logs.readFrom(r, 7))).toBe('world\n');
    expect(await logs.readFrom(r, size)).toEqual(new Uint8Array(0));
    expect(await logs.readFrom(r, size + 100)).toEqual(new Uint8Array(0));
  },
  'rejects an offset that is not a byte position, saying what to pass': async (makeAdapter) => {
    const logs = await makeAdapter();
    if (!logs.readFrom) throw new Error('this adapter has no readFrom: skip this case with the reason');
    for (const offset of [-1, 1.5, Number.NaN]) {
      await expect(logs.readFrom(ref(), offset)).rejects.toThrow(/pass a non-negative integer/);
    }
  },
  'keeps what was written before close, and ignores writes after it': async (makeAdapter) => {
    const logs = await makeAdapter();
    const r = ref();
    const log = await logs.open(r);
    log.write('stdout', 'one\n');
    await log.close();
    log.write('stdout', 'late\n');
    await log.close();
    expect(await logs.read(r)).toBe('one\n');
  },
};

/**
 * Registers the ActionLogStore contract for one adapter. `makeAdapter` gives a fresh, empty store.
 *
 * @example
 * ```ts
 * runActionLogStoreContract('files', async () => new FileActionLogStore(await tempDir()));
 * ```
 */
export function runActionLogStoreContract(
  name: string,
  makeAdapter: () => Promise<ActionLogStore>,
  skip?: ContractSkips,
): void {
  describe(`ActionLogStore contract: ${name}`, () => {
    registerCases(ACTION_LOG_STORE_CASES, makeAdapter, skip);
  });
}
