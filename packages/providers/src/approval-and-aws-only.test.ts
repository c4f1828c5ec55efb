import { afterEach, describe, expect, it } from 'vitest';
import { manualApprovalProvider } from './approval-manual.ts';
import { awsOnlyProvider } from './aws-only.ts';
import { makeRun, type TestRun } from './testing/make-run.ts';

let t: TestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

describe('manualApprovalProvider', () => {
  it('waits, with CustomData and ExternalEntityLink in the summary', async () => {
    t = await makeRun({
      action: {
        name: 'Approve',
        configuration: { CustomData: 'Check staging', ExternalEntityLink: 'http://staging.local' },
      },
    });
    const outcome = await manualApprovalProvider().run(t.run);
    expect(outcome).toEqual({
      status: 'Waiting',
      summary:
        'Approval needed for test-pipeline / Build / Approve\nComments: Check staging\nReview: http://staging.local',
    });
  });
});

describe('awsOnlyProvider', () => {
  it('fails with a configuration error naming what is needed and what to do', async () => {
    t = await makeRun({ action: { name: 'DeployStack' } });
    const outcome = await awsOnlyProvider('Deploy', 'CloudFormation', 'AWS CloudFormation stacks').run(t.run);
    expect(outcome).toMatchObject({
      status: 'Failed',
      error: {
        type: 'ConfigurationError',
        message: expect.stringMatching(
          /Deploy\/CloudFormation action "DeployStack" needs AWS CloudFormation stacks.*sst deploy/,
        ),
      },
    });
  });
});
