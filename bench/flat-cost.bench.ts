/**
 * Flat cost per gate, per trigger and per cold start, on DynamoDB Local (AWS's own emulator;
 * Java must be installed). For 0, 1,000 and 10,000 prior deliveries and executions of one
 * pipeline, a fresh table gets that history, and then one gate (a stage lock taken), one
 * trigger (a webhook delivery recorded and started) and one cold start (a fresh store records
 * the unchanged definition and reads it back, as a function's first invocation does) are
 * measured: the items DynamoDB returned to reads and the capacity it reports consumed
 * (`ReturnConsumedCapacity: TOTAL` on every request). The history is batch-written
 * (`BatchWriteItem`, as the table's items the engine writes: events, their id items, heads);
 * DynamoDB Local takes tens to hundreds of single writes a second here, so nothing of it goes
 * through one append per event. Prints one table; nothing asserts.
 */
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DynamoEventStore } from '@pipewright/aws';
import {
  type NewEventRecord,
  type Pipeline,
  pipelineStream,
  stageLockAcquired,
  stageLockReleased,
  triggerReceived,
  triggerStream,
} from '@pipewright/core';
import { pipelineDefinition, recordPipelineVersion, TriggerDispatcher } from '@pipewright/engine';
import { eventTableDefinition } from '../packages/aws/src/event-table.ts';
import {
  DYNAMODB_LOCAL_CREDENTIALS,
  startDynamoDbLocal,
} from '../packages/aws/src/testing/dynamodb-local.ts';
import { StageLocks } from '../packages/engine/src/stage-locks.ts';

const HISTORIES = [0, 1_000, 10_000];
const AT = '2026-12-01T00:00:00.000Z';
const PIPELINE: Pipeline = {
  name: 'web-app',
  executionMode: 'SUPERSEDED',
  pipelineType: 'V2',
  variables: [],
  triggers: [{ providerType: 'Schedule', schedule: { expression: 'rate(1 hour)' } }],
  stages: ['Source', 'Deploy'].map((name) => ({
    name,
    actions: [
      {
        name: `${name}Action`,
        actionTypeId: { category: 'Invoke', owner: 'AWS', provider: 'Lambda', version: '1' },
        runOrder: 1,
        configuration: { FunctionName: 'noop' },
        inputArtifacts: [],
        outputArtifacts: [],
      },
    ],
  })),
};

/** What the requests of one measured operation cost. */
interface Cost {
  requests: number;
  itemsRead: number;
  readUnits: number;
  writeUnits: number;
}

const cost: Cost = { requests: 0, itemsRead: 0, readUnits: 0, writeUnits: 0 };

/** Items a response returned to a read (GetItem, Query, BatchGetItem). */
function itemsIn(output: Record<string, unknown>): number {
  if ('Item' in output) return output.Item === undefined ? 0 : 1;
  if (Array.isArray(output.Items)) return output.Items.length;
  const responses = output.Responses as Record<string, unknown[]> | undefined;
  if (responses !== undefined && !Array.isArray(responses)) {
    return Object.values(responses).reduce((n, items) => n + items.length, 0);
  }
  return 0;
}

/** A client that asks every request for its consumed capacity and adds it to `cost`. */
function countingClient(endpoint: string): DynamoDBClient {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: DYNAMODB_LOCAL_CREDENTIALS,
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output = result.output as unknown as Record<string, unknown>;
      cost.requests += 1;
      cost.itemsRead += itemsIn(output);
      const consumed = output.ConsumedCapacity;
      for (const c of (Array.isArray(consumed) ? consumed : [consumed]) as
        | { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }[]
        | undefined[]) {
        if (c === undefined) continue;
        const read = c.ReadCapacityUnits ?? 0;
        const write = c.WriteCapacityUnits ?? 0;
        cost.readUnits += read;
        cost.writeUnits += write;
        // Some answers give only the total: reads count as read units, the rest as write units.
        if (read === 0 && write === 0) {
          if ('TransactItems' in input || 'Item' in input) cost.writeUnits += c.CapacityUnits ?? 0;
          else cost.readUnits += c.CapacityUnits ?? 0;
        }
      }
      return result;
    },
    { step: 'initialize', name: 'pipewrightBenchCapacity' },
  );
  return client;
}

/** The items of `events` appended to `stream` from `seq`, as the store writes them. */
function eventItems(
  stream: string,
  events: readonly NewEventRecord[],
  seq: number,
): Record<string, unknown>[] {
  return events.flatMap((e, i) => [
    {
      pk: stream,
      sk: seq + i,
      item: 'event',
      id: e.id,
      type: e.type,
      at: e.at,
      ...(e.actor ? { actor: JSON.stringify(e.actor) } : {}),
      data: JSON.stringify(e.data),
    },
    { pk: `id#${stream}#${e.id}`, sk: 0, item: 'event-id', stream, seq: seq + i },
  ]);
}

