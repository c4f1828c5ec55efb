/**
 * Lambda entry: the trigger function (EventBridge rules, Scheduler schedules, relayed webhooks).
 * Bundles the DynamoDB, Step Functions and S3 (polls of S3 sources) clients.
 *
 * @example
 * ```ts
 * // infra: new sst.aws.Function('Trigger', { handler: 'packages/aws/src/lambda/trigger.handler' })
 * ```
 */
import { S3Client } from '@aws-sdk/client-s3';
import { TriggerDispatcher } from '@pipewright/engine';
import { openDeployedRuntime } from './deployed-runtime.ts';
import { functionLogger, lambdaEntry, once } from './lambda-entry.ts';
import { observeSource } from './source-poll.ts';
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
  const s3 = new S3Client({ followRegionRedirects: true });
  return {
    dispatcher,
    async observe(pipeline: string, sourceAction: string, now: Date) {
      const definition = runtime.pipelines.get(pipeline);
      return definition === undefined ? undefined : observeSource(s3, definition, sourceAction, now);
    },
  };
});

/** The trigger function's handler (Lambda calls it; tests call the factories in `*-handler.ts`). @example `await handler(event, context)` */
export const handler = lambdaEntry(logger, triggerHandler(parts));
