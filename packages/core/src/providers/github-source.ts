import * as z from 'zod';
import { booleanText, text } from './config-schema.ts';
import type { ProviderSpec } from './provider-spec.ts';

const shape = {
  Owner: text(),
  Repo: text(),
  Branch: text(),
  OAuthToken: text(),
  PollForSourceChanges: booleanText().optional(),
};

/**
 * `Source/GitHub` version 1 (owner ThirdParty, OAuth token). CodePipeline deprecates it in
 * favour of CodeStarSourceConnection; Pipewright accepts it so existing definitions load.
 *
 * @example
 * ```ts
 * GITHUB_SOURCE.owners; // ['ThirdParty']
 * ```
 */
export const GITHUB_SOURCE: ProviderSpec = {
  category: 'Source',
  provider: 'GitHub',
  owners: ['ThirdParty'],
  configuration: z.strictObject(shape),
  configurationKeys: Object.keys(shape),
  inputArtifacts: { min: 0, max: 0 },
  outputArtifacts: { min: 1, max: 1 },
  defaultTimeoutMinutes: 60,
  outputVariables: [
    'AuthorDate',
    'BranchName',
    'CommitId',
    'CommitMessage',
    'CommitterDate',
    'CommitUrl',
    'RepositoryName',
  ],
  extraFields: [],
  runsLocally: true,
  description: 'A GitHub repository branch via an OAuth token (GitHub version 1 action).',
};
