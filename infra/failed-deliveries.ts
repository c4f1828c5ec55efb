/**
 * The failed-deliveries queue: what the functions still fail on after Lambda's retries (2 for
 * asynchronous invocations, `PROJECTOR_MAX_RETRIES` for stream batches), and the events rules
 * and schedules cannot deliver (their dead-letter queue), kept 14 days instead of dropped; its
 * policy lets the stage's rules send to it, and an alarm says when it holds anything.
 * `pipewright replay-failed` redelivers what it holds (docs/aws.md, "Failed deliveries").
 */
import type * as aws from '@pulumi/aws';
import type { Platform } from './platform.ts';
import type { Plan } from './shared-resources.ts';

/** The queue's resources. @example `failedDeliveriesQueue(platform, plan).queue.arn` */
export interface FailedDeliveriesQueue {
  queue: aws.sqs.Queue;
  /** Lets the stage's EventBridge rules put their dead letters (declare rules after it). */
  policy: aws.sqs.QueuePolicy;
  /** In alarm while the queue holds anything. */
  alarm: aws.cloudwatch.MetricAlarm;
}

/**
 * Declares the queue of `plan.failedDeliveries`, its policy and its alarm.
 *
 * @example
 * ```ts
 * const { queue, policy } = failedDeliveriesQueue(platform, plan);
 * ```
 */
export function failedDeliveriesQueue(platform: Platform, plan: Plan): FailedDeliveriesQueue {
  const { aws } = platform;
  // What the functions still fail on after Lambda's retries (2 for asynchronous invocations,
  // PROJECTOR_MAX_RETRIES for stream batches), and events rules and schedules cannot deliver, are
  // kept 14 days in a queue instead of being dropped; an alarm says when it holds anything, and
  // `pipewright replay-failed` redelivers them (docs/aws.md).
  const queue = new aws.sqs.Queue('FailedDeliveries', {
    name: plan.failedDeliveries.name,
    messageRetentionSeconds: 14 * 86_400,
    sqsManagedSseEnabled: true,
  });
  const policy = new aws.sqs.QueuePolicy('FailedDeliveriesPolicy', {
    queueUrl: queue.url,
    policy: JSON.stringify(plan.failedDeliveries.policy),
  });
  const alarm = new aws.cloudwatch.MetricAlarm(
    'FailedDeliveriesAlarm',
    {
      name: plan.failedDeliveries.alarmName,
      alarmDescription: `Pipewright ${plan.app}/${plan.stage}: deliveries failed for good are waiting in ${plan.failedDeliveries.name}; look at them and run pipewright replay-failed --stage ${plan.stage}`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: plan.failedDeliveries.name },
      statistic: 'Maximum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    },
    { dependsOn: [queue] },
  );
  return { queue, policy, alarm };
}
