/**
 * Test support (not exported from the package): `TransactWriteItems` for `dynalite`, which
 * lacks it. Run while no other request reaches the server (the local DynamoDB runs every
 * write alone), the actions are applied one by one as single-item writes with their own
 * conditions — dynalite evaluates the expressions — and undone in reverse order when one
 * fails, so the transaction is all-or-nothing and nobody sees it half done. What differs from
 * DynamoDB: only the first failing condition is reported (later actions read `None`), there is
 * no `TransactionConflict` (requests never overlap), no idempotency token, and `ConditionCheck`
 * actions are refused.
 *
 * @example
 * ```ts
 * const reply = await transactWriteItems(JSON.parse(body), (target, payload) => callDynalite(target, payload));
 * ```
 */

/** One JSON call to the DynamoDB wire API (`target` e.g. `PutItem`). */
export type DynamoCall = (target: string, body: unknown) => Promise<{ status: number; body: WireObject }>;

/** A JSON object of the wire protocol. */
export type WireObject = Record<string, unknown>;

/** The HTTP status and body to answer a `TransactWriteItems` request with. */
export interface WireReply {
  status: number;
  body: WireObject;
}

const MAX_ACTIONS = 100;
const ACTIONS = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem' } as const;
type ActionName = keyof typeof ACTIONS;

interface Undo {
  table: string;
  key: WireObject;
  old: WireObject | undefined;
}

/**
 * Applies a `TransactWriteItems` request (wire JSON) through single-item calls. `keySchemas`
 * caches each table's key attribute names across calls.
 *
 * @example
 * ```ts
 * const { status, body } = await transactWriteItems({ TransactItems: [{ Put: { TableName: 't', Item } }] }, call);
 * ```
 */
export async function transactWriteItems(
  request: WireObject,
  call: DynamoCall,
  keySchemas: Map<string, string[]> = new Map(),
): Promise<WireReply> {
  const actions = Array.isArray(request.TransactItems) ? (request.TransactItems as WireObject[]) : [];
  if (actions.length < 1 || actions.length > MAX_ACTIONS) {
    return validation(
      `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length between 1 and ${MAX_ACTIONS} (got ${actions.length})`,
    );
  }
  const planned: { name: ActionName; spec: WireObject; table: string; key: WireObject }[] = [];
  const targeted = new Set<string>();
  for (const action of actions) {
    const name = Object.keys(action)[0];
    if (name === 'ConditionCheck') return validation('ConditionCheck is not emulated by the local DynamoDB');
    if (name !== 'Put' && name !== 'Update' && name !== 'Delete') {
      return validation(`unknown transaction action ${String(name)}`);
    }
    const spec = action[name] as WireObject;
    const table = String(spec.TableName);
    const key =
      name === 'Put'
        ? await keyOf(table, spec.Item as WireObject, call, keySchemas)
        : (spec.Key as WireObject);
    const id = JSON.stringify([table, key]);
    if (targeted.has(id)) {
      return validation('Transaction request cannot include multiple operations on one item');
    }
    targeted.add(id);
    planned.push({ name, spec, table, key });
  }
  const done: Undo[] = [];
  for (const [index, action] of planned.entries()) {
    const { ReturnValuesOnConditionCheckFailure: _, ...spec } = action.spec;
    const reply = await call(ACTIONS[action.name], { ...spec, ReturnValues: 'ALL_OLD' });
    if (reply.status === 200) {
      done.push({
        table: action.table,
        key: action.key,
        old: reply.body.Attributes as WireObject | undefined,
      });
      continue;
    }
    await undo(done, call);
    if (!String(reply.body.__type).endsWith('#ConditionalCheckFailedException')) return reply;
    const reasons = planned.map((_, i) =>
      i === index
        ? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }
        : { Code: 'None' },
    );
    return {
      status: 400,
      body: {
        __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
        message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
        CancellationReasons: reasons,
      },
    };
  }
  return { status: 200, body: {} };
}

async function keyOf(
  table: string,
  item: WireObject,
  call: DynamoCall,
  keySchemas: Map<string, string[]>,
): Promise<WireObject> {
  let names = keySchemas.get(table);
  if (!names) {
    const described = await call('DescribeTable', { TableName: table });
    const schema = (described.body.Table as { KeySchema?: { AttributeName: string }[] } | undefined)
      ?.KeySchema;
    names = (schema ?? []).map((k) => k.AttributeName);
    keySchemas.set(table, names);
  }
  return Object.fromEntries(names.map((n) => [n, item[n]]));
}

async function undo(done: Undo[], call: DynamoCall): Promise<void> {
  for (const step of done.reverse()) {
    const reply = step.old
      ? await call('PutItem', { TableName: step.table, Item: step.old })
      : await call('DeleteItem', { TableName: step.table, Key: step.key });
    if (reply.status !== 200)
      throw new Error(`local DynamoDB: cannot undo a transaction step: ${JSON.stringify(reply.body)}`);
  }
}

function validation(message: string): WireReply {
  return { status: 400, body: { __type: 'com.amazon.coral.validate#ValidationException', message } };
}
