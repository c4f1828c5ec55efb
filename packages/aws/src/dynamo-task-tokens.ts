/**
 * Task tokens on the event table: one item per waiting task (`pk = token#<key>`, `sk = 0`)
 * carrying the token and an `expiresAt` TTL.
 *
 * @example
 * ```ts
 * const tokens = new DynamoTaskTokens({ client, tableName: 'pipewright-prod-events' });
 * await tokens.put(taskKey({ executionId, kind: 'action', stage, action, attempt }), token);
 * ```
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TaskTokenStore } from '@pipewright/engine';
import { TTL_ATTRIBUTE, taskTokenKey } from './event-table.ts';

/** A year and a day: Step Functions keeps a task open at most as long as its execution (one year). */
export const DEFAULT_TASK_TOKEN_TTL_SECONDS = 366 * 24 * 60 * 60;

/** Options of {@link DynamoTaskTokens}. */
export interface DynamoTaskTokensOptions {
  client: DynamoDBClient;
  /** The event table (`eventTableDefinition`, TTL enabled with `eventTableTimeToLive`). */
  tableName: string;
  /** How long a token item lives (default {@link DEFAULT_TASK_TOKEN_TTL_SECONDS}). */
  ttlSeconds?: number;
  /** The clock, in epoch milliseconds (default `Date.now`). */
  now?: () => number;
}

/**
 * {@link TaskTokenStore} on DynamoDB. A `put` for the same key replaces the token (the newest
 * dispatch of a task wins). DynamoDB deletes expired items lazily (within days), so `get`
 * treats an item past its `expiresAt` as absent. Tokens are secrets: they reach the table's
 * DynamoDB stream too, so its consumers must be as trusted as the table's readers.
 *
 * @example
 * ```ts
 * const token = await tokens.get('7f0c/action/Approval/Release/0');
 * if (token) await orchestrator.sendTaskSuccess(token, { decision: 'Approved' });
 * ```
 */
export class DynamoTaskTokens implements TaskTokenStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #ttlSeconds: number;
  readonly #now: () => number;

  constructor(options: DynamoTaskTokensOptions) {
    this.#doc = DynamoDBDocumentClient.from(options.client);
    this.#table = options.tableName;
    this.#ttlSeconds = options.ttlSeconds ?? DEFAULT_TASK_TOKEN_TTL_SECONDS;
    this.#now = options.now ?? Date.now;
  }

  async put(key: string, token: string): Promise<void> {
    await this.#doc.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          pk: taskTokenKey(key),
          sk: 0,
          item: 'task-token',
          token,
          [TTL_ATTRIBUTE]: Math.floor(this.#now() / 1000) + this.#ttlSeconds,
        },
      }),
    );
  }

  async get(key: string): Promise<string | undefined> {
    const { Item } = await this.#doc.send(
      new GetCommand({ TableName: this.#table, Key: { pk: taskTokenKey(key), sk: 0 }, ConsistentRead: true }),
    );
    if (!Item || typeof Item.token !== 'string') return undefined;
    const expiresAt = Number(Item[TTL_ATTRIBUTE]);
    return Number.isFinite(expiresAt) && expiresAt * 1000 <= this.#now() ? undefined : Item.token;
  }

  async delete(key: string): Promise<void> {
    await this.#doc.send(
      new DeleteCommand({ TableName: this.#table, Key: { pk: taskTokenKey(key), sk: 0 } }),
    );
  }
}
