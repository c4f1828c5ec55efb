/**
 * The vocabulary of a notification target's `events` filter: `<level>.<state>` in lower case,
 * the level being `execution`, `stage` or `action` and the state CodePipeline's EventBridge
 * state (`execution.failed`, `action.abandoned`), plus `approval.requested`, and the wildcards
 * `*`, `execution.*`, `stage.*`, `action.*`. Without `events`, a target gets
 * {@link DEFAULT_NOTIFICATION_EVENTS}.
 *
 * @example
 * ```ts
 * matchesNotificationEvents(['execution.*'], 'execution.failed'); // true
 * notificationEventProblem('execution.fialed'); // 'unknown event "execution.fialed"; did you mean "execution.failed"? …'
 * ```
 */
import { didYouMean } from '../variables/did-you-mean.ts';

/** CodePipeline's EventBridge states of a pipeline execution. @example `PIPELINE_EXECUTION_STATES.includes('SUPERSEDED'); // true` */
export const PIPELINE_EXECUTION_STATES = [
  'STARTED',
  'SUCCEEDED',
  'FAILED',
  'STOPPING',
  'STOPPED',
  'SUPERSEDED',
  'RESUMED',
  'CANCELED',
] as const;
/** One of {@link PIPELINE_EXECUTION_STATES}. @example `'FAILED'` */
export type PipelineExecutionState = (typeof PIPELINE_EXECUTION_STATES)[number];

/** CodePipeline's EventBridge states of a stage execution (the pipeline's, less SUPERSEDED). @example `'RESUMED'` */
export const STAGE_EXECUTION_STATES = [
  'STARTED',
  'SUCCEEDED',
  'FAILED',
  'STOPPING',
  'STOPPED',
  'RESUMED',
  'CANCELED',
] as const;
/** One of {@link STAGE_EXECUTION_STATES}. @example `'SUCCEEDED'` */
export type StageExecutionState = (typeof STAGE_EXECUTION_STATES)[number];

/** CodePipeline's EventBridge states of an action execution. @example `ACTION_EXECUTION_STATES.includes('ABANDONED'); // true` */
export const ACTION_EXECUTION_STATES = ['STARTED', 'SUCCEEDED', 'FAILED', 'ABANDONED', 'CANCELED'] as const;
/** One of {@link ACTION_EXECUTION_STATES}. @example `'ABANDONED'` */
export type ActionExecutionState = (typeof ACTION_EXECUTION_STATES)[number];

const lower = <L extends string, S extends string>(level: L, states: readonly S[]) =>
  states.map((s) => `${level}.${s.toLowerCase()}` as `${L}.${Lowercase<S>}`);

/**
 * Every event a target can ask for, one per line of the state-change tables, plus the
 * approval request.
 *
 * @example
 * ```ts
 * NOTIFICATION_EVENTS.includes('approval.requested'); // true
 * ```
 */
export const NOTIFICATION_EVENTS = [
  ...lower('execution', PIPELINE_EXECUTION_STATES),
  ...lower('stage', STAGE_EXECUTION_STATES),
  ...lower('action', ACTION_EXECUTION_STATES),
  'approval.requested',
] as const;
/** One of {@link NOTIFICATION_EVENTS}. @example `'execution.failed'` */
export type NotificationEventName = (typeof NOTIFICATION_EVENTS)[number];

/** Wildcards of the `events` filter. @example `NOTIFICATION_EVENT_WILDCARDS.includes('stage.*'); // true` */
export const NOTIFICATION_EVENT_WILDCARDS = ['*', 'execution.*', 'stage.*', 'action.*'] as const;

/**
 * What a target without `events` gets: every execution state change and approval requests
 * (stage and action changes are asked for explicitly; they are many).
 *
 * @example
 * ```ts
 * matchesNotificationEvents(undefined, 'stage.failed'); // false
 * ```
 */
export const DEFAULT_NOTIFICATION_EVENTS: readonly string[] = ['execution.*', 'approval.requested'];

const KNOWN = new Set<string>([...NOTIFICATION_EVENTS, ...NOTIFICATION_EVENT_WILDCARDS]);

/**
 * Whether a target's `events` filter (undefined: the default) takes an event.
 *
 * @example
 * ```ts
 * matchesNotificationEvents(['action.failed', 'approval.requested'], 'action.failed'); // true
 * matchesNotificationEvents(['stage.*'], 'execution.started'); // false
 * ```
 */
export function matchesNotificationEvents(
  filter: readonly string[] | undefined,
  name: NotificationEventName,
): boolean {
  const level = name.slice(0, name.indexOf('.'));
  return (filter ?? DEFAULT_NOTIFICATION_EVENTS).some(
    (entry) => entry === '*' || entry === name || entry === `${level}.*`,
  );
}

/**
 * What is wrong with one entry of an `events` filter, or undefined when it is valid.
 *
 * @example
 * ```ts
 * notificationEventProblem('Pipeline.FAILED'); // 'unknown event "Pipeline.FAILED"; did you mean "execution.failed"? …'
 * notificationEventProblem('stage.*'); // undefined
 * ```
 */
export function notificationEventProblem(entry: string): string | undefined {
  if (KNOWN.has(entry)) return undefined;
  const candidates = [...NOTIFICATION_EVENTS, ...NOTIFICATION_EVENT_WILDCARDS];
  const suggestion = didYouMean(entry.toLowerCase().replace(/^pipeline\./, 'execution.'), candidates);
  const hint = suggestion === undefined ? '' : `did you mean "${suggestion}"? `;
  return `unknown event "${entry}"; ${hint}use <execution|stage|action>.<state> (e.g. execution.failed, action.started), approval.requested, or a wildcard (*, execution.*, stage.*, action.*)`;
}
