/**
 * Test support (not exported from the package): an in-process DynamoDB for tests — `dynalite`
 * on 127.0.0.1 behind a small proxy that lets reads run together but every write (and every
 * transaction) alone, and adds
 * `TransactWriteItems` (see `transact-write-items.ts`), which dynalite lacks. Clients made by
 * {@link LocalDynamoDb.client} point at it with fixed fake credentials: nothing reaches AWS.
 *
 * @example
 * ```ts
 * const local = await startLocalDynamoDb();
 * const table = await local.createEventTable();
 * const store = new DynamoEventStore({ client: local.client(), tableName: table });
 * await local.close();
 * ```
 */
import {
  Agent,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { eventTableDefinition } from '../event-table.ts';
import { transactWriteItems, type WireObject } from './transact-write-items.ts';

/** A running local DynamoDB. */
export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>` of the proxy. */
  endpoint: string;
  /** A new client pointed at the local DynamoDB (destroyed by {@link close}). */
  client(): DynamoDBClient;
  /** Creates a fresh event table (`eventTableDefinition`) and returns its name. */
  createEventTable(): Promise<string>;
  /** Requests the proxy has served, by operation (e.g. `TransactWriteItems`). */
  readonly calls: Map<string, number>;
  close(): Promise<void>;
}

const REGION = 'us-east-1';
/** Operations that only read: they may run together, never alongside a write. */
const READS = new Set([
  'GetItem',
  'BatchGetItem',
  'Query',
  'Scan',
  'DescribeTable',
  'ListTables',
  'DescribeTimeToLive',
]);
const CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };

/**
 * Starts dynalite and its proxy on ephemeral loopback ports.
 *
 * @example
 * ```ts
 * const local = await startLocalDynamoDb();
 * ```
 */
export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const backend = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const backendUrl = `http://127.0.0.1:${await listen(backend)}`;
  const calls = new Map<string, number>();
  const keySchemas = new Map<string, string[]>();
  const lock = new ReadWriteLock();
  const agent = new Agent({ keepAlive: true });

  const proxy = createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    void readBody(req).then((body) =>
      lock
        .run(!READS.has(operation), () => serve(req, body, res))
        .catch((error: unknown) => {
          res.statusCode = 500;
          res.end(String(error));
        }),
    );
  });

  async function serve(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.split('.')[1] ?? '';
    calls.set(operation, (calls.get(operation) ?? 0) + 1);
    const headers = forwardedHeaders(req);
    if (operation === 'TransactWriteItems') {
      const call = async (op: string, payload: unknown) => {
        const reply = await post(agent, backendUrl, '/', {
          headers: { ...headers, 'x-amz-target': `DynamoDB_20120810.${op}` },
          body: Buffer.from(JSON.stringify(payload)),
        });
        return { status: reply.status, body: JSON.parse(reply.body.toString('utf8')) as WireObject };
      };
      const reply = await transactWriteItems(
        JSON.parse(body.toString('utf8')) as WireObject,
        call,
        keySchemas,
      );
      const text = JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': `local-${calls.get(operation)}`,
      });
      res.end(text);
      return;
    }
    const reply = await post(agent, backendUrl, req.url ?? '/', {
      method: req.method ?? 'POST',
      headers: { ...headers, 'x-amz-target': target },
      body,
    });
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(reply.headers)) {
      if (typeof value === 'string' && !['transfer-encoding', 'connection', 'keep-alive'].includes(name)) {
        out[name] = value;
      }
    }
    out['content-length'] = String(reply.body.length);
    res.writeHead(reply.status, out);
    res.end(reply.body);
  }

  const endpoint = `http://127.0.0.1:${await listen(proxy)}`;
  const clients: DynamoDBClient[] = [];
  let tables = 0;
  const admin = new DynamoDBClient({ endpoint, region: REGION, credentials: CREDENTIALS });
  clients.push(admin);
  return {
    endpoint,
    calls,
    client() {
      const client = new DynamoDBClient({
        endpoint,
        region: REGION,
        credentials: CREDENTIALS,
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    async createEventTable() {
      tables += 1;
      const name = `events-${tables}`;
      await admin.send(new CreateTableCommand(eventTableDefinition(name)));
      return name;
    },
    async close() {
      for (const client of clients) client.destroy();
      await close(proxy);
      agent.destroy();
      await close(backend);
    },
  };
}

/** Many readers or one writer at a time, first come first served. */
class ReadWriteLock {
  #readers = 0;
  #writing = false;
  readonly #waiting: { exclusive: boolean; grant: () => void }[] = [];

  async run<T>(exclusive: boolean, task: () => Promise<T>): Promise<T> {
    await new Promise<void>((grant) => {
      this.#waiting.push({ exclusive, grant });
      this.#drain();
    });
    try {
      return await task();
    } finally {
      if (exclusive) this.#writing = false;
      else this.#readers -= 1;
      this.#drain();
    }
  }

  #drain(): void {
    for (;;) {
      const next = this.#waiting[0];
      if (!next || this.#writing || (next.exclusive && this.#readers > 0)) return;
      this.#waiting.shift();
      if (next.exclusive) this.#writing = true;
      else this.#readers += 1;
      next.grant();
    }
  }
}

function forwardedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ['authorization', 'x-amz-date', 'content-type', 'x-amz-security-token']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  headers['content-type'] ??= 'application/x-amz-json-1.0';
  return headers;
}

function post(
  agent: Agent,
  base: string,
  path: string,
  options: { method?: string; headers: Record<string, string>; body: Buffer },
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        agent,
        method: options.method ?? 'POST',
        headers: { ...options.headers, 'content-length': String(options.body.length) },
      },
      (res) => {
        void readBody(res).then(
          (body) => resolve({ status: res.statusCode ?? 500, headers: res.headers, body }),
          reject,
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