/** Writes `items` with BatchWriteItem, 25 a request, a few requests at once. */
async function batchWrite(client: DynamoDBClient, table: string, items: Record<string, unknown>[]) {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  const write = async (batch: Record<string, unknown>[]) => {
    let requests = batch.map((item) => ({ PutRequest: { Item: marshall(item) } }));
    while (requests.length > 0) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
      requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  };
  for (let i = 0; i < batches.length; i += 8) await Promise.all(batches.slice(i, i + 8).map(write));
}

/** `n` past deliveries (each started an execution) and `n` executions through both stages' locks. */
async function writeHistory(client: DynamoDBClient, table: string, n: number): Promise<void> {
  const triggers: NewEventRecord[] = [];
  const locks: NewEventRecord[] = [];
  for (let i = 0; i < n; i++) {
    const executionId = `past-${i}`;
    triggers.push(
      triggerReceived({
        pipelineName: PIPELINE.name,
        at: AT,
        triggerId: `delivery-${i}`,
        trigger: { triggerType: 'WebhookV2', triggerDetail: 'github:acme/web@refs/heads/main' },
        matched: true,
        reason: 'push to branch "main" matches git trigger 1',
        pipelineExecutionId: executionId,
      }),
    );
    for (const stageName of ['Source', 'Deploy']) {
      const ref = {
        pipelineName: PIPELINE.name,
        at: AT,
        stageName,
        pipelineExecutionId: executionId,
        stageAttempt: 0,
      };
      locks.push(stageLockAcquired(ref), stageLockReleased({ ...ref, reason: 'Succeeded' }));
    }
  }
  const head = (stream: string, version: number) => ({
    pk: stream,
    sk: 0,
    item: 'stream',
    version,
    kind: 'other',
    createdAt: AT,
  });
  const items = [
    ...eventItems(triggerStream(PIPELINE.name), triggers, 1),
    ...eventItems(pipelineStream(PIPELINE.name), locks, 1),
  ];
  if (n > 0)
    items.push(head(triggerStream(PIPELINE.name), triggers.length), {
      ...head(pipelineStream(PIPELINE.name), locks.length),
      kind: 'pipeline',
    });
  await batchWrite(client, table, items);
}

/** Runs `operation` and returns what its requests cost. */
async function measure(operation: () => Promise<unknown>): Promise<Cost> {
  Object.assign(cost, { requests: 0, itemsRead: 0, readUnits: 0, writeUnits: 0 });
  await operation();
  return { ...cost };
}

function row(history: number, what: string, c: Cost): string {
  return `| ${history.toLocaleString('en-US').padStart(6)} | ${what.padEnd(10)} | ${String(c.requests).padStart(8)} | ${String(c.itemsRead).padStart(10)} | ${c.readUnits.toFixed(1).padStart(9)} | ${c.writeUnits.toFixed(1).padStart(10)} |`;
}

const emulator = await startDynamoDbLocal();
const rows: string[] = [];
try {
  const setup = new DynamoDBClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: DYNAMODB_LOCAL_CREDENTIALS,
  });
  for (const history of HISTORIES) {
    const table = `flat-cost-${history}`;
    await setup.send(new CreateTableCommand(eventTableDefinition(table)));
    const started = performance.now();
    await writeHistory(setup, table, history);
    const written = performance.now() - started;
    const client = countingClient(emulator.endpoint);
    // The first append after an upgrade folds a stream without a snapshot once and stores one.
    const migrated = await measure(() =>
      recordPipelineVersion(new DynamoEventStore({ client, tableName: table }), PIPELINE, AT),
    );
    const store = new DynamoEventStore({ client, tableName: table });
    const locks = new StageLocks(store, () => AT);
    const gate = await measure(() =>
      locks.acquire(PIPELINE, { executionId: 'new-1', stageName: 'Source', stageAttempt: 0, startedAt: AT }),
    );
    const triggers = new TriggerDispatcher({
      store,
      pipelines: { get: () => PIPELINE },
      start: async () => undefined,
      newId: () => 'new-2',
    });
    const trigger = await measure(() =>
      triggers.deliver(PIPELINE.name, {
        kind: 'schedule',
        triggerId: `tick-${history}`,
        at: AT,
        expression: 'rate(1 hour)',
      }),
    );
    const cold = await measure(async () => {
      const fresh = new DynamoEventStore({ client, tableName: table });
      await recordPipelineVersion(fresh, PIPELINE, AT);
      await pipelineDefinition(fresh, PIPELINE.name);
    });
    rows.push(row(history, 'gate', gate), row(history, 'trigger', trigger), row(history, 'cold start', cold));
    console.log(
      `history ${history}: written in ${(written / 1000).toFixed(1)} s; the first append after it (a log without a snapshot) read ${migrated.itemsRead} items once`,
    );
    client.destroy();
  }
  setup.destroy();
} finally {
  await emulator.stop();
}
console.log('\n| history | operation | requests | items read | read units | write units |');
console.log('| ------: | --------- | -------: | ---------: | --------: | ---------: |');
for (const r of rows) console.log(r);
