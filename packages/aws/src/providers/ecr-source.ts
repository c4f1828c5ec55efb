/**
 * `Source/ECR`: the image `RepositoryName:ImageTag` (default tag `latest`), as CodePipeline's
 * ECR source gives it — DescribeImages names the image, and the output artifact holds
 * `imageDetail.json` with CodePipeline's fields and layout; the output variables are
 * `ImageDigest`, `ImageTag`, `ImageURI`, `RegistryId` and `RepositoryName`. A push of that tag
 * starts the pipeline through an EventBridge rule on "ECR Image Action" events
 * (`sourceChangeTriggers` in core). The artifact is written through the run's artifact store,
 * so the provider works in Lambda and, with the AWS opt-in, from the local runtime.
 *
 * @example
 * ```ts
 * await awsEcrSourceProvider({ ecr }).run(run); // configuration { RepositoryName: 'team/web', ImageTag: 'release' }
 * ```
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeImagesCommand, type ECRClient, type ImageDetail } from '@aws-sdk/client-ecr';
import type { ActionProvider } from '@pipewright/engine';
import { guardOutcome, ProviderFailure } from '@pipewright/providers';
import { awsFailure } from './aws-failure.ts';
import { checkedConfiguration, configurationError, required } from './checked-configuration.ts';
import { type ClientSource, clientOf } from './client-source.ts';
import { type RetryOptions, retrying } from './retrying-send.ts';

/**
 * What the ECR source needs.
 *
 * @example
 * ```ts
 * const options: EcrSourceOptions = { ecr: new ECRClient({}) };
 * ```
 */
export interface EcrSourceOptions {
  ecr: ClientSource<ECRClient>;
  retry?: RetryOptions;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The `imageDetail.json` CodePipeline writes for an image, field for field (its
 * `ImagePushedAt` is Java's `Date.toString()` in UTC, `ImageSizeInBytes` a string).
 *
 * @example
 * ```ts
 * imageDetail(detail, 'eu-west-1').ImageURI; // '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web@sha256:…'
 * ```
 */
export function imageDetail(detail: ImageDetail, region: string): Record<string, unknown> {
  const pushed = detail.imagePushedAt;
  return {
    ImageSizeInBytes: String(detail.imageSizeInBytes ?? 0),
    ImageDigest: detail.imageDigest,
    Version: '1.0',
    ImagePushedAt: pushed === undefined ? undefined : javaDate(pushed),
    RegistryId: detail.registryId,
    RepositoryName: detail.repositoryName,
    ImageURI: imageUri(detail, region),
    ImageTags: detail.imageTags ?? [],
  };
}

function imageUri(detail: ImageDetail, region: string): string {
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `${detail.registryId}.dkr.ecr.${region}.${suffix}/${detail.repositoryName}@${detail.imageDigest}`;
}

function javaDate(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  return `${DAYS[at.getUTCDay()]} ${MONTHS[at.getUTCMonth()]} ${pad(at.getUTCDate())} ${time} UTC ${at.getUTCFullYear()}`;
}

/**
 * The ECR source provider.
 *
 * @example
 * ```ts
 * awsEcrSourceProvider({ ecr }).provider; // 'ECR'
 * ```
 */
export function awsEcrSourceProvider(options: EcrSourceOptions): ActionProvider {
  return {
    categories: ['Source'],
    provider: 'ECR',
    run: (run) =>
      guardOutcome(async () => {
        const config = checkedConfiguration(run);
        const repositoryName = required(config, 'RepositoryName');
        const imageTag = config.ImageTag ?? 'latest';
        // The image a push event named (the engine pins it as ImageDigest), else the tag's image now.
        const image = config.ImageDigest === undefined ? { imageTag } : { imageDigest: config.ImageDigest };
        const output = run.action.outputArtifacts[0];
        if (output === undefined) return configurationError('an ECR source needs one output artifact');
        const ecr = await clientOf(options.ecr, run);
        const described = await retrying(
          () =>
            ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [image] }), {
              abortSignal: run.signal,
            }),
          { ...options.retry, signal: run.signal },
        ).catch((error: unknown) => {
          if (error instanceof Error && error.name === 'ImageNotFoundException') {
            throw new ProviderFailure(
              'RevisionUnavailable',
              `ECR repository ${repositoryName} has no image tagged ${imageTag}; push it, or set ImageTag to a tag that exists`,
            );
          }
          throw awsFailure(error, `describing image ${repositoryName}:${imageTag} in ECR`);
        });
        const detail = described.imageDetails?.[0];
        if (detail?.imageDigest === undefined || detail.registryId === undefined) {
          throw new ProviderFailure(
            'RevisionUnavailable',
            `ECR returned no image ${repositoryName}:${imageTag}; retry the action`,
          );
        }
        const region = await ecr.config.region();
        const document = imageDetail(detail, region);
        await writeFile(join(run.workspace, 'imageDetail.json'), `${JSON.stringify(document, null, 2)}\n`);
        const artifact = await run.artifacts.putDirectory(run.workspace, { name: output.name });
        run.log.write('system', `image ${repositoryName}:${imageTag} is ${detail.imageDigest}\n`);
        return {
          status: 'Succeeded',
          outputArtifacts: [artifact],
          outputVariables: {
            ImageDigest: detail.imageDigest,
            ImageTag: imageTag,
            ImageURI: imageUri(detail, region),
            RegistryId: detail.registryId,
            RepositoryName: detail.repositoryName ?? repositoryName,
          },
          summary: `${repositoryName}:${imageTag} @ ${detail.imageDigest.slice(0, 19)}`,
        };
      }),
  };
}
