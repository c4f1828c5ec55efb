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
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  type CreateChangeSetInput,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { S3Client } from '@aws-sdk/client-s3';
import type { ActionOutcome, ActionRun } from '@pipewright/engine';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { UNREACHABLE } from '../../testing/mocked-client.ts';
import { awsCloudFormationDeployProvider } from '../cloudformation-deploy.ts';
import { type AwsTestRun, makeAwsRun, TEST_BUCKET } from './make-run.ts';

/** A template the fake deploys. */
export const TEMPLATE = 'Resources:\n  Site:\n    Type: AWS::S3::Bucket\nOutputs:\n  Url: { Value: x }\n';
/** A deployment role. */
export const ROLE = 'arn:aws:iam::123456789012:role/cfn-deploy';

/** An SDK-like error with this name. @example `named('Throttling', 'Rate exceeded')` */
export function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/** A stack of the fake. */
export interface FakeStack {
  status: string;
  reason?: string;
  template?: string;
  parameters: string;
  outputs: Record<string, string>;
  next?: { status: string; reason?: string };
  /** How many more DescribeStacks show the current status before `next` (default 1). */
  showings?: number;
}
/** A change set of the fake. */
export interface FakeChangeSet {
  type: string;
  template: string;
  parameters: string;
  status: string;
  reason?: string;
  execution: string;
}

/**
 * A small CloudFormation: stacks and change sets with the statuses the real service goes
 * through (a stack is *_IN_PROGRESS for one DescribeStacks after an execution or deletion).
 */
