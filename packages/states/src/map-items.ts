/**
 * What a Map iterates over and how: the items (`Items` in JSONata, `ItemsPath` in JSONPath, or
 * an `ItemReader` handler), the input of each iteration (`ItemSelector`, or JSONPath's
 * deprecated `Parameters`, with `Map.Item.Index`/`Map.Item.Value` in the context), the batches
 * of an `ItemBatcher`, and the limits (`MaxConcurrency`, `ToleratedFailurePercentage`,
 * `ToleratedFailureCount`, each also as JSONata or a `…Path`).
 *
 * @example
 * ```ts
 * batchItems([1, 2, 3], { MaxItemsPerBatch: 2 }, undefined); // [{ Items: [1, 2] }, { Items: [3] }]
 * ```
 */
import type { StateDefinition } from './definition.ts';
import { StatesError } from './errors.ts';
import { applyTemplate, readPath } from './jsonpath-io.ts';
import { intrinsicEnv } from './jsonpath-state.ts';
import type { RunContext, Thread } from './run-context.ts';
import { evaluateField } from './state-io.ts';

/** The evaluation setting of one Map attempt. */
export interface MapScope {
  ctx: RunContext;
  thread: Thread;
  name: string;
  site: string;
  state: StateDefinition;
  jsonata: boolean;
  /** JSONata: the state input; JSONPath: the input after InputPath. */
  input: unknown;
  context: Record<string, unknown>;
  variables: Record<string, unknown>;
}

/** Evaluates a JSONata field or reads a JSONPath `…Path` (missing: States.Runtime). */
async function value(s: MapScope, field: string, fallback: unknown): Promise<unknown> {
  const state = s.state as unknown as Record<string, unknown>;
  const path = state[`${field}Path`];
  if (!s.jsonata && typeof path === 'string') {
    return readPath(
      path,
      { input: s.input, context: s.context, variables: s.variables },
      s.name,
      `${field}Path`,
    );
  }
  const v = state[field];
  if (v === undefined) return fallback;
  // JSONata: literals come back as they are; templates anywhere inside are evaluated.
  if (s.jsonata)
    return evaluateField(
      s.ctx,
      s.thread,
      s.site,
      v,
      { states: { input: s.input, context: s.context }, variables: s.variables },
      field,
      s.name,
    );
  return v;
}

/** The items: an ItemReader handler's answer, `Items`, `ItemsPath`, or the (effective) input. */
export async function readItems(s: MapScope): Promise<unknown[]> {
  let items: unknown;
  const reader = s.state.ItemReader;
  if (reader) items = await callHandler(s, reader, 'States.ItemReaderFailed', {});
  else if (s.jsonata) items = await value(s, 'Items', s.input);
  else items = s.state.ItemsPath === undefined ? s.input : await value(s, 'Items', undefined);
  if (!Array.isArray(items)) {
    const field = s.jsonata ? 'Items' : 'ItemsPath';
    throw new StatesError(
      s.jsonata ? 'States.QueryEvaluationError' : 'States.Runtime',
      `An error occurred while executing the state '${s.name}'. The field '${field}' must be an array, got ${JSON.stringify(items ?? null)}`,
    );
  }
  return items;
}

/** Calls the handler registered under an ItemReader's or ResultWriter's Resource. */
export async function callHandler(
  s: MapScope,
  spec: Record<string, unknown>,
  error: string,
  extra: Record<string, unknown>,
): Promise<unknown> {
  const resource = String(spec.Resource);
  const handler = s.ctx.handlers.get(resource);
  if (!handler)
    throw new StatesError(
      error,
      `No handler is registered for ${resource}; register one with registerHandler('${resource}', handler)`,
    );
  const args = s.jsonata
    ? await evaluateField(
        s.ctx,
        s.thread,
        s.site,
        spec.Arguments ?? {},
        { states: { input: s.input, context: s.context }, variables: s.variables },
        'Arguments',
        s.name,
      )
    : applyTemplate(
        spec.Parameters ?? {},
        { input: s.input, context: s.context, variables: s.variables },
        intrinsicEnv(s.ctx),
        'Parameters',
        s.name,
      );
  const payload = {
    ...(args as object),
    ...(spec.ReaderConfig ? { ReaderConfig: spec.ReaderConfig } : {}),
    ...(spec.WriterConfig ? { WriterConfig: spec.WriterConfig } : {}),
    ...extra,
  };
  try {
    return await handler(payload, {
      functionName: resource,
      executionArn: s.ctx.facts.executionArn,
      stateName: s.name,
      retryCount: 0,
    });
  } catch (e) {
    throw new StatesError(error, (e as Error)?.message ?? String(e));
  }
}

