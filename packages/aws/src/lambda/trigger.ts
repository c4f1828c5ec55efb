/**
 * Lambda entry: the trigger function (EventBridge rules, Scheduler schedules, relayed webhooks).
 * Bundles the DynamoDB and Step Functions clients only.
 *
 * @example
 * ```ts
 * // infra: new sst.aws.Function('Trigger', { handler: 'packages/aws/src/lambda/trigger.handler' })
 * ```
 */
import { TriggerDispatcher } from '@pipewright/engine';
import { openDeployedRuntime } from './deployed-runtime.ts';
import { functionLogger, lambdaEntry, once } from './lambda-entry.ts';
import { triggerHandler } from './trigger-handler.ts';

const logger = functionLogger('trigger');

const parts = once(async () => {
  const { runtime } = await openDeployedRuntime(logger);
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
