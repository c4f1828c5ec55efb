/**
 * The Step Functions orchestrator of the deployed functions: state machines by pipeline from
 * `STATE_MACHINE_ARNS`, an execution's pipeline found through the event table.
 *
 * @example
 * ```ts
 * const runtime = await openFunctionRuntime({ env, dynamodb, orchestrator: sfnOrchestrator(new SFNClient({}), env) });
 * ```
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoEventStore } from '../dynamo-event-store.ts';
import { AwsAdapterError } from '../errors.ts';
import { SfnOrchestrator } from '../sfn-orchestrator.ts';
import type { LambdaEnvironment } from './lambda-environment.ts';

/**
 * A factory of the orchestrator over the runtime's store.
 *
 * @example
 * ```ts
 * sfnOrchestrator(client, { stateMachineArns: { 'web-app': 'arn:aws:states:…' } })(store);
 * ```
 */
export function sfnOrchestrator(
  client: SFNClient,
  env: Pick<LambdaEnvironment, 'stateMachineArns'>,
): (store: DynamoEventStore) => SfnOrchestrator {
  return (store) =>
    new SfnOrchestrator({
      client,
      stateMachineArn(pipeline) {
        const arn = env.stateMachineArns[pipeline];
        if (arn === undefined)
          throw new AwsAdapterError(
            'PW6501',
            `no state machine is deployed for pipeline ${pipeline}: add its file to pipelines/ and run sst deploy`,
            { path: ['STATE_MACHINE_ARNS', pipeline] },
          );
        return arn;
      },
      pipelineOf: async (executionId) => (await store.findExecution(executionId))?.pipeline,
    });
}
