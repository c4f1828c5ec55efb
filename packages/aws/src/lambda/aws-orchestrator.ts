/**
 * The Step Functions orchestrator of the deployed functions: a pipeline's state machine ARN
 * derived from its name and the deployment (`stateMachineArnOf`), an execution's pipeline
 * found through the event table.
 *
 * @example
 * ```ts
 * const runtime = await openFunctionRuntime({ env, dynamodb, orchestrator: sfnOrchestrator(new SFNClient({}), env) });
 * ```
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoEventStore } from '../dynamo-event-store.ts';
import { SfnOrchestrator } from '../sfn-orchestrator.ts';
import { type LambdaEnvironment, stateMachineArnOf } from './lambda-environment.ts';

/**
 * A factory of the orchestrator over the runtime's store.
 *
 * @example
 * ```ts
 * sfnOrchestrator(client, { site: { app: 'pipewright', stage: 'prod', region: 'eu-west-1', accountId: '123456789012' } })(store);
 * ```
 */
export function sfnOrchestrator(
  client: SFNClient,
  env: Pick<LambdaEnvironment, 'site'>,
): (store: DynamoEventStore) => SfnOrchestrator {
  return (store) =>
    new SfnOrchestrator({
      client,
      // Derived, not looked up: a pipeline that is not deployed gets StateMachineDoesNotExist from Step Functions.
      stateMachineArn: (pipeline) => stateMachineArnOf(env, pipeline),
      pipelineOf: async (executionId) => (await store.findExecution(executionId))?.pipeline,
    });
}
