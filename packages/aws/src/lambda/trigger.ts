/**
 * Lambda entry: the trigger function (EventBridge rules, Scheduler schedules, relayed webhooks).
 * Bundles the DynamoDB and Step Functions clients only.
 *
 * @example
 * ```ts
 * // infra: new sst.aws.Function('Trigger', { handler: 'packages/aws/src/lambda/trigger.handler' })
 * ```
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { TriggerDispatcher } from '@pipewright/engine';
import { sfnOrchestrator } from './aws-orchestrator.ts';
import { openFunctionRuntime } from './function-runtime.ts';
import { functionLogger, lambdaEntry, once } from './lambda-entry.ts';
import { lambdaEnvironment } from './lambda-environment.ts';
import { triggerHandler } from './trigger-handler.ts';

const logger = functionLogger('trigger');

const parts = once(async () => {
  const env = lambdaEnvironment(process.env);
  const runtime = await openFunctionRuntime({
    env,
    dynamodb: new DynamoDBClient({}),
    orchestrator: sfnOrchestrator(new SFNClient({}), env),
    onWarning: (message) => logger.warn(message),
  });
  const engine = runtime.engine();
  const dispatcher = new TriggerDispatcher({
    store: runtime.store,
    pipelines: { get: (name) => runtime.pipelines.get(name) },
    start: (request) => engine.start(request),
  });
  return { dispatcher };
});

/** The trigger function's handler (Lambda calls it; tests call the factories in `*-handler.ts`). @example `await handler(event, context)` */
export const handler = lambdaEntry(logger, triggerHandler(parts));
