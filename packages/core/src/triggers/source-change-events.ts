/**
 * Change detection of the AWS sources, as CodePipeline sets it up: a push of an ECR source's
 * tag ("ECR Image Action", `PUSH`, `SUCCESS`) and a new version of an S3 source's object
 * (S3's "Object Created" events, which the bucket sends once its EventBridge notifications are
 * on) start the pipeline. `pipewright plan`/`sst deploy` create one default-bus rule per source
 * action from {@link sourceChangeTriggers}; the trigger function matches the event again
 * (`decideTrigger`) and records the image digest or object version as the source revision.
 * An S3 source with `PollForSourceChanges` true is detected by the same events: Pipewright does
 * not poll. A source whose repository, tag, bucket or key holds a variable has no rule (the
 * value is only known at run time).
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

function s3Changes(action: Action): SourceChangeTrigger | undefined {
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
