/**
 * The shared parts of a deployed function, opened from its environment: DynamoDB for the log
 * and task tokens, Step Functions as the orchestrator, warnings to the function's logger.
 *
 * @example
 * ```ts
 * const parts = once(async () => {
 *   const { env, runtime } = await openDeployedRuntime(logger);
 *   return { engine: runtime.engine() };
 * });
 * ```
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { sfnOrchestrator } from './aws-orchestrator.ts';
import { type FunctionRuntime, openFunctionRuntime } from './function-runtime.ts';
import { type LambdaEnvironment, lambdaEnvironment } from './lambda-environment.ts';

/**
 * Reads the environment (PW6501 when incomplete) and opens the runtime.
 *
 * @example
 * ```ts
 * const { runtime } = await openDeployedRuntime(functionLogger('trigger'));
 * ```
 */
export async function openDeployedRuntime(
  logger: Pick<Logger, 'warn'>,
): Promise<{ env: LambdaEnvironment; runtime: FunctionRuntime }> {
  const env = lambdaEnvironment(process.env);
  const runtime = await openFunctionRuntime({
    env,
    dynamodb: new DynamoDBClient({}),
    orchestrator: sfnOrchestrator(new SFNClient({}), env),
    onWarning: (message) => logger.warn(message),
  });
  return { env, runtime };
}
