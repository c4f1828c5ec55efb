import * as z from 'zod';
import { booleanText, OUTPUT_ARTIFACT_FORMATS, oneOf, text } from './config-schema.ts';
import type { ProviderSpec } from './provider-spec.ts';

const shape = {
  ConnectionArn: text().regex(
    /^(arn:aws(-[\w]+)*:(codestar-connections|codeconnections):.+|.*#\{.*\}.*)$/,
    'must be a connection ARN (arn:aws:codeconnections:<region>:<account>:connection/<id>)',
  ),
  FullRepositoryId: text().regex(/^([^/\s]+\/.+|.*#\{.*\}.*)$/, 'must be "owner/repository"'),
  BranchName: text(),
  OutputArtifactFormat: oneOf(OUTPUT_ARTIFACT_FORMATS).optional(),
  DetectChanges: booleanText().optional(),
};

/**
 * `Source/CodeStarSourceConnection`: GitHub, GitHub Enterprise, Bitbucket or GitLab through a
 * connection. CodePipeline lists owner `AWS` in declarations (`ThirdParty` in its artifact
 * table); both are accepted.
 *
 * @example
 * ```ts
 * CONNECTION_SOURCE.outputVariables; // ['AuthorDate', 'BranchName', …]
 * ```
 */
export const CONNECTION_SOURCE: ProviderSpec = {
  category: 'Source',
  provider: 'CodeStarSourceConnection',
  owners: ['AWS', 'ThirdParty'],
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
    'ConnectionArn',
    'FullRepositoryName',
  ],
  extraFields: [],
  runsLocally: true,
  description:
    'A repository branch reached through a CodeConnections connection (GitHub, GitLab, Bitbucket).',
};
