/** Who may send to the failed-deliveries queue besides the functions. */
import { arnOf, type DeploymentSite, resourceNamePrefix, sharedResourceNames } from './deployment-names.ts';

/**
 * The failed-deliveries queue's policy: the stage's EventBridge rules (on either bus) may put the
 * events they could not deliver there (their dead-letter queue). Lambda's destinations and
 * Scheduler's dead letters send with the functions' and the scheduler's roles instead.
 *
 * @example
 * ```ts
 * failedDeliveriesPolicy(site, 'arn:aws:sqs:eu-west-1:123456789012:pipewright-prod-failed-deliveries').Statement[0].Principal;
 * // { Service: 'events.amazonaws.com' }
 * ```
 */
export function failedDeliveriesPolicy(names: DeploymentSite, queueArn: string): Record<string, unknown> {
  const rules = resourceNamePrefix('eventRule', names.app, names.stage);
  const bus = sharedResourceNames(names).bus.name;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'RuleDeadLetters',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: {
          ArnLike: {
            'aws:SourceArn': [
              arnOf(names, 'events', `rule/${rules}*`),
              arnOf(names, 'events', `rule/${bus}/${rules}*`),
            ],
          },
        },
      },
    ],
  };
}
