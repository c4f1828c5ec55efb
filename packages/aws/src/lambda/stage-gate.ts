/**
 * Lambda entry: the stage gate (gate, leave, stage failure and finish tasks of every state
 * machine). Bundles the DynamoDB and Step Functions clients only.
 *
 * @example
 * ```ts
 * // infra: new sst.aws.Function('StageGate', { handler: 'packages/aws/src/lambda/stage-gate.handler' })
 * ```
 */
import { openDeployedRuntime } from './deployed-runtime.ts';
import { functionLogger, lambdaEntry, once } from './lambda-entry.ts';
import { stageGateHandler } from './task-handlers.ts';

const logger = functionLogger('stage-gate');

const parts = once(async () => {
  const { runtime } = await openDeployedRuntime(logger);
  return { engine: runtime.engine() };
});

/** The stage gate's handler (Lambda calls it; tests call the factories in `*-handler.ts`). @example `await handler(event, context)` */
export const handler = lambdaEntry(logger, stageGateHandler(parts));
