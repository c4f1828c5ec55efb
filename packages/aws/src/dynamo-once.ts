/**
 * "Do this once" markers in the event table, for side effects that cannot be undone (an email
 * sent, an event put on a bus). A worker claims a key with a lease before it acts and marks it
 * done after; a redelivery finds it done (skip), or claimed by someone still within the lease
 * (try later), or claimed with the lease run out — the worker died between claim and done — and
 * takes it over. So a redelivered DynamoDB stream batch sends nothing twice, and a crash between
 * claim and send loses nothing (it may, rarely, send twice: at least once).
 *
 * @example
 * ```ts
 * const once = new DynamoOnce({ client, tableName: 'pipewright-prod-events' });
 * if ((await once.claim(`notify:${message.id}`)) === 'claimed') {
 *   await notifier.send(message);
 *   await once.done(`notify:${message.id}`);
 * }
 * ```
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { TTL_ATTRIBUTE } from './event-table.ts';

/** Options of {@link DynamoOnce}. @example `{ client, tableName: 'events', leaseSeconds: 300 }` */
export interface DynamoOnceOptions {
  client: DynamoDBClient;
  tableName: string;
  /** How long a marker is kept (default 14 days: longer than DynamoDB streams keep records, 24 h). */
  ttlSeconds?: number;
  /** How long a claim holds before another worker may take it over (default 300 s). */
  leaseSeconds?: number;
  now?: () => number;
}

/** What a claim found. `claimed`: act, then `done`. `done`: already acted. `held`: another worker is acting; try later. */
export type ClaimResult = 'claimed' | 'done' | 'held';

/** The key prefix of markers, beside `token#` and the streams' own keys. @example `${ONCE_PREFIX}notify:7f0c…` */
export const ONCE_PREFIX = 'once#';

/**
 * Claims keys across every process that shares the table.
 *
 * @example
 * ```ts
 * await once.claim('a'); // 'claimed'
 * await once.claim('a'); // 'held' (within the lease)
 * await once.done('a');
 * await once.claim('a'); // 'done'
 * ```
 */
export class DynamoOnce {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #ttlSeconds: number;
  readonly #leaseSeconds: number;
  readonly #now: () => number;

  constructor(options: DynamoOnceOptions) {
    this.#doc = DynamoDBDocumentClient.from(options.client);
    this.#table = options.tableName;
    this.#ttlSeconds = options.ttlSeconds ?? 14 * 86_400;
    this.#leaseSeconds = options.leaseSeconds ?? 300;
    this.#now = options.now ?? Date.now;
  }

  /** Claims `key` unless it is done or held by a live lease. */
  async claim(key: string): Promise<ClaimResult> {
    const now = Math.floor(this.#now() / 1000);
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            pk: `${ONCE_PREFIX}${key}`,
            sk: 0,
            item: 'once',
            state: 'claimed',
            leaseUntil: now + this.#leaseSeconds,
            [TTL_ATTRIBUTE]: now + this.#ttlSeconds,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :claimed AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now },
        }),
      );
      return 'claimed';
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      const { Item } = await this.#doc.send(
        new GetCommand({
          TableName: this.#table,
          Key: { pk: `${ONCE_PREFIX}${key}`, sk: 0 },
          ConsistentRead: true,
        }),
      );
      // Markers written before leases existed have no state: they mean done.
      return Item?.state === 'claimed' ? 'held' : 'done';
    }
  }

  /** Marks a claimed key done: later claims skip it. */
  async done(key: string): Promise<void> {
    await this.#doc.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: `${ONCE_PREFIX}${key}`, sk: 0 },
        UpdateExpression: 'SET #state = :done REMOVE leaseUntil',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':done': 'done' },
      }),
    );
  }

  /** Gives a claim back (the side effect failed, so a redelivery may try again at once). */
  async release(key: string): Promise<void> {
    await this.#doc.send(
      new DeleteCommand({ TableName: this.#table, Key: { pk: `${ONCE_PREFIX}${key}`, sk: 0 } }),
    );
  }
}

function isConditionFailure(e: unknown): boolean {
  return (
    e instanceof ConditionalCheckFailedException || (e as Error).name === 'ConditionalCheckFailedException'
  );
}
