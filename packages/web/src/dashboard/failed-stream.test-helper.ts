/**
 * Test-only: the recorded stream `test/fixtures/streams/retried.json` cut just after its
 * `StageFailed` — an execution of the server or AWS whose failed stage waits for an operator
 * (status `Failed`, no `endedAt`): started 11:00:00, Build failed at 11:00:30.
 *
 * @example
 * ```ts
 * const view = failedWaitingView();
 * view.status; // 'Failed'
 * ```
 */
import { readFileSync } from 'node:fs';
import {
  type EventRecord,
  type ExecutionView,
  foldExecution,
  type Pipeline,
  parseStoredEvent,
} from '@pipewright/core';

const fixtures = new URL('../../../../test/fixtures/streams/', import.meta.url);
const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));

/** The cut stream's records (execution `e2` of pipeline `app`) and the pipeline. */
export function failedWaitingStream(): { pipeline: Pipeline; records: EventRecord[] } {
  const stream = readJson('retried.json') as { pipeline: string; events: EventRecord[] };
  const cut = stream.events.findIndex((e) => e.type === 'StageFailed');
  return { pipeline: readJson(stream.pipeline) as Pipeline, records: stream.events.slice(0, cut + 1) };
}

/** The cut stream, folded. */
export function failedWaitingView(): ExecutionView {
  const { pipeline, records } = failedWaitingStream();
  return foldExecution(
    records.map((r) => parseStoredEvent(r)),
    pipeline,
  );
}
