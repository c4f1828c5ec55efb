import * as z from 'zod';
import type { ActionCategory } from '../model/pipeline.ts';
import type { ProviderSpec } from './provider-spec.ts';

/** The categories in which Pipewright accepts the Commands provider (CodePipeline: Compute). */
export const COMMANDS_CATEGORIES = ['Build', 'Test', 'Compute'] as const satisfies readonly ActionCategory[];

/** Upper bound of `timeoutInMinutes` on Commands and CodeBuild: CodeBuild's longest build, 36 hours. */
export const BUILD_MAX_TIMEOUT_MINUTES = 2160;

/**
 * `Commands` in one category: shell commands (`action.commands`, 1–50 × ≤1000 chars) run in a
 * workspace holding the input artifacts. No configuration keys; the variables it exports are
 * exactly the action's declared `outputVariables`.
 *
 * @example
 * ```ts
 * commandsSpec('Test').category; // 'Test'
 * ```
 */
export function commandsSpec(category: (typeof COMMANDS_CATEGORIES)[number]): ProviderSpec {
  return {
    category,
    provider: 'Commands',
    owners: ['AWS'],
    configuration: z.strictObject({}),
    configurationKeys: [],
    inputArtifacts: { min: 1, max: 10 },
    outputArtifacts: { min: 0, max: 1 },
    defaultTimeoutMinutes: 60,
    maxTimeoutMinutes: BUILD_MAX_TIMEOUT_MINUTES,
    outputVariables: [],
    extraFields: ['commands', 'outputVariables', 'environmentVariables'],
    runsLocally: true,
    description:
      'Runs shell commands in a workspace holding the input artifacts (CodePipeline Commands action).',
  };
}
