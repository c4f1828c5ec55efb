/**
 * The contract every `TaskTokenStore` adapter passes (memory in one process, DynamoDB items in
 * AWS). Run it with `runTaskTokensContract(name, makeAdapter)`; a skipped case must say why.
 */
import { type TaskTokenStore, taskKey } from '@pipewright/engine';
import { describe, expect } from 'vitest';
import { type ContractCases, type ContractSkips, registerCases } from './contract-case.ts';

// A Step Functions task token is opaque and up to 1,024 characters long.
const longToken = `AQCEAAAAKgAAAAMAAAAAAAAAA${'x+/='.repeat(249)}`.slice(0, 1024);

/** The cases every TaskTokenStore adapter must pass, by name (the names `skip` refers to). */
export const TASK_TOKENS_CASES: ContractCases<TaskTokenStore> = {
  'gives back the token put under a key, exactly': async (makeAdapter) => {
    const tokens = await makeAdapter();
    const key = taskKey({
      executionId: '7f0c',
      kind: 'action',
      stage: 'Deploy',
      action: 'Approve',
      attempt: 0,
    });
    await tokens.put(key, longToken);
    expect(await tokens.get(key)).toBe(longToken);
  },
  'answers undefined for a key never put': async (makeAdapter) => {
    const tokens = await makeAdapter();
    expect(await tokens.get('7f0c/action/Build/Compile/0')).toBeUndefined();
  },
  'replaces the token of a key put again (a task dispatched again)': async (makeAdapter) => {
    const tokens = await makeAdapter();
    await tokens.put('k', 'first');
    await tokens.put('k', 'second');
    expect(await tokens.get('k')).toBe('second');
  },
  'forgets a deleted key, and deleting an unknown key is a no-op': async (makeAdapter) => {
    const tokens = await makeAdapter();
    await tokens.put('k', 'token');
    await tokens.delete('k');
    await tokens.delete('never-put');
    expect(await tokens.get('k')).toBeUndefined();
  },
  'keeps keys apart, even when one is a prefix of another or they differ only in odd characters': async (
    makeAdapter,
  ) => {
    const tokens = await makeAdapter();
    const keys = [
      'a/b',
      'a/b/0',
      'a#b',
      'A/b',
      'a/b ',
      taskKey({ executionId: 'é/#', kind: 'gate', attempt: 1 }),
    ];
    await Promise.all(keys.map((k, i) => tokens.put(k, `token-${i}`)));
    await tokens.delete('a/b');
    expect(await Promise.all(keys.map((k) => tokens.get(k)))).toEqual([
      undefined,
      ...keys.slice(1).map((_, i) => `token-${i + 1}`),
    ]);
  },
};

/**
 * Registers the TaskTokenStore contract for one adapter. `makeAdapter` gives a fresh, empty store.
 *
 * @example
 * ```ts
 * runTaskTokensContract('memory', async () => new MemoryTaskTokens());
 * ```
 */
export function runTaskTokensContract(
  name: string,
  makeAdapter: () => Promise<TaskTokenStore>,
  skip?: ContractSkips,
): void {
  describe(`TaskTokenStore contract: ${name}`, () => {
    registerCases(TASK_TOKENS_CASES, makeAdapter, skip);
  });
}
