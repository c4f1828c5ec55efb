import * as z from 'zod';
import { booleanText, oneOf, text } from './config-schema.ts';
import type { ProviderSpec } from './provider-spec.ts';

/** S3 canned ACLs accepted by the S3 deploy action. */
export const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'aws-exec-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
  'log-delivery-write',
] as const;

const shape = {
  BucketName: text(),
  Extract: booleanText(),
  ObjectKey: text().optional(),
  KMSEncryptionKeyARN: text().optional(),
  CannedACL: oneOf(CANNED_ACLS).optional(),
  CacheControl: text().optional(),
};

/**
 * `Deploy/S3`: copies the input artifact into a bucket (`Extract: "true"`: unzipped; else as
 * one object at `ObjectKey`, which is then required). Locally: a directory or S3-compatible endpoint.
 *
 * @example
 * ```ts
 * S3_DEPLOY.configuration.safeParse({ BucketName: 'site', Extract: 'false' }).success; // false: ObjectKey missing
 * ```
 */
export const S3_DEPLOY: ProviderSpec = {
  category: 'Deploy',
  provider: 'S3',
  owners: ['AWS'],
  configuration: z.strictObject(shape).superRefine((config, ctx) => {
    if (/^false$/i.test(config.Extract) && config.ObjectKey === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['ObjectKey'],
        message: 'is required when Extract is "false"; name the object to write, or set Extract to "true"',
      });
  }),
  configurationKeys: Object.keys(shape),
  inputArtifacts: { min: 1, max: 1 },
  outputArtifacts: { min: 0, max: 0 },
  defaultTimeoutMinutes: 90,
  outputVariables: [],
  extraFields: [],
  runsLocally: true,
  description: 'Copies the input artifact to an S3 bucket (locally: a directory or S3-compatible endpoint).',
};
