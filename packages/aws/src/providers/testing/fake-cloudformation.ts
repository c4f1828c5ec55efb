/**
 * A small CloudFormation for provider tests: stacks and change sets with the statuses the real
 * service goes through, answered through a mocked client.
 *
 * @example
 * ```ts
 * const fake = fakeCloudFormation(mockClient(cfnClient));
 * fake.stacks.get('web')?.status; // 'CREATE_COMPLETE' once deployed
 * ```
 */
import {
  type CloudFormationClient,
  CreateChangeSetCommand,
  type CreateChangeSetInput,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import type { AwsClientStub } from 'aws-sdk-client-mock';

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

/** What the fake holds: stacks by name, change sets by `<stack>/<name>`. */
export interface FakeCloudFormation {
  stacks: Map<string, FakeStack>;
  changeSets: Map<string, FakeChangeSet>;
}

type Stub = AwsClientStub<CloudFormationClient>;

const changeSetKey = (stack: string | undefined, name: string | undefined) => `${stack}/${name}`;
const missingStack = (name: string | undefined) =>
  named('ValidationError', `Stack with id ${name} does not exist`);

/**
 * A small CloudFormation: stacks and change sets with the statuses the real service goes
 * through (a stack is *_IN_PROGRESS for one DescribeStacks after an execution or deletion).
 */
export function fakeCloudFormation(cfn: Stub): FakeCloudFormation {
  const fake: FakeCloudFormation = { stacks: new Map(), changeSets: new Map() };
  fakeStacks(cfn, fake);
  fakeChangeSets(cfn, fake);
  fakeChangeSetExecution(cfn, fake);
  fakeStackEvents(cfn);
  return fake;
}

/** DescribeStacks (moving a stack on to its next status) and DeleteStack. */
function fakeStacks(cfn: Stub, fake: FakeCloudFormation): void {
  cfn.on(DescribeStacksCommand).callsFake(async ({ StackName }) => {
    const stack = fake.stacks.get(StackName);
    if (!stack || stack.status === 'DELETE_COMPLETE') throw missingStack(StackName);
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
  cfn.on(DeleteStackCommand).callsFake(async ({ StackName }) => {
    const stack = fake.stacks.get(StackName ?? '');
    if (stack) {
      stack.status = 'DELETE_IN_PROGRESS';
      stack.next = { status: 'DELETE_COMPLETE' };
    }
    return {};
  });
}

/** CreateChangeSet (failing when nothing changes), DescribeChangeSet and DeleteChangeSet. */
function fakeChangeSets(cfn: Stub, fake: FakeCloudFormation): void {
  cfn.on(CreateChangeSetCommand).callsFake(async (input: CreateChangeSetInput) => {
    const id = changeSetKey(input.StackName, input.ChangeSetName);
    if (fake.changeSets.has(id))
      throw named('AlreadyExistsException', `ChangeSet ${input.ChangeSetName} already exists`);
    const stack = fake.stacks.get(input.StackName ?? '');
    const live = stack && stack.status !== 'DELETE_COMPLETE' && stack.status !== 'REVIEW_IN_PROGRESS';
    if (input.ChangeSetType === 'CREATE' && live)
      throw named('ValidationError', `Stack [${input.StackName}] already exists`);
    if (input.ChangeSetType === 'UPDATE' && !live) throw missingStack(input.StackName);
    if (!live)
      fake.stacks.set(input.StackName ?? '', { status: 'REVIEW_IN_PROGRESS', parameters: '', outputs: {} });
    const template = input.TemplateBody ?? input.TemplateURL ?? '';
    const parameters = JSON.stringify(input.Parameters ?? []);
    const same = live && stack.template === template && stack.parameters === parameters;
    fake.changeSets.set(id, {
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
    const changeSet = fake.changeSets.get(changeSetKey(StackName, ChangeSetName));
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
    if (!fake.changeSets.delete(changeSetKey(StackName, ChangeSetName))) {
      throw named('ChangeSetNotFoundException', `ChangeSet [${ChangeSetName}] does not exist`);
    }
    return {};
  });
}

/** ExecuteChangeSet: the stack goes in progress, then to complete (or rolled back for a `BROKEN` template). */
function fakeChangeSetExecution(cfn: Stub, fake: FakeCloudFormation): void {
  cfn.on(ExecuteChangeSetCommand).callsFake(async ({ StackName, ChangeSetName }) => {
    const changeSet = fake.changeSets.get(changeSetKey(StackName, ChangeSetName));
    const stack = fake.stacks.get(StackName ?? '');
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
    for (const id of [...fake.changeSets.keys()])
      if (id.startsWith(`${StackName}/`)) fake.changeSets.delete(id);
    return {};
  });
}

/** The stack events of a failed creation (the newest first, as CloudFormation lists them). */
function fakeStackEvents(cfn: Stub): void {
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
}
