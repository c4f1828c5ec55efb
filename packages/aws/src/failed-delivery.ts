/**
 * What a message of the failed-deliveries queue is, read from the shapes AWS writes there:
 * - a Lambda on-failure destination record of an **asynchronous invocation**
 *   (`requestContext.functionArn`, `requestPayload`: the event to deliver again);
 * - a Lambda on-failure destination record of a **DynamoDB stream batch**
 *   (`DDBStreamBatchInfo`: the stream, shard and sequence-number range, not the records);
 * - an EventBridge rule's or Scheduler schedule's **dead letter** (the event or input as the
 *   body; the target in the `TARGET_ARN` message attribute).
 */

/** One message of the queue, as SQS returns it (the fields read). @example `{ MessageId: 'm-1', ReceiptHandle: 'r-1', Body: '{…}' }` */
export interface QueueMessage {
  MessageId?: string;
  ReceiptHandle?: string;
  Body?: string;
  MessageAttributes?: Record<string, { StringValue?: string } | undefined>;
}

/** Where a stream batch lies in its shard. @example `{ streamArn, shardId: 'shardId-1', startSequenceNumber: '100', endSequenceNumber: '120' }` */
export interface StreamBatch {
  streamArn: string;
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
}

/** A message, read. @example `failedDelivery(message).kind // 'invoke'` */
export type FailedDelivery =
  | { kind: 'invoke'; functionName: string; payload: unknown }
  | { kind: 'stream'; functionName: string; batch: StreamBatch }
  | { kind: 'dead-letter'; functionName: string; payload: unknown; source: string }
  | { kind: 'unreadable'; reason: string };

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` → `<name>`. */
function functionNameOf(arn: unknown): string | undefined {
  if (typeof arn !== 'string') return undefined;
  const parts = arn.split(':');
  return parts[2] === 'lambda' && parts[5] === 'function' && parts[6] ? parts[6] : undefined;
}

function parse(body: string | undefined): unknown {
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function streamBatch(info: unknown): StreamBatch | undefined {
  if (info === null || typeof info !== 'object') return undefined;
  const b = info as Record<string, unknown>;
  const fields = [b.streamArn, b.shardId, b.startSequenceNumber, b.endSequenceNumber];
  if (!fields.every((f) => typeof f === 'string' && f !== '')) return undefined;
  return {
    streamArn: b.streamArn as string,
    shardId: b.shardId as string,
    startSequenceNumber: b.startSequenceNumber as string,
    endSequenceNumber: b.endSequenceNumber as string,
  };
}

/**
 * Reads one message of the failed-deliveries queue.
 *
 * @example
 * ```ts
 * failedDelivery({ Body: JSON.stringify({ requestContext: { functionArn: 'arn:aws:lambda:eu-west-1:1:function:pw-trigger:$LATEST' }, requestPayload: event }) });
 * // { kind: 'invoke', functionName: 'pw-trigger', payload: event }
 * ```
 */
export function failedDelivery(message: QueueMessage): FailedDelivery {
  const body = parse(message.Body);
  const target = message.MessageAttributes?.TARGET_ARN?.StringValue;
  if (target !== undefined) {
    const functionName = functionNameOf(target);
    if (functionName === undefined)
      return { kind: 'unreadable', reason: `its target ${target} is not a function` };
    const source =
      message.MessageAttributes?.RULE_ARN?.StringValue ??
      message.MessageAttributes?.SCHEDULE_ARN?.StringValue;
    return { kind: 'dead-letter', functionName, payload: body ?? message.Body, source: source ?? target };
  }
  if (body === null || typeof body !== 'object')
    return { kind: 'unreadable', reason: 'its body is not JSON' };
  const record = body as Record<string, unknown>;
  const context = record.requestContext as Record<string, unknown> | undefined;
  const functionName = functionNameOf(context?.functionArn);
  if (functionName === undefined) {
    return { kind: 'unreadable', reason: 'it is neither a Lambda destination record nor a dead letter' };
  }
  if ('DDBStreamBatchInfo' in record) {
    const batch = streamBatch(record.DDBStreamBatchInfo);
    return batch === undefined
      ? { kind: 'unreadable', reason: 'its DDBStreamBatchInfo lacks the stream, shard or sequence numbers' }
      : { kind: 'stream', functionName, batch };
  }
  if (!('requestPayload' in record))
    return { kind: 'unreadable', reason: 'its record has no requestPayload' };
  return { kind: 'invoke', functionName, payload: record.requestPayload };
}
