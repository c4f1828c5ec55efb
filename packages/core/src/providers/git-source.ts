import * as z from 'zod';
import { booleanText, OUTPUT_ARTIFACT_FORMATS, oneOf, text } from './config-schema.ts';
import type { ProviderSpec } from './provider-spec.ts';

/** Output variables of git sources (CodeCommit's list; Pipewright's Git source exports the same). */
export const GIT_SOURCE_VARIABLES = [
  'AuthorDate',
  'BranchName',
  'CommitId',
  'CommitMessage',
  'CommitterDate',
  'RepositoryName',
] as const;

const shape = {
  /** A local path (`.`, `../repo`, `file:///…`) or any URL `git` can clone. */
  RepositoryUrl: text(),
  BranchName: text(),
  /** Pin the source to one commit instead of the branch head. */
  CommitId: text()
    .regex(/^([0-9a-f]{4,40}|.*#\{.*\}.*)$/i, 'must be a commit hash (4–40 hex digits)')
    .optional(),
  OutputArtifactFormat: oneOf(OUTPUT_ARTIFACT_FORMATS).optional(),
  /** Start the pipeline when the branch moves (local: polling; AWS: webhook). Default "true". */
  DetectChanges: booleanText().optional(),
};

/**
 * Pipewright's own git source (`Source/Git`, owner `AWS` or `Custom`): clones a local path
 * or any git URL at `BranchName` (or the pinned `CommitId`). Not a CodePipeline provider;
 * it exports the same variables as CodeCommit.
 *
 * @example
 * ```ts
 * GIT_SOURCE.configuration.safeParse({ RepositoryUrl: '.', BranchName: 'main' }).success; // true
 * ```
 */
export const GIT_SOURCE: ProviderSpec = {
  category: 'Source',
  provider: 'Git',
  owners: ['AWS', 'Custom'],
  configuration: z.strictObject(shape),
  configurationKeys: Object.keys(shape),
  inputArtifacts: { min: 0, max: 0 },
  outputArtifacts: { min: 1, max: 1 },
  defaultTimeoutMinutes: 60,
  outputVariables: GIT_SOURCE_VARIABLES,
  extraFields: [],
  runsLocally: true,
  description: 'Clones a local path or any git URL (Pipewright extension; same variables as CodeCommit).',
};
