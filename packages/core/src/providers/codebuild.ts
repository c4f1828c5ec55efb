import * as z from 'zod';
import { BUILD_MAX_TIMEOUT_MINUTES } from './commands.ts';
import { booleanText, jsonText, text } from './config-schema.ts';
import type { ProviderSpec } from './provider-spec.ts';

const ENV_TYPES = ['PLAINTEXT', 'PARAMETER_STORE', 'SECRETS_MANAGER'];

function checkEnvironmentVariables(value: unknown): string | undefined {
  const hint = 'must be a JSON array of {"name", "value", "type"?} objects with string names and values';
  if (!Array.isArray(value)) return hint;
  for (const item of value) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return hint;
    const { name, value: v, type } = item as Record<string, unknown>;
    if (typeof name !== 'string' || name === '' || typeof v !== 'string') return hint;
    if (type !== undefined && (typeof type !== 'string' || !ENV_TYPES.includes(type)))
      return `must give each variable a type of PLAINTEXT, PARAMETER_STORE or SECRETS_MANAGER; "${name}" has ${JSON.stringify(type)}`;
  }
  return undefined;
}

const shape = {
  ProjectName: text(),
  PrimarySource: text().optional(),
  BatchEnabled: booleanText().optional(),
  CombineArtifacts: booleanText().optional(),
  EnvironmentVariables: jsonText(
    'an array of {"name", "value", "type"?} objects',
    checkEnvironmentVariables,
  ).optional(),
  /** Pipewright: the buildspec to run locally, relative to the primary source (default `buildspec.yml`). */
  BuildspecPath: text().optional(),
};

/**
 * `CodeBuild` in the Build or Test category. In AWS it starts the CodeBuild project; locally
 * Pipewright runs the buildspec's phases from the primary input artifact (`BuildspecPath`,
 * default `buildspec.yml`: a Pipewright extension key). Exports any variables the buildspec
 * declares under `env.exported-variables`.
 *
 * @example
 * ```ts
 * codeBuildSpec('Build').outputVariables; // 'any'
 * ```
 */
export function codeBuildSpec(category: 'Build' | 'Test'): ProviderSpec {
  return {
    category,
    provider: 'CodeBuild',
    owners: ['AWS'],
    configuration: z.strictObject(shape),
    configurationKeys: Object.keys(shape),
    inputArtifacts: { min: 1, max: 5 },
    outputArtifacts: { min: 0, max: 5 },
    defaultTimeoutMinutes: 60,
    maxTimeoutMinutes: BUILD_MAX_TIMEOUT_MINUTES,
    outputVariables: 'any',
    extraFields: [],
    runsLocally: true,
    description: 'Runs a CodeBuild project (locally: the buildspec phases of the primary source).',
  };
}
