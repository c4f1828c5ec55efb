import { readFileSync } from 'node:fs';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { afterEach, describe, expect, it } from 'vitest';
import { awsError, mockedClient } from '../testing/mocked-client.ts';
import { awsEcrSourceProvider } from './ecr-source.ts';
import { type AwsTestRun, makeAwsRun } from './testing/make-run.ts';

const client = new ECRClient({
  region: 'eu-west-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const ecr = mockedClient(client);
const GOLDEN = readFileSync(
  new URL('../../../../test/fixtures/providers/ecr/imageDetail.json', import.meta.url),
  'utf8',
);
const DIGEST = 'sha256:4f2a1ee8329ba7e68694950afd3e2d3b8a1ee8329ba7e68694950afd3bfea42e';
const IMAGE = {
  registryId: '123456789012',
  repositoryName: 'team/web',
  imageDigest: DIGEST,
  imageTags: ['release', 'v1.4.0'],
  imageSizeInBytes: 44728918,
  imagePushedAt: new Date('2019-01-21T20:04:00Z'),
};
const options = { ecr: client, retry: { delayMs: () => 0 } };

let t: AwsTestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

async function ecrRun(configuration: Record<string, string>) {
  t = await makeAwsRun({
    action: {
      name: 'Image',
      actionTypeId: { category: 'Source', owner: 'AWS', provider: 'ECR', version: '1' },
      configuration,
      outputArtifacts: [{ name: 'ImageArtifact' }],
    },
  });
  return t;
}

describe('awsEcrSourceProvider', () => {
  it('describes the tagged image and writes CodePipeline’s imageDetail.json (golden) and variables', async () => {
    // Prepare
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [IMAGE] });
    const { run, stored } = await ecrRun({ RepositoryName: 'team/web', ImageTag: 'release' });
    // Act
    const outcome = await awsEcrSourceProvider(options).run(run);
    // Assess
    expect(ecr.calls().map((c) => c.args[0].input)).toEqual([
      { repositoryName: 'team/web', imageIds: [{ imageTag: 'release' }] },
    ]);
    const written = stored.get('ImageArtifact') ?? {};
    expect(Object.keys(written)).toEqual(['imageDetail.json']);
    // Same fields, values and order as the golden file (formatting aside).
    const detail = JSON.parse(written['imageDetail.json'] ?? '{}') as Record<string, unknown>;
    expect(Object.keys(detail)).toEqual(Object.keys(JSON.parse(GOLDEN) as object));
    expect(detail).toEqual(JSON.parse(GOLDEN));
    expect(outcome).toMatchObject({
      status: 'Succeeded',
      outputArtifacts: [{ name: 'ImageArtifact' }],
      outputVariables: {
        ImageDigest: DIGEST,
        ImageTag: 'release',
        ImageURI: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web@${DIGEST}`,
        RegistryId: '123456789012',
        RepositoryName: 'team/web',
      },
    });
  });

  it('reads the tag latest by default and retries throttling', async () => {
    ecr
      .on(DescribeImagesCommand)
      .rejectsOnce(awsError('ThrottlingException', 400))
      .resolves({ imageDetails: [IMAGE] });
    const { run } = await ecrRun({ RepositoryName: 'team/web' });
    expect(await awsEcrSourceProvider(options).run(run)).toMatchObject({
      status: 'Succeeded',
      outputVariables: { ImageTag: 'latest' },
    });
    expect(ecr.calls().map((c) => c.args[0].input)).toEqual([
      { repositoryName: 'team/web', imageIds: [{ imageTag: 'latest' }] },
      { repositoryName: 'team/web', imageIds: [{ imageTag: 'latest' }] },
    ]);
  });

  it('fails with RevisionUnavailable for a missing tag and PermissionError (once) on access denied', async () => {
    ecr.on(DescribeImagesCommand).rejects(awsError('ImageNotFoundException', 400));
    const { run } = await ecrRun({ RepositoryName: 'team/web', ImageTag: 'gone' });
    expect(await awsEcrSourceProvider(options).run(run)).toMatchObject({
      status: 'Failed',
      error: { type: 'RevisionUnavailable', message: expect.stringContaining('has no image tagged gone') },
    });
    ecr.reset();
    ecr.on(DescribeImagesCommand).rejects(awsError('AccessDeniedException', 400));
    expect(await awsEcrSourceProvider(options).run(run)).toMatchObject({
      status: 'Failed',
      error: { type: 'PermissionError' },
    });
    expect(ecr.calls()).toHaveLength(1);
  });

  it('gives the same artifact and variables to a duplicate delivery (it only reads)', async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [IMAGE] });
    const { run } = await ecrRun({ RepositoryName: 'team/web', ImageTag: 'release' });
    const provider = awsEcrSourceProvider(options);
    expect(await provider.run(run)).toEqual(await provider.run(run));
  });

  it('describes the image a push named when the engine pins its digest, keeping the tag as ImageTag', async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [IMAGE] });
    const { run } = await ecrRun({ RepositoryName: 'team/web', ImageTag: 'release', ImageDigest: DIGEST });
    expect(await awsEcrSourceProvider(options).run(run)).toMatchObject({
      outputVariables: { ImageDigest: DIGEST, ImageTag: 'release' },
    });
    expect(ecr.calls()[0]?.args[0].input).toEqual({
      repositoryName: 'team/web',
      imageIds: [{ imageDigest: DIGEST }],
    });
  });
});
