/**
 * The policy of a pipeline's state machine role: invoke the two functions its definition
 * names, and deliver its execution logs to CloudWatch Logs.
 */
import type { Pipeline } from '../model/pipeline.ts';
import { type DeploymentNames, sharedResourceNames } from './deployment-names.ts';
import type { PolicyStatement } from './policy-statement.ts';

/**
 * The actions Step Functions needs to set up log delivery to CloudWatch Logs. These are
 * "vended logs" APIs that support no resource-level permissions, so AWS requires
 * `Resource: "*"` for them (Step Functions developer guide, "IAM policies for logging to
 * CloudWatch Logs"); they let the role configure delivery, not read or write any log.
 */
export const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

/**
 * The state machine role's statements for `pipeline`: `lambda:InvokeFunction` on exactly the
 * action-runner and stage-gate functions (every Task of the compiled definition invokes one
 * of them), and the log-delivery actions on `*` (see {@link LOG_DELIVERY_ACTIONS}). No X-Ray.
 *
 * @example
 * ```ts
 * pipelinePolicy(pipeline, names)[0];
 * // { Sid: 'InvokePipewrightFunctions', Effect: 'Allow', Action: ['lambda:InvokeFunction'],
 * //   Resource: ['arn:aws:lambda:eu-west-1:123456789012:function:pipewright-prod-action-runner',
 * //              'arn:aws:lambda:eu-west-1:123456789012:function:pipewright-prod-stage-gate'] }
 * ```
 */
export function pipelinePolicy<K>(_pipeline: Pipeline, names: DeploymentNames<K>): PolicyStatement<K>[] {
  // Every pipeline's definition invokes the same two functions; the pipeline is a parameter so
  // that a future per-pipeline grant (e.g. Task `Credentials`) has its input.
  const { functions } = sharedResourceNames(names);
  return [
    {
      Sid: 'InvokePipewrightFunctions',
      Effect: 'Allow',
      Action: ['lambda:InvokeFunction'],
      Resource: [functions.actionRunner.arn, functions.stageGate.arn],
    },
    { Sid: 'DeliverExecutionLogs', Effect: 'Allow', Action: [...LOG_DELIVERY_ACTIONS], Resource: ['*'] },
  ];
}
