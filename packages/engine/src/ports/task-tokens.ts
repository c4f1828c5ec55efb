/**
 * Where task tokens wait for their answer. Tokens never go into events or views (an event
 * log is readable by more people than may complete a task); the engine keeps them here,
 * keyed by what is waiting.
 *
 * @example
 * ```ts
 * const tokens = new MemoryTaskTokens();
 * await tokens.put('7f0c/action/Approval/Release/0', token);
 * ```
 */

/** The task token store port. Adapters: memory (one process), DynamoDB items (AWS); both run `test/contracts/task-tokens.contract.ts`. */
export interface TaskTokenStore {
  put(key: string, token: string): Promise<void>;
  get(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
}

/**
 * The key of a waiting task.
 *
 * @example
 * ```ts
 * taskKey({ executionId: '7f0c', kind: 'action', stage: 'Build', action: 'Compile', attempt: 0 }); // '7f0c/action/Build/Compile/0'
 * ```
 */
export function taskKey(task: {
  executionId: string;
  kind: string;
  stage?: string;
  action?: string;
  attempt: number;
}): string {
  return [task.executionId, task.kind, task.stage ?? '', task.action ?? '', task.attempt]
    .map((p) => encodeURIComponent(String(p)))
    .join('/');
}

/**
 * Task tokens in memory: enough where one process runs the state machine (`pipewright run`).
 *
 * @example
 * ```ts
 * const tokens = new MemoryTaskTokens(); await tokens.get('x'); // undefined
 * ```
 */
export class MemoryTaskTokens implements TaskTokenStore {
  readonly #tokens = new Map<string, string>();

  async put(key: string, token: string): Promise<void> {
    this.#tokens.set(key, token);
  }

  async get(key: string): Promise<string | undefined> {
    return this.#tokens.get(key);
  }

  async delete(key: string): Promise<void> {
    this.#tokens.delete(key);
  }
}
