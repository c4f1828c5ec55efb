/**
 * SST / Pulumi resources only: all logic lives in `packages/*` (DESIGN.md §2).
 *
 * The resources themselves (one state machine per pipeline from `compilePipeline`, the
 * DynamoDB event table with its stream, the EventBridge bus and rules, Scheduler schedules,
 * SNS approval topics, the KMS-encrypted artifact bucket, the Lambda functions and one URL)
 * come with the AWS runtime. Until then this deploys nothing.
 */
export function deploy(): Record<string, never> {
  return {};
}
