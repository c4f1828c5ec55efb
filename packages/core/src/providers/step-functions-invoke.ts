import * as z from 'zod';
import { oneOf, text } from './config-schema.ts';
import type { ProviderSpec } from './provider-spec.ts';

/** How `Input` is read: the JSON itself, or the path of a file in the input artifact. */
export const STEP_FUNCTIONS_INPUT_TYPES = ['Literal', 'FilePath'] as const;
/** CodePipeline's Step Functions timeout: 7 days. */
export const STEP_FUNCTIONS_TIMEOUT_MINUTES = 7 * 24 * 60;

const shape = {
  StateMachineArn: text(),
  ExecutionNamePrefix: text()
    .max(60, 'must be at most 60 characters: the execution name adds the execution id')
    .optional(),
  InputType: oneOf(STEP_FUNCTIONS_INPUT_TYPES).optional(),
  Input: text().optional(),
};

/**
 * `Invoke/StepFunctions`: starts an execution of `StateMachineArn` with `Input` (`InputType`
 * `Literal`, the default: the JSON text; `FilePath`: a file of the input artifact), named
 * `ExecutionNamePrefix` plus the action execution (so a redelivery starts nothing twice), and
 * waits up to 7 days. Its output becomes the output artifact (`output.json`); exports
 * `StateMachineArn` and `ExecutionArn`. AWS only.
 *
 * @example
 * ```ts
 * STEP_FUNCTIONS_INVOKE.configuration.safeParse({ StateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:release', InputType: 'Literal', Input: '{}' }).success; // true
 * ```
 */
export const STEP_FUNCTIONS_INVOKE: ProviderSpec = {
  category: 'Invoke',
  provider: 'StepFunctions',
  owners: ['AWS'],
  configuration: z.strictObject(shape).superRefine((config, ctx) => {
    if (config.InputType === 'FilePath' && config.Input === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['Input'],
        message: 'is required when InputType is FilePath: the path of the input file in the input artifact',
      });
  }),
  configurationKeys: Object.keys(shape),
  inputArtifacts: { min: 0, max: 1 },
  outputArtifacts: { min: 0, max: 1 },
  defaultTimeoutMinutes: STEP_FUNCTIONS_TIMEOUT_MINUTES,
  outputVariables: ['StateMachineArn', 'ExecutionArn'],
  extraFields: [],
  runsLocally: false,
  waitsByPolling: true,
  description: 'Runs an AWS Step Functions state machine (AWS only).',
};
