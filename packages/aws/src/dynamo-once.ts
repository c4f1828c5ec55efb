/**
 * "Do this once" markers in the event table: a conditional put that only the first claimant
 * of a key wins. The projector claims each side effect (a state-change event put on the bus,
 * a notification sent) before it acts, so a redelivered DynamoDB stream batch changes nothing.
 *
 * @example
 * ```ts
 * const once = new DynamoOnce({ client, tableName: 'pipewright-prod-events' });
 * if (await once.claim(`notify:${message.id}`)) await notifier.send(message);
 * ```
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { TTL_ATTRIBUTE } from './event-table.ts';

/** Options of {@link DynamoOnce}. @example `{ client, tableName: 'events', ttlSeconds: 7 * 86400 }` */
export interface DynamoOnceOptions {
  client: DynamoDBClient;
  tableName: string;
  /** How long a marker is kept (default 14 days: longer than DynamoDB streams keep records, 24 h). */
  ttlSeconds?: number;
  now?: () => number;
}

/** The key prefix of markers, beside `token#` and the streams' own keys. @example `${ONCE_PREFIX}notify:7f0c…` */
export const ONCE_PREFIX = 'once#';

/**
 * Claims keys at most once across every process that shares the table.
 *
 * @example
 * ```ts
 * await once.claim('a'); // true
 * await once.claim('a'); // false
 * ```
 */
export class DynamoOnce {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #ttlSeconds: number;
  readonly #now: () => number;

  constructor(options: DynamoOnceOptions) {
    this.#doc = DynamoDBDocumentClient.from(options.client);
    this.#table = options.tableName;
    this.#ttlSeconds = options.ttlSeconds ?? 14 * 86_400;
    this.#now = options.now ?? Date.now;
  }

  /** true for the first claim of `key`, false for every later one. */
  async claim(key: string): Promise<boolean> {
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            pk: `${ONCE_PREFIX}${key}`,
            sk: 0,
            item: 'once',
            [TTL_ATTRIBUTE]: Math.floor(this.#now() / 1000) + this.#ttlSeconds,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (e) {
      if (
        e instanceof ConditionalCheckFailedException ||
        (e as Error).name === 'ConditionalCheckFailedException'
      )
        return false;
      throw e;
    }
  }

  /** Gives a claim back (the side effect failed, so a redelivery may try again). */
  async release(key: string): Promise<void> {
    await this.#doc.send(
      new DeleteCommand({ TableName: this.#table, Key: { pk: `${ONCE_PREFIX}${key}`, sk: 0 } }),
    );
  }
}
