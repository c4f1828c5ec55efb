/**
 * What a Task's `Resource` names, and how its history events are called:
 *
 * - `arn:aws:states:::lambda:invoke[.waitForTaskToken]`: the optimized Lambda integration
 *   (result: the invoke response), `Task*` events.
 * - `arn:aws:lambda:<region>:<account>:function:<name>[:<alias or version>]`: the function
 *   itself (result: its return value), `LambdaFunction*` events.
 * - `arn:aws:states:::<service>:<action>[.sync|.sync:2|.waitForTaskToken]` and
 *   `arn:aws:states:::aws-sdk:<service>:<action>[.waitForTaskToken]`: service integrations,
 *   dispatched to the handler registered under the resource, `Task*` events.
 * - `arn:aws:states:<region>:<account>:activity:<name>`: an activity, `Activity*` events.
 *
 * @example
 * ```ts
 * parseResource('arn:aws:states:::aws-sdk:s3:getObject'); // { kind: 'integration', service: 'aws-sdk:s3', action: 'getObject', pattern: 'request', … }
 * ```
 */

/** The integration pattern of a resource. */
export type IntegrationPattern = 'request' | 'sync' | 'token';

/** A parsed Task resource. */
export interface TaskResource {
  kind: 'lambda-invoke' | 'lambda-function' | 'integration' | 'activity';
  /** The ARN as written. */
  arn: string;
  /** History `resourceType` (e.g. `lambda`, `aws-sdk:s3`, `sqs`). */
  service: string;
  /** History `resource` (e.g. `invoke.waitForTaskToken`, `getObject`). */
  action: string;
  pattern: IntegrationPattern;
  /** The resource without its pattern suffix (handlers may be registered under it). */
  base: string;
  /** For `lambda-function`: the function name (no qualifier); for `activity`: the activity name. */
  name?: string;
}

/** The history event names of one kind of resource. */
export interface EventNames {
  scheduled: string;
  started: string;
  succeeded: string;
  failed: string;
  timedOut: string;
  /** The `…EventDetails` prefix, e.g. `task` or `lambdaFunction`. */
  details: string;
}

/** The `…EventDetails` field of an event type, e.g. `TaskScheduled` → `taskScheduledEventDetails`. */
export function detailsKey(type: string): string {
  let key = detailsKeys.get(type);
  if (key === undefined) {
    key = `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
    detailsKeys.set(type, key);
  }
  return key;
}
const detailsKeys = new Map<string, string>();

const TASK_EVENTS: EventNames = {
  scheduled: 'TaskScheduled',
  started: 'TaskStarted',
  succeeded: 'TaskSucceeded',
  failed: 'TaskFailed',
  timedOut: 'TaskTimedOut',
  details: 'task',
};
const LAMBDA_EVENTS: EventNames = {
  scheduled: 'LambdaFunctionScheduled',
  started: 'LambdaFunctionStarted',
  succeeded: 'LambdaFunctionSucceeded',
  failed: 'LambdaFunctionFailed',
  timedOut: 'LambdaFunctionTimedOut',
  details: 'lambdaFunction',
};
const ACTIVITY_EVENTS: EventNames = {
  scheduled: 'ActivityScheduled',
  started: 'ActivityStarted',
  succeeded: 'ActivitySucceeded',
  failed: 'ActivityFailed',
  timedOut: 'ActivityTimedOut',
  details: 'activity',
};

/** The event names of a resource. */
export function eventNames(resource: TaskResource): EventNames {
  if (resource.kind === 'lambda-function') return LAMBDA_EVENTS;
  if (resource.kind === 'activity') return ACTIVITY_EVENTS;
  return TASK_EVENTS;
}

const cache = new Map<string, TaskResource | undefined>();

/** Parses a Task resource ARN; `undefined` when it is none of the forms above. */
export function parseResource(arn: string): TaskResource | undefined {
  if (cache.has(arn)) return cache.get(arn);
  const parsed = parse(arn);
  cache.set(arn, parsed);
  return parsed;
}

function parse(arn: string): TaskResource | undefined {
  const fn = /^arn:aws[\w-]*:lambda:[^:]+:\d{12}:function:([A-Za-z0-9_-]{1,64})(?::([A-Za-z0-9_$-]+))?$/.exec(
    arn,
  );
  if (fn)
    return {
      kind: 'lambda-function',
      arn,
      service: 'lambda',
      action: 'invoke',
      pattern: 'request',
      base: arn,
      name: fn[1] as string,
    };
  const activity = /^arn:aws[\w-]*:states:[^:]+:\d{12}:activity:([A-Za-z0-9_-]{1,80})$/.exec(arn);
  if (activity)
    return {
      kind: 'activity',
      arn,
      service: 'activity',
      action: 'activity',
      pattern: 'request',
      base: arn,
      name: activity[1] as string,
    };
  const m =
    /^arn:aws[\w-]*:states:::(aws-sdk:[a-z0-9-]+|[a-z0-9-]+):([A-Za-z0-9]+)(\.sync(?::2)?|\.waitForTaskToken)?$/.exec(
      arn,
    );
  if (!m) return undefined;
  const service = m[1] as string;
  const suffix = m[3] ?? '';
  const pattern: IntegrationPattern = suffix.startsWith('.sync') ? 'sync' : suffix ? 'token' : 'request';
  const base = arn.slice(0, arn.length - suffix.length);
  const kind = service === 'lambda' && m[2] === 'invoke' ? 'lambda-invoke' : 'integration';
  if (kind === 'lambda-invoke' && pattern === 'sync') return undefined;
  if (service.startsWith('aws-sdk:') && pattern === 'sync') return undefined;
  return { kind, arn, service, action: `${m[2]}${suffix}`, pattern, base };
}

/** The error Step Functions reports for an SDK integration's unknown service exception, e.g. `S3.S3Exception`. */
export function serviceExceptionName(service: string): string {
  const bare = service.replace(/^aws-sdk:/, '');
  const pascal = bare.charAt(0).toUpperCase() + bare.slice(1);
  return `${pascal}.${pascal}Exception`;
}
