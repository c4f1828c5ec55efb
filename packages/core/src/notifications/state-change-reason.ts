/**
 * @internal The reason a state change gives, from the Pipewright event that caused it.
 */
import type { ExecutionEvent } from '../events/event-catalog.ts';
import type { ExecutionView } from '../projections/execution-view.ts';

/** Why, in words, from the event that caused the change. */
export function reasonOf(
  event: ExecutionEvent,
  after: ExecutionView,
  level: 'pipeline' | 'stage' | 'action',
): string | undefined {
  switch (event.type) {
    case 'ExecutionFailed':
      return `${event.data.stageName === undefined ? '' : `in stage ${event.data.stageName}: `}${event.data.error.message}`;
    case 'StageFailed':
      return level === 'pipeline'
        ? `in stage ${event.data.stageName}: ${event.data.error.message}`
        : event.data.error.message;
    case 'ExecutionStopping':
      return event.data.reason;
    case 'ExecutionStopped':
      return event.data.reason ?? after.stopTrigger?.reason;
    case 'ExecutionSuperseded':
      return `superseded by execution ${event.data.supersededBy}`;
    case 'ExecutionCancelled':
      return event.data.reason;
    case 'StageRetried': {
      const by = event.actor === undefined ? '' : ` by ${event.actor.id}`;
      return `${event.data.automatic === true ? 'automatic ' : ''}retry of stage ${event.data.stageName} (${event.data.retryMode})${by}`;
    }
    case 'ActionAbandoned':
      return event.data.reason;
    default:
      return undefined;
  }
}