/** The input of one iteration: the ItemSelector (or JSONPath Parameters) with `Map.Item` in the context. */
export async function itemInput(s: MapScope, item: unknown, index: number): Promise<unknown> {
  const selector = s.state.ItemSelector ?? (s.jsonata ? undefined : s.state.Parameters);
  if (selector === undefined) return item;
  const context = { ...s.context, Map: { Item: { Index: index, Value: item } } };
  if (s.jsonata) {
    return evaluateField(
      s.ctx,
      s.thread,
      s.site,
      selector,
      { states: { input: s.input, context }, variables: s.variables },
      'ItemSelector',
      s.name,
    );
  }
  return applyTemplate(
    selector,
    { input: s.input, context, variables: s.variables },
    intrinsicEnv(s.ctx),
    'ItemSelector',
    s.name,
  );
}

/** Groups iteration inputs as an ItemBatcher does: `{ ...BatchInput, Items: [...] }`. */
export function batchItems(
  inputs: unknown[],
  batcher: { maxItems?: number; maxBytes?: number },
  batchInput: unknown,
): unknown[] {
  const batches: unknown[] = [];
  let current: unknown[] = [];
  let bytes = 0;
  const flush = () => {
    if (current.length > 0) batches.push({ ...(batchInput as object), Items: current });
    current = [];
    bytes = 0;
  };
  for (const item of inputs) {
    const size = Buffer.byteLength(JSON.stringify(item ?? null));
    if (current.length > 0 && batcher.maxBytes !== undefined && bytes + size > batcher.maxBytes) flush();
    current.push(item);
    bytes += size;
    if (batcher.maxItems !== undefined && current.length >= batcher.maxItems) flush();
  }
  flush();
  return batches;
}

/** The limits of one Map run. */
export interface MapLimits {
  /** 0: no limit. */
  maxConcurrency: number;
  /** Absent: not set (with neither set, no failure is tolerated). */
  toleratedPercentage?: number;
  toleratedCount?: number;
  batcher?: { maxItems?: number; maxBytes?: number; batchInput: unknown };
}

/** Evaluates MaxConcurrency, the tolerated failures and the ItemBatcher. */
export async function mapLimits(s: MapScope): Promise<MapLimits> {
  const num = async (field: string, check: (n: number) => boolean, fallback?: number) => {
    const n = await value(s, field, fallback);
    if (n === undefined) return undefined;
    if (typeof n !== 'number' || !check(n)) {
      throw new StatesError(
        s.jsonata ? 'States.QueryEvaluationError' : 'States.Runtime',
        `${field} of state '${s.name}' is not valid: ${JSON.stringify(n)}`,
      );
    }
    return n;
  };
  const limits: MapLimits = {
    maxConcurrency: (await num('MaxConcurrency', (n) => Number.isInteger(n) && n >= 0, 0)) ?? 0,
  };
  const percentage = await num('ToleratedFailurePercentage', (n) => n >= 0 && n <= 100);
  const count = await num('ToleratedFailureCount', (n) => Number.isInteger(n) && n >= 0);
  if (percentage !== undefined) limits.toleratedPercentage = percentage;
  if (count !== undefined) limits.toleratedCount = count;
  const b = s.state.ItemBatcher;
  if (b) {
    const sub: MapScope = { ...s, state: b as unknown as StateDefinition };
    const maxItems = await value(sub, 'MaxItemsPerBatch', undefined);
    const maxBytes = await value(sub, 'MaxInputBytesPerBatch', undefined);
    const batchInput =
      b.BatchInput === undefined
        ? {}
        : s.jsonata
          ? await value(sub, 'BatchInput', {})
          : applyTemplate(
              b.BatchInput,
              { input: s.input, context: s.context, variables: s.variables },
              intrinsicEnv(s.ctx),
              'ItemBatcher.BatchInput',
              s.name,
            );
    limits.batcher = {
      ...(typeof maxItems === 'number' ? { maxItems } : {}),
      ...(typeof maxBytes === 'number' ? { maxBytes } : {}),
      batchInput,
    };
  }
  return limits;
}
