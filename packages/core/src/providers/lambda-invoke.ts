import * as z from 'zod';
import { text } from './config-schema.ts';
import type { ProviderSpec } from './provider-spec.ts';

const shape = {
  /** AWS: the function name or ARN. Locally: resolved to a JS/TS module exporting `handler`. */
  FunctionName: text(),
  UserParameters: text().optional(),
};

/**
 * `Invoke/Lambda`. In AWS it invokes the function with CodePipeline's job event; locally
 * `FunctionName` is resolved to a module path (a module exporting `handler`; see the local
 * runtime's docs). Exports any variables the function returns as `outputVariables`.
 *
 * @example
 * ```ts
 * LAMBDA_INVOKE.defaultTimeoutMinutes; // 1440
 * ```
 */
export const LAMBDA_INVOKE: ProviderSpec = {
  category: 'Invoke',
  provider: 'Lambda',
  owners: ['AWS'],
  configuration: z.strictObject(shape),
  configurationKeys: Object.keys(shape),
  inputArtifacts: { min: 0, max: 5 },
  outputArtifacts: { min: 0, max: 5 },
  defaultTimeoutMinutes: 24 * 60,
  maxTimeoutMinutes: 24 * 60,
  outputVariables: 'any',
  extraFields: [],
  runsLocally: true,
  description: 'Invokes a Lambda function (locally: a JS/TS module handler).',
};
