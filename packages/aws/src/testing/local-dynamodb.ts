/**
 * Test support (not exported from the package): DynamoDB for tests — AWS's own DynamoDB Local
 * (see `dynamodb-local.ts`). Inside a vitest run every file shares the run's one instance
 * (`inject('dynamoDbLocalEndpoint')`, from `test/support/dynamodb-local-setup.ts`) and keeps
 * to its own uniquely named tables, deleted again by {@link LocalDynamoDb.close}; outside one
 * (a script), a private instance is started and stopped. Clients made by
 * {@link LocalDynamoDb.client} point at it on 127.0.0.1 with fixed fake credentials and count
 * the operations they send: nothing reaches AWS.
 *
 * @example
 * ```ts
 * const local = await startLocalDynamoDb();
 * const table = await local.createEventTable();
 * const store = new DynamoEventStore({ client: local.client(), tableName: table });
 * await local.close();
 * ```
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { eventTableDefinition } from '../event-table.ts';
import { DYNAMODB_LOCAL_CREDENTIALS, startDynamoDbLocal } from './dynamodb-local.ts';

/** DynamoDB Local as one test file sees it. */
export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** A new client pointed at DynamoDB Local (destroyed by {@link close}). */
  client(): DynamoDBClient;
  /** Creates a fresh event table (`eventTableDefinition`) with a unique name and returns the name. */
  createEventTable(): Promise<string>;
  /** Requests the clients made here have sent, by operation (e.g. `TransactWriteItems`). */
  readonly calls: Map<string, number>;
  /** Deletes the tables made here, destroys the clients, and stops a private instance. */
  close(): Promise<void>;
}

const REGION = 'us-east-1';

/**
 * Connects to the run's DynamoDB Local (or starts a private one outside vitest).
 *
 * @example
 * ```ts
 * const local = await startLocalDynamoDb();
 * ```
 */
export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const shared = sharedEndpoint();
  const own = shared ? undefined : await startDynamoDbLocal();
  const endpoint = shared ?? (own?.endpoint as string);
  const calls = new Map<string, number>();
  const clients: DynamoDBClient[] = [];
  const tables: string[] = [];
  const client = (): DynamoDBClient => {
    const made = new DynamoDBClient({
      endpoint,
      region: REGION,
      credentials: DYNAMODB_LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    made.middlewareStack.add(
      (next, context) => (args) => {
        const operation = String(context.commandName).replace(/Command$/, '');
        calls.set(operation, (calls.get(operation) ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize', name: 'countOperations' },
    );
    clients.push(made);
    return made;
  };
  const admin = new DynamoDBClient({ endpoint, region: REGION, credentials: DYNAMODB_LOCAL_CREDENTIALS });
  return {
    endpoint,
    calls,
    client,
    async createEventTable() {
      const name = `events-${randomUUID()}`;
      await admin.send(new CreateTableCommand(eventTableDefinition(name)));
      tables.push(name);
      return name;
    },
    async close() {
      for (const TableName of tables.splice(0)) {
        await admin.send(new DeleteTableCommand({ TableName })).catch(() => undefined);
      }
      for (const made of clients.splice(0)) made.destroy();
      admin.destroy();
      await own?.stop();
    },
  };
}

/** The run's shared endpoint, or `undefined` outside a vitest run with the global setup. */
function sharedEndpoint(): string | undefined {
  try {
    return inject('dynamoDbLocalEndpoint') || undefined;
  } catch {
    return undefined;
  }
}
