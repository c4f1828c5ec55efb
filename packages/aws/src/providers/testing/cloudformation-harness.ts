/**
 * The test harness of the CloudFormation provider: mocked clients answered by a small
 * CloudFormation (stacks and change sets with the statuses the real service goes through),
 * a run maker, and {@link runToEnd}, which calls the provider as the state machine's poll loop
 * does. Call {@link cloudFormationHarness} once at the top of a test file.
 *
 * @example
 * ```ts
 * const h = cloudFormationHarness();
 * const outcome = await h.runToEnd(await h.deployRun({ ActionMode: 'CREATE_UPDATE', StackName: 'web', TemplatePath: 'Build::template.yaml' }));
 * ```
 */
import { createHash } from 'node:crypto';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { S3Client } from '@aws-sdk/client-s3';
import type { ActionOutcome, ActionRun } from '@pipewright/engine';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { UNREACHABLE } from '../../testing/mocked-client.ts';
import { awsCloudFormationDeployProvider } from '../cloudformation-deploy.ts';
import { type FakeCloudFormation, fakeCloudFormation } from './fake-cloudformation.ts';
import { type AwsTestRun, makeAwsRun, TEST_BUCKET } from './make-run.ts';

export {
  type FakeChangeSet,
  type FakeCloudFormation,
  type FakeStack,
  fakeCloudFormation,
  named,
} from './fake-cloudformation.ts';

/** A template the fake deploys. */
export const TEMPLATE = 'Resources:\n  Site:\n    Type: AWS::S3::Bucket\nOutputs:\n  Url: { Value: x }\n';
/** A deployment role. */
export const ROLE = 'arn:aws:iam::123456789012:role/cfn-deploy';

/** Everything a CloudFormation provider test uses; hooks reset it between tests. */
export function cloudFormationHarness() {
  const cfnClient = new CloudFormationClient({ ...UNREACHABLE, region: 'eu-west-1' });
  const s3Client = new S3Client({ ...UNREACHABLE, region: 'eu-west-1' });
  const cfn = mockClient(cfnClient);
  const s3 = mockClient(s3Client);
  const provider = awsCloudFormationDeployProvider({
    cloudformation: cfnClient,
    s3: s3Client,
    artifactBucket: TEST_BUCKET,
  });
  const h = {
    cfnClient,
    cfn,
    s3,
    provider,
    t: undefined as AwsTestRun | undefined,
    fake: undefined as unknown as FakeCloudFormation,
    async deployRun(
      configuration: Record<string, string>,
      files: Record<string, string> = { 'template.yaml': TEMPLATE },
      attempt = 1,
    ): Promise<ActionRun> {
      await h.t?.cleanup();
      h.t = await makeAwsRun({
        action: {
          name: 'Deploy',
          actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'CloudFormation', version: '1' },
          configuration,
        },
        inputs: { Build: files },
      });
      h.t.run.stage = 'Prod';
      h.t.run.attempt = attempt;
      h.t.run.actionExecutionId = `7f0c:Prod:Deploy:0:${attempt}`;
      return h.t.run;
    },
    /** What the state machine does: call the provider, and while it is in progress, call it again with its state. */
    async runToEnd(run: ActionRun, polls: ActionOutcome[] = []): Promise<ActionOutcome> {
      const { progress: _, ...first } = run;
      let outcome = await provider.run(first);
      for (let i = 0; outcome.status === 'InProgress'; i++) {
        if (i > 50) throw new Error('still in progress after 50 polls');
        polls.push(outcome);
        outcome = await provider.run({ ...run, progress: outcome.state });
      }
      return outcome;
    },
    hash: (attempt = 1) =>
      createHash('sha256').update(`7f0c:Prod:Deploy:0:${attempt}`).digest('hex').slice(0, 32),
    names: () =>
      cfn
        .calls()
        .map((c) =>
          (c.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''),
        ),
    logText: () => h.t?.lines.map((l) => l.text).join('') ?? '',
  };
  beforeEach(() => {
    h.fake = fakeCloudFormation(cfn);
  });
  afterEach(async () => {
    cfn.reset();
    s3.reset();
    await h.t?.cleanup();
    h.t = undefined;
  });
  afterAll(() => {
    cfn.restore();
    s3.restore();
    cfnClient.destroy();
    s3Client.destroy();
  });
  return h;
}
