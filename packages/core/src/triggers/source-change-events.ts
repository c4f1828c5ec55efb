/**
 * Change detection of the AWS sources, as CodePipeline sets it up: a push of an ECR source's
 * tag ("ECR Image Action", `PUSH`, `SUCCESS`) and a new version of an S3 source's object
 * (S3's "Object Created" events, which the bucket sends once its EventBridge notifications are
 * on) start the pipeline. `pipewright plan`/`sst deploy` create one default-bus rule per source
 * action from {@link sourceChangeTriggers}; the trigger function matches the event again
 * (`decideTrigger`) and records the image digest or object version as the source revision.
 * An S3 source is detected by its events only with `PollForSourceChanges: false`; otherwise
 * (CodePipeline's default) it is polled ({@link sourcePolls}): a schedule asks S3 for the
 * object's version every minute and each new version id starts the pipeline once
 * ({@link polledSourceEvent}). A source whose repository, tag, bucket or key holds a variable has
 * no rule and is not polled (the value is only known at run time).
 */
import type { Action, Pipeline } from '../model/pipeline.ts';
import { fixedValue } from './git-trigger-sources.ts';

/**
 * How changes of one source action arrive.
 *
 * @example
 * ```ts
 * const change: SourceChangeTrigger = { actionName: 'Image', label: 'image pushes of source action "Image"',
 *   eventPattern: { source: ['aws.ecr'], 'detail-type': ['ECR Image Action'], detail: { … } } };
 * ```
 */
export interface SourceChangeTrigger {
  actionName: string;
  eventPattern: Record<string, unknown>;
  /** For reasons: `image pushes of source action "Image"`. */
  label: string;
  /** The revision an event that matches names (image digest, object version id). */
  revisionOf(event: unknown): string | undefined;
}

function ecrChanges(action: Action): SourceChangeTrigger | undefined {
  const repository = fixedValue(action.configuration.RepositoryName);
  const tag =
    action.configuration.ImageTag === undefined ? 'latest' : fixedValue(action.configuration.ImageTag);
  if (repository === undefined || tag === undefined) return undefined;
  return {
    actionName: action.name,
    label: `pushes of ${repository}:${tag} (source action "${action.name}")`,
    eventPattern: {
      source: ['aws.ecr'],
      'detail-type': ['ECR Image Action'],
      detail: {
        'action-type': ['PUSH'],
        result: ['SUCCESS'],
        'repository-name': [repository],
        'image-tag': [tag],
      },
    },
    revisionOf: (event) => detailText(event, ['image-digest']),
  };
}

/** An S3 source CodePipeline polls: `PollForSourceChanges` absent (its default) or true. */
function isPolled(action: Action): boolean {
  return action.configuration.PollForSourceChanges?.trim().toLowerCase() !== 'false';
}

function s3Changes(action: Action): SourceChangeTrigger | undefined {
  if (isPolled(action)) return undefined;
  const bucket = fixedValue(action.configuration.S3Bucket);
  const key = fixedValue(action.configuration.S3ObjectKey);
  if (bucket === undefined || key === undefined) return undefined;
  return {
    actionName: action.name,
    label: `new versions of s3://${bucket}/${key} (source action "${action.name}")`,
    eventPattern: {
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [bucket] }, object: { key: [key] } },
    },
    revisionOf: (event) => detailText(event, ['object', 'version-id']),
  };
}

function detailText(event: unknown, path: readonly string[]): string | undefined {
  let value: unknown = (event as { detail?: unknown } | null)?.detail;
  for (const key of path) value = (value as Record<string, unknown> | null | undefined)?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The change detection of the pipeline's ECR and S3 source actions, in pipeline order.
 *
 * @example
 * ```ts
 * sourceChangeTriggers(pipeline).map((c) => c.label); // ['pushes of team/web:release (source action "Image")']
 * ```
 */
export function sourceChangeTriggers(pipeline: Pipeline): SourceChangeTrigger[] {
  const out: SourceChangeTrigger[] = [];
  for (const stage of pipeline.stages) {
    for (const action of stage.actions) {
      const { category, provider } = action.actionTypeId;
      if (category !== 'Source') continue;
      const change =
        provider === 'ECR' ? ecrChanges(action) : provider === 'S3' ? s3Changes(action) : undefined;
      if (change !== undefined) out.push(change);
    }
  }
  return out;
}

/** `source` of the events a poll of an S3 source makes (not an AWS event: applications may not use `aws.`). @example `event.source === POLL_SOURCE` */
export const POLL_SOURCE = 'pipewright.poll';
/** `detail-type` of those events. @example `event['detail-type'] === POLL_DETAIL_TYPE` */
export const POLL_DETAIL_TYPE = 'Source Version Observed';

/**
 * An S3 source Pipewright polls.
 *
 * @example
 * ```ts
 * const poll: SourcePoll = { actionName: 'Bundle', bucket: 'acme-releases', key: 'web/app.zip' };
 * ```
 */
export interface SourcePoll {
  actionName: string;
  bucket: string;
  key: string;
}

/**
 * The S3 source actions of `pipeline` that are polled (`PollForSourceChanges` absent or true).
 *
 * @example
 * ```ts
 * sourcePolls(pipeline); // [{ actionName: 'Bundle', bucket: 'acme-releases', key: 'web/app.zip' }]
 * ```
 */
export function sourcePolls(pipeline: Pipeline): SourcePoll[] {
  const out: SourcePoll[] = [];
  for (const stage of pipeline.stages) {
    for (const action of stage.actions) {
      const { category, provider } = action.actionTypeId;
      if (category !== 'Source' || provider !== 'S3' || !isPolled(action)) continue;
      const bucket = fixedValue(action.configuration.S3Bucket);
      const key = fixedValue(action.configuration.S3ObjectKey);
      if (bucket !== undefined && key !== undefined) out.push({ actionName: action.name, bucket, key });
    }
  }
  return out;
}

/**
 * The event a poll that saw `versionId` makes. Its id names the pipeline, the action and the
 * version, so the trigger dispatcher (one trigger per delivery id) starts one execution per new
 * version however often the same version is seen.
 *
 * @example
 * ```ts
 * polledSourceEvent('web', poll, 'v-7', '2026-12-04T10:00:00Z').id; // 'poll:web:Bundle:v-7'
 * ```
 */
export function polledSourceEvent(pipeline: string, poll: SourcePoll, versionId: string, at: string) {
  return {
    id: `poll:${pipeline}:${poll.actionName}:${versionId}`,
    source: POLL_SOURCE,
    'detail-type': POLL_DETAIL_TYPE,
    time: at,
    detail: { action: poll.actionName, bucket: poll.bucket, key: poll.key, 'version-id': versionId },
  };
}
