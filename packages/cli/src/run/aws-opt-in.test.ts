import type { Pipeline } from '@pipewright/core';
import { describe, expect, it } from 'vitest';
import { AwsOptInError, awsOptIn } from './aws-opt-in.ts';

function pipeline(...types: [string, string][]): Pipeline {
  return {
    name: 'p',
    stages: [
      {
        name: 'S',
        actions: types.map(([category, provider], i) => ({
          name: `A${i}`,
          actionTypeId: { category, owner: 'AWS', provider, version: '1' },
          runOrder: 1,
          configuration: {},
          inputArtifacts: [],
          outputArtifacts: [],
        })),
      },
    ],
  } as unknown as Pipeline;
}

describe('awsOptIn', () => {
  it('needs nothing when no action runs only in AWS', async () => {
    expect(await awsOptIn(pipeline(['Build', 'Commands']), undefined, 'pipewright.local.yaml')).toEqual([]);
  });

  it('refuses without the opt-in (exit 1) naming every AWS-only action', async () => {
    const refused = awsOptIn(
      pipeline(['Build', 'Commands'], ['Deploy', 'CloudFormation']),
      undefined,
      'x.yaml',
    );
    await expect(refused).rejects.toBeInstanceOf(AwsOptInError);
    await expect(refused).rejects.toMatchObject({
      exitCode: 1,
      code: 'PW4010',
      message: expect.stringContaining('stage "S" action "A1" (Deploy/CloudFormation'),
    });
  });

  it('gives the AWS providers with the opt-in, and refuses the AWS actions none of them runs from here', async () => {
    const providers = await awsOptIn(
      pipeline(['Deploy', 'CloudFormation']),
      { region: 'eu-west-1' },
      'x.yaml',
    );
    expect(providers.map((p) => p.provider)).toContain('CloudFormation');
    await expect(
      awsOptIn(pipeline(['Test', 'DeviceFarm']), { region: 'eu-west-1' }, 'x.yaml'),
    ).rejects.toThrow('stage "S" action "A0" (Test/DeviceFarm: needs AWS Device Farm)');
  });
});
