import * as z from 'zod';
import { text } from './config-schema.ts';
import type { ProviderSpec } from './provider-spec.ts';

/** The variables an ECR source exports, as CodePipeline documents them. @example `ECR_SOURCE_VARIABLES.includes('ImageURI') // true` */
export const ECR_SOURCE_VARIABLES = [
  'ImageDigest',
  'ImageTag',
  'ImageURI',
  'RegistryId',
  'RepositoryName',
] as const;

const shape = {
  RepositoryName: text().regex(/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$|#\{/, {
    message: 'must be an ECR repository name (lowercase letters, digits, . _ - and /), e.g. team/web',
  }),
  ImageTag: text()
    .regex(/^[\w][\w.-]{0,127}$|#\{/, {
      message: 'must be an image tag (letters, digits, _ . -; at most 128), e.g. latest',
    })
    .optional(),
  /** Pipewright: the image to read (a push event sets it); default the image `ImageTag` names now. */
  ImageDigest: text()
    .regex(/^sha256:[a-f0-9]{64}$|#\{/, { message: 'must be an image digest, sha256: and 64 hex digits' })
    .optional(),
};

/**
 * `Source/ECR`: an image in an Amazon ECR repository (`ImageTag`, default `latest`). A push of
 * that tag starts the pipeline (an EventBridge "ECR Image Action" rule); the output artifact
 * holds `imageDetail.json`. Runs only in AWS (locally with the AWS opt-in).
 *
 * @example
 * ```ts
 * ECR_SOURCE.configuration.safeParse({ RepositoryName: 'team/web', ImageTag: 'release' }).success; // true
 * ```
 */
export const ECR_SOURCE: ProviderSpec = {
  category: 'Source',
  provider: 'ECR',
  owners: ['AWS'],
  configuration: z.strictObject(shape),
  configurationKeys: Object.keys(shape),
  inputArtifacts: { min: 0, max: 0 },
  outputArtifacts: { min: 1, max: 1 },
  defaultTimeoutMinutes: 60,
  outputVariables: ECR_SOURCE_VARIABLES,
  extraFields: [],
  runsLocally: false,
  description: 'An image in an Amazon ECR repository; the artifact is its imageDetail.json.',
};
