/**
 * Lambda entry: the stage gate (gate, leave, stage failure and finish tasks of every state
 * machine). Bundles the DynamoDB and Step Functions clients only.
 *
 * @example
 * ```ts
 * // infra: new sst.aws.Function('StageGate', { handler: 'packages/aws/src/lambda/stage-gate.handler' })
 * ```
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { sfnOrchestrator } from './aws-orchestrator.ts';
import { openFunctionRuntime } from './function-runtime.ts';
import { functionLogger, lambdaEntry, once } from './lambda-entry.ts';
import { lambdaEnvironment } from './lambda-environment.ts';
import { stageGateHandler } from './task-handlers.ts';

const logger = functionLogger('stage-gate');

const parts = once(async () => {
  const env = lambdaEnvironment(process.env);
  const runtime = await openFunctionRuntime({
    env,
    dynamodb: new DynamoDBClient({}),
    orchestrator: sfnOrchestrator(new SFNClient({}), env),
    onWarning: (message) => logger.warn(message),
  });
  return { engine: runtime.engine() };
});

/** The stage gate's handler (Lambda calls it; tests call the factories in `*-handler.ts`). @example `await handler(event, context)` */
export const handler = lambdaEntry(logger, stageGateHandler(parts));
