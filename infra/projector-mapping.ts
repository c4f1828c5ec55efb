/** The projector's event source mapping on the event table's stream. */
import type * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import type { Platform } from './platform.ts';
import type { Plan, SharedResources } from './shared-resources.ts';

/** How often a failing stream batch is delivered again before Lambda passes it over. */
export const PROJECTOR_MAX_RETRIES = 20;
/** How old a stream record may get before Lambda passes it over (6 h). */
export const PROJECTOR_MAX_RECORD_AGE_SECONDS = 6 * 3600;

/**
 * The projector's subscription to the table's stream: new event items only (`INSERT` of
 * `item = event`), oldest first, failed records reported per item; a batch that keeps failing
 * is passed over after {@link PROJECTOR_MAX_RETRIES} or {@link PROJECTOR_MAX_RECORD_AGE_SECONDS}
 * and its position sent to the failed-deliveries queue.
 *
 * @example
 * ```ts
 * projectorMapping(platform, plan, shared, failedDeliveries, Object.values(functions));
 * ```
 */
export function projectorMapping(
  platform: Platform,
  plan: Plan,
  shared: Pick<SharedResources, 'table'>,
  failedDeliveries: aws.sqs.Queue,
  dependsOn: pulumi.Input<pulumi.Resource>[],
): aws.lambda.EventSourceMapping {
  return new platform.aws.lambda.EventSourceMapping(
    'ProjectorSubscription',
    {
      eventSourceArn: shared.table.streamArn,
      functionName: plan.functions.projector.name,
      startingPosition: 'TRIM_HORIZON',
      batchSize: 100,
      maximumBatchingWindowInSeconds: 1,
      bisectBatchOnFunctionError: true,
      functionResponseTypes: ['ReportBatchItemFailures'],
      // A record that keeps failing would otherwise hold its shard until it expires (24 h):
      // after these, Lambda passes it over (the projector's log says which and why).
      maximumRetryAttempts: PROJECTOR_MAX_RETRIES,
      maximumRecordAgeInSeconds: PROJECTOR_MAX_RECORD_AGE_SECONDS,
      // …and sends the batch's position in the stream to the queue, to be replayed from there.
      destinationConfig: { onFailure: { destinationArn: failedDeliveries.arn } },
      filterCriteria: {
        filters: [
          {
            pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { NewImage: { item: { S: ['event'] } } },
            }),
          },
        ],
      },
    },
    { dependsOn },
  );
}
