import * as z from 'zod';
import { booleanText, text } from './config-schema.ts';
import type { ProviderSpec } from './provider-spec.ts';

const shape = {
  S3Bucket: text(),
  S3ObjectKey: text(),
  PollForSourceChanges: booleanText().optional(),
  AllowOverrideForS3ObjectKey: booleanText().optional(),
  /** Pipewright: the object version to read (a trigger that saw a version sets it); default the latest. */
  S3ObjectVersionId: text().optional(),
};

/**
 * `Source/S3`: the latest version of an object in a versioned bucket; its new versions start the
 * pipeline (S3's "Object Created" events). Runs in AWS, and locally with the AWS opt-in.
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
  runsLocally: false,
  description: 'An object (usually a .zip) in a versioned S3 bucket.',
};
