import * as z from 'zod';
import { booleanText, OUTPUT_ARTIFACT_FORMATS, oneOf, text } from './config-schema.ts';
import { GIT_SOURCE_VARIABLES } from './git-source.ts';
import type { ProviderSpec } from './provider-spec.ts';

const shape = {
  RepositoryName: text(),
  BranchName: text(),
  PollForSourceChanges: booleanText().optional(),
  OutputArtifactFormat: oneOf(OUTPUT_ARTIFACT_FORMATS).optional(),
};

/**
 * `Source/CodeCommit` (owner AWS), as CodePipeline's action reference documents it.
 *
 * @example
 * ```ts
 * CODECOMMIT_SOURCE.configuration.safeParse({ RepositoryName: 'app', BranchName: 'main' }).success; // true
 * ```
 */
export const CODECOMMIT_SOURCE: ProviderSpec = {
  category: 'Source',
  provider: 'CodeCommit',
  owners: ['AWS'],
  configuration: z.strictObject(shape),
  configurationKeys: Object.keys(shape),
  inputArtifacts: { min: 0, max: 0 },
  outputArtifacts: { min: 1, max: 1 },
  defaultTimeoutMinutes: 60,
  outputVariables: GIT_SOURCE_VARIABLES,
  extraFields: [],
  runsLocally: true,
  description: 'An AWS CodeCommit repository branch.',
};
