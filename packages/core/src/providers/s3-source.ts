import * as z from 'zod';
import { booleanText, text } from './config-schema.ts';
import type { ProviderSpec } from './provider-spec.ts';

const shape = {
  S3Bucket: text(),
  S3ObjectKey: text(),
  PollForSourceChanges: booleanText().optional(),
  AllowOverrideForS3ObjectKey: booleanText().optional(),
};

/**
 * `Source/S3`: an object in a versioned bucket (locally: a directory or S3-compatible endpoint).
 *
 * @example
 * ```ts
 * S3_SOURCE.outputVariables; // ['ETag', 'VersionId']
 * ```
 */
export const S3_SOURCE: ProviderSpec = {
  category: 'Source',
  provider: 'S3',
  owners: ['AWS'],
  configuration: z.strictObject(shape),
  configurationKeys: Object.keys(shape),
  inputArtifacts: { min: 0, max: 0 },
  outputArtifacts: { min: 1, max: 1 },
  defaultTimeoutMinutes: 60,
  outputVariables: ['ETag', 'VersionId'],
  extraFields: [],
  runsLocally: true,
  description: 'An object (usually a .zip) in a versioned S3 bucket.',
};