export function fakeCloudFormation(cfn: AwsClientStub<CloudFormationClient>) {
  const stacks = new Map<string, FakeStack>();
  const changeSets = new Map<string, FakeChangeSet>();
  const key = (stack: string | undefined, name: string | undefined) => `${stack}/${name}`;
  const missing = (name: string | undefined) =>
    named('ValidationError', `Stack with id ${name} does not exist`);
  cfn.on(DescribeStacksCommand).callsFake(async ({ StackName }) => {
    const stack = stacks.get(StackName);
    if (!stack || stack.status === 'DELETE_COMPLETE') throw missing(StackName);
    const shown = { ...stack };
    if (stack.next) {
      stack.showings = (stack.showings ?? 1) - 1;
      if (stack.showings <= 0) {
        Object.assign(stack, stack.next);
        stack.next = undefined;
        stack.showings = undefined;
      }
    }
    return {
      Stacks: [
        {
          StackName,
          StackId: `arn:aws:cloudformation:eu-west-1:123456789012:stack/${StackName}/1`,
          StackStatus: shown.status,
          ...(shown.reason ? { StackStatusReason: shown.reason } : {}),
          CreationTime: new Date(0),
          Outputs: Object.entries(shown.outputs).map(([OutputKey, OutputValue]) => ({
            OutputKey,
            OutputValue,
          })),
        },
      ],
    };
  });
  cfn.on(CreateChangeSetCommand).callsFake(async (input: CreateChangeSetInput) => {
    const id = key(input.StackName, input.ChangeSetName);
    if (changeSets.has(id))
      throw named('AlreadyExistsException', `ChangeSet ${input.ChangeSetName} already exists`);
    const stack = stacks.get(input.StackName ?? '');
    const live = stack && stack.status !== 'DELETE_COMPLETE' && stack.status !== 'REVIEW_IN_PROGRESS';
    if (input.ChangeSetType === 'CREATE' && live)
      throw named('ValidationError', `Stack [${input.StackName}] already exists`);
    if (input.ChangeSetType === 'UPDATE' && !live) throw missing(input.StackName);
    if (!live)
      stacks.set(input.StackName ?? '', { status: 'REVIEW_IN_PROGRESS', parameters: '', outputs: {} });
    const template = input.TemplateBody ?? input.TemplateURL ?? '';
    const parameters = JSON.stringify(input.Parameters ?? []);
    const same = live && stack.template === template && stack.parameters === parameters;
    changeSets.set(id, {
      type: input.ChangeSetType ?? 'UPDATE',
      template,
      parameters,
      status: same ? 'FAILED' : 'CREATE_COMPLETE',
      ...(same
        ? {
            reason:
              "The submitted information didn't contain changes. Submit different information to create a change set.",
          }
        : {}),
      execution: same ? 'UNAVAILABLE' : 'AVAILABLE',
    });
    return { Id: `arn:changeSet/${input.ChangeSetName}` };
  });
  cfn.on(DescribeChangeSetCommand).callsFake(async ({ StackName, ChangeSetName }) => {
    const changeSet = changeSets.get(key(StackName, ChangeSetName));
    if (!changeSet) throw named('ChangeSetNotFoundException', `ChangeSet [${ChangeSetName}] does not exist`);
    return {
      ChangeSetName,
      StackName,
      Status: changeSet.status,
      ...(changeSet.reason ? { StatusReason: changeSet.reason } : {}),
      ExecutionStatus: changeSet.execution,
      Changes: changeSet.status === 'CREATE_COMPLETE' ? [{ Type: 'Resource' }, { Type: 'Resource' }] : [],
    };
  });
  cfn.on(DeleteChangeSetCommand).callsFake(async ({ StackName, ChangeSetName }) => {
    if (!changeSets.delete(key(StackName, ChangeSetName))) {
      throw named('ChangeSetNotFoundException', `ChangeSet [${ChangeSetName}] does not exist`);
    }
    return {};
  });
  cfn.on(ExecuteChangeSetCommand).callsFake(async ({ StackName, ChangeSetName }) => {
    const changeSet = changeSets.get(key(StackName, ChangeSetName));
    const stack = stacks.get(StackName ?? '');
    if (!changeSet || !stack || changeSet.execution !== 'AVAILABLE') {
      throw named('InvalidChangeSetStatusException', 'ChangeSet cannot be executed in its current status');
    }
    const create = changeSet.type === 'CREATE';
    const broken = changeSet.template.includes('BROKEN');
    stack.status = create ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS';
    stack.next = broken
      ? {
          status: create ? 'ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE',
          reason: 'The following resource(s) failed to create: [Site].',
        }
      : { status: create ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE' };
    if (!broken) {
      stack.template = changeSet.template;
      stack.parameters = changeSet.parameters;
      const parameters = JSON.parse(changeSet.parameters) as {
        ParameterKey: string;
        ParameterValue: string;
      }[];
      stack.outputs = {
        Url: `https://${StackName}.example.com`,
        Env: parameters.find((p) => p.ParameterKey === 'Env')?.ParameterValue ?? '',
      };
    }
    for (const id of [...changeSets.keys()]) if (id.startsWith(`${StackName}/`)) changeSets.delete(id);
    return {};
  });
  cfn.on(DeleteStackCommand).callsFake(async ({ StackName }) => {
    const stack = stacks.get(StackName ?? '');
    if (stack) {
      stack.status = 'DELETE_IN_PROGRESS';
      stack.next = { status: 'DELETE_COMPLETE' };
    }
    return {};
  });
  cfn.on(DescribeStackEventsCommand).resolves({
    StackEvents: [
      {
        LogicalResourceId: 'web',
        ResourceStatus: 'ROLLBACK_COMPLETE',
        StackId: 's',
        StackName: 'web',
        EventId: '4',
        Timestamp: new Date(4),
      },
      {
        LogicalResourceId: 'Site',
        ResourceStatus: 'CREATE_FAILED',
        ResourceStatusReason: 'Bucket name already taken',
        StackId: 's',
        StackName: 'web',
        EventId: '3',
        Timestamp: new Date(3),
      },
      {
        LogicalResourceId: 'web',
        ResourceStatus: 'CREATE_IN_PROGRESS',
        ResourceStatusReason: 'User Initiated',
        StackId: 's',
        StackName: 'web',
        EventId: '2',
        Timestamp: new Date(2),
      },
      {
        LogicalResourceId: 'Old',
        ResourceStatus: 'CREATE_FAILED',
        ResourceStatusReason: 'an older failure',
        StackId: 's',
        StackName: 'web',
        EventId: '1',
        Timestamp: new Date(1),
      },
    ],
  });
  return { stacks, changeSets };
}

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
    fake: undefined as unknown as ReturnType<typeof fakeCloudFormation>,
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
