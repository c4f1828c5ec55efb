import { describe, expect, it } from 'vitest';
import { artifactStoreStatements } from './artifact-store-grants.ts';
import { action, NAMES, pipeline } from './deploy.test-helper.ts';

describe('artifactStoreStatements', () => {
  it('grants the other regions’ artifact buckets and every declared customer key', () => {
    const p = pipeline(
      'global',
      [
        {
          name: 'Deploy',
          actions: [action('Us', 'Deploy', 'S3', { BucketName: 'site' }, { region: 'us-east-1' })],
        },
      ],
      {
        artifactStores: {
          'eu-west-1': {
            type: 'S3',
            location: 'acme-eu',
            encryptionKey: { id: 'arn:aws:kms:eu-west-1:123456789012:key/eu', type: 'KMS' },
          },
          'us-east-1': { type: 'S3', location: 'acme-us', encryptionKey: { id: '1234abcd', type: 'KMS' } },
        },
      },
    );
    expect(artifactStoreStatements([p], NAMES)).toEqual([
      {
        Sid: 'RegionalArtifacts',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: ['arn:aws:s3:::acme-us/*'],
      },
      {
        Sid: 'PipelineArtifactKeys',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: [
          'arn:aws:kms:eu-west-1:123456789012:key/eu',
          'arn:aws:kms:us-east-1:123456789012:key/1234abcd',
        ],
      },
    ]);
    expect(artifactStoreStatements([pipeline('plain', [])], NAMES)).toEqual([]);
  });
});
