/**
 * Reading an execution back from the event log: its events, and its view folded against the
 * definition version it ran. `pipewright show`, `events` and the server all read this way, so
 * what they print is exactly the fold of the log.
 *
 * @example
 * ```ts
 * const { view, events } = await readExecution(store, '7f0c');
 * view.status; // 'Succeeded'
 * ```
 */
import {
  type EventRecord,
  type EventStore,
  type ExecutionView,
  executionStream,
  foldExecution,
  type Pipeline,
  parseStoredEvent,
  type StoredEvent,
} from '@pipewright/core';
import { UnknownExecutionError } from './errors.ts';
import { pipelineDefinition } from './pipeline-versions.ts';

/** An execution as read from the log. */
export interface ExecutionRead {
  records: EventRecord[];
  events: StoredEvent[];
  view: ExecutionView;
  /** The definition version the execution ran, when the pipeline stream holds it. */
  pipeline?: Pipeline;
}

/**
 * Reads and folds an execution. Throws `UnknownExecutionError` when the log has no such
 * execution.
 *
 * @example
 * ```ts
 * const { view } = await readExecution(store, executionId);
 * ```
 */
export async function readExecution(store: EventStore, executionId: string): Promise<ExecutionRead> {
  const records = await store.read(executionStream(executionId));
  const first = records[0];
  if (first === undefined) throw new UnknownExecutionError(executionId);
  const events = records.map((r) => parseStoredEvent(r));
  const data = first.data as { pipelineName?: unknown; pipelineVersion?: unknown };
  const pipeline =
    typeof data.pipelineName === 'string'
      ? await pipelineDefinition(
          store,
          data.pipelineName,
          typeof data.pipelineVersion === 'number' ? data.pipelineVersion : undefined,
        )
      : undefined;
  const view = foldExecution(events, pipeline);
  return pipeline === undefined ? { records, events, view } : { records, events, view, pipeline };
}
