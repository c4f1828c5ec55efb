/**
 * `Deploy/CloudFormation` in AWS, through change sets, waited by the state machine:
 *
 * - `CHANGE_SET_REPLACE`: (re)creates the change set `ChangeSetName` (CREATE for a new stack,
 *   UPDATE otherwise) and polls until it is ready; nothing is executed.
 * - `CHANGE_SET_EXECUTE`: executes `ChangeSetName` and polls the stack.
 * - `CREATE_UPDATE` (and `REPLACE_ON_FAILURE`, which first deletes a stack in a failed state;
 *   `CREATE_UPDATE` deletes a `ROLLBACK_COMPLETE` stack, as CodePipeline does): a change set
 *   named after the attempt, created, executed, polled. A stack busy with another operation is
 *   polled until it is free first.
 * - `DELETE_ONLY`: deletes the stack (a missing stack is already deleted) and polls.
 *
 * Every call makes a few requests and answers `InProgress` (see `long-wait.ts`): the state
 * machine waits between calls, up to CodePipeline's 3 days. A change set without changes
 * succeeds without executing anything. The stack's outputs become the action's output
 * variables (and the `OutputFileName` JSON file of its output artifact). Requests carry tokens
 * derived from the action execution id, so a duplicate delivery executes nothing twice.
 *
 * @example
 * ```ts
 * const provider = awsCloudFormationDeployProvider({ cloudformation, s3, artifactBucket: 'pw-artifacts' });
 * await provider.run(run); // { status: 'InProgress', state: { phase: 'changeSet', … }, pollAfterSeconds: 5 }
 * ```
 */
import { createHash } from 'node:crypto';
import {
  CreateChangeSetCommand,
  type CreateChangeSetInput,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  type DescribeChangeSetOutput,
  ExecuteChangeSetCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import type { ActionOutcome, ActionProvider, ActionRun } from '@pipewright/engine';
import { ProviderFailure } from '@pipewright/providers';
import { awsFailure } from './aws-failure.ts';
import { checkedConfiguration, configurationError, required } from './checked-configuration.ts';
import { clientOf } from './client-source.ts';
import {
  type CloudFormationDeployOptions,
  clientsFor,
  type DeploymentClients,
} from './cloudformation-clients.ts';
import { capabilities, parametersAndTags, templateInput } from './cloudformation-inputs.ts';
import {
  cancelStackUpdate,
  describeStack,
  failedStackEvents,
  isBusy,
  isNamed,
  type StackReader,
  sendTolerating,
  stackSucceeded,
} from './cloudformation-stack.ts';
import { inProgress, longWait, type WaitState } from './long-wait.ts';

export type { CloudFormationDeployOptions } from './cloudformation-clients.ts';

/** Seconds before the first look at a change set being created, and at a stack being changed. */
export const CHANGE_SET_POLL_SECONDS = 5;
export const STACK_POLL_SECONDS = 15;

const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;
const FAILED_STATES = [
  'CREATE_FAILED',
  'ROLLBACK_COMPLETE',
  'ROLLBACK_FAILED',
  'DELETE_FAILED',
  'UPDATE_ROLLBACK_FAILED',
];
const DONE = ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE'];

type Config = Readonly<Record<string, string | undefined>>;
/** Where a CloudFormation action is: creating a change set, changing or deleting the stack, or waiting for another operation. */
type Phase = 'changeSet' | 'stack' | 'delete' | 'busy';

/**
 * The CloudFormation deploy provider.
 *
 * @example
 * ```ts
 * awsCloudFormationDeployProvider(options).provider; // 'CloudFormation'
 * ```
 */
export function awsCloudFormationDeployProvider(options: CloudFormationDeployOptions): ActionProvider {
  return {
    categories: ['Deploy'],
    provider: 'CloudFormation',
    run: (run) =>
      longWait(run, {
        start: async () => new Deployment(run, await clientsFor(options, run)).start(),
        poll: async (state) => new Deployment(run, await clientsFor(options, run)).poll(state),
      }),
    // The stop uses the action's own role and region too, like every call of the action.
    cancel: async (request) => cancelStackUpdate(await clientOf(options.cloudformation, request), request),
  };
}

/** One call of one attempt of a CloudFormation action. */
class Deployment {
  readonly #run: ActionRun;
  readonly #options: DeploymentClients;
  readonly #config: Config;
  readonly #stack: string;
  readonly #hash: string;

  constructor(run: ActionRun, options: DeploymentClients) {
    this.#run = run;
    this.#options = options;
    this.#config = checkedConfiguration(run);
    this.#stack = required(this.#config, 'StackName');
    this.#hash = createHash('sha256').update(run.actionExecutionId).digest('hex').slice(0, 32);
  }

  async start(): Promise<ActionOutcome> {
    const output = this.#run.action.outputArtifacts[0];
    if (output !== undefined && this.#config.OutputFileName === undefined) {
      configurationError(
        `output artifact ${output.name} needs OutputFileName: the file of the artifact that receives the stack outputs`,
      );
    }
    const mode = required(this.#config, 'ActionMode');
    if (mode === 'DELETE_ONLY') {
      const stack = await this.#describeStack();
      if (stack === undefined)
        return this.#succeeded(`stack ${this.#stack} does not exist; nothing to delete`, false);
      return this.#startDelete(stack, 'done');
    }
    if (mode === 'CHANGE_SET_EXECUTE') return this.#executeNamed(required(this.#config, 'ChangeSetName'));
    if (mode === 'CHANGE_SET_REPLACE') return this.#replaceChangeSet(required(this.#config, 'ChangeSetName'));
    return this.#createUpdate();
  }

  async poll(state: WaitState): Promise<ActionOutcome> {
    const phase = state.phase as Phase;
    if (phase === 'busy') {
      const status = (await this.#describeStack())?.StackStatus ?? '';
      return isBusy(status)
        ? this.#wait({ phase }, `stack ${this.#stack} is ${status}`)
        : this.#createUpdate();
    }
    if (phase === 'delete') return this.#pollDelete(state.next === 'create');
    if (phase === 'stack') return this.#pollStack();
    return this.#pollChangeSet(String(state.changeSet), state.next === 'execute');
  }

  async #replaceChangeSet(name: string): Promise<ActionOutcome> {
    const stack = await this.#describeStack();
    await this.#cfn(
      new DeleteChangeSetCommand({ StackName: this.#stack, ChangeSetName: name }),
      `deleting change set ${name}`,
      'ChangeSetNotFoundException',
    );
    return this.#createChangeSet(name, stack, 'ready');
  }

  async #executeNamed(name: string): Promise<ActionOutcome> {
    const changeSet = await this.#describeChangeSet(name);
    if (changeSet === undefined) {
      configurationError(
        `stack ${this.#stack} has no change set ${name}; create it with a CHANGE_SET_REPLACE action before this one`,
      );
    }
    if (NO_CHANGES.test(changeSet.StatusReason ?? '')) {
      return this.#succeeded(`change set ${name} of stack ${this.#stack} has no changes; nothing executed`);
    }
    if (changeSet.Status !== 'CREATE_COMPLETE') return this.#checkChangeSet(name, changeSet);
    return this.#execute(name, changeSet);
  }

  async #createUpdate(): Promise<ActionOutcome> {
    const stack = await this.#describeStack();
    const status = stack?.StackStatus ?? '';
    if (isBusy(status)) {
      // Another operation (or a duplicate delivery of this attempt) is running: let it finish first.
      return this.#wait({ phase: 'busy' }, `stack ${this.#stack} is ${status}; waiting for it to finish`);
    }
    const replace = this.#config.ActionMode === 'REPLACE_ON_FAILURE';
    if (stack && (status === 'ROLLBACK_COMPLETE' || (replace && FAILED_STATES.includes(status)))) {
      this.#run.log.write('system', `deleting stack ${this.#stack} (${status}) before creating it again\n`);
      return this.#startDelete(stack, 'create');
    }
    return this.#createChangeSet(this.#changeSetName(), stack, 'execute');
  }

  #changeSetName(): string {
    return `pipewright-${this.#hash.slice(0, 24)}`;
  }

  async #startDelete(stack: Stack, then: 'done' | 'create'): Promise<ActionOutcome> {
    if (stack.StackStatus !== 'DELETE_IN_PROGRESS') {
      const input = {
        StackName: this.#stack,
        ClientRequestToken: `pw-delete-${this.#hash}`,
        ...(this.#config.RoleArn ? { RoleARN: this.#config.RoleArn } : {}),
      };
      await this.#cfn(new DeleteStackCommand(input), `deleting stack ${this.#stack}`);
    }
    return this.#wait(
      { phase: 'delete', next: then },
      `deleting stack ${this.#stack}`,
      STACK_POLL_SECONDS,
      stack.StackId,
    );
  }

  async #pollDelete(thenCreate: boolean): Promise<ActionOutcome> {
    const after = await this.#describeStack();
    if (after === undefined || after.StackStatus === 'DELETE_COMPLETE') {
      if (thenCreate) return this.#createChangeSet(this.#changeSetName(), undefined, 'execute');
      return this.#succeeded(`stack ${this.#stack} deleted`, false);
    }
    if (after.StackStatus === 'DELETE_IN_PROGRESS')
      return this.#wait(
        { phase: 'delete', ...(thenCreate ? { next: 'create' } : {}) },
        `stack ${this.#stack} is DELETE_IN_PROGRESS`,
      );
    return this.#failed(
      `stack ${this.#stack} could not be deleted: ${after.StackStatus}${after.StackStatusReason ? ` (${after.StackStatusReason})` : ''}` +
        (await this.#failedEvents()),
    );
  }

  async #createChangeSet(
    name: string,
    stack: Stack | undefined,
    then: 'ready' | 'execute',
  ): Promise<ActionOutcome> {
    const type = stack === undefined || stack.StackStatus === 'REVIEW_IN_PROGRESS' ? 'CREATE' : 'UPDATE';
    const upload = {
      cloudformation: this.#options.cloudformation,
      s3: this.#options.s3,
      artifactBucket: this.#options.artifactBucket,
    };
    const input: CreateChangeSetInput = {
      StackName: this.#stack,
      ChangeSetName: name,
      ChangeSetType: type,
      ClientToken: `pw-create-${this.#hash}`,
      ...(await templateInput(this.#run, this.#config, upload)),
      ...(await parametersAndTags(this.#run, this.#config)),
      ...capabilities(this.#config),
      ...(this.#config.RoleArn ? { RoleARN: this.#config.RoleArn } : {}),
      Description:
        `Pipewright ${this.#run.pipeline} ${this.#run.executionId} ${this.#run.stage}/${this.#run.action.name}`.slice(
          0,
          1024,
        ),
    };
    await this.#cfn(
      new CreateChangeSetCommand(input),
      `creating change set ${name}`,
      'AlreadyExistsException',
    );
    const summary = `creating change set ${name} (${type}) of stack ${this.#stack}`;
    return this.#wait({ phase: 'changeSet', changeSet: name, next: then }, summary, CHANGE_SET_POLL_SECONDS);
  }

  async #pollChangeSet(name: string, execute: boolean): Promise<ActionOutcome> {
    const changeSet = await this.#describeChangeSet(name);
    if (changeSet === undefined) {
      // Executed by a duplicate delivery of this attempt (CloudFormation deletes executed change sets).
      if (execute) return this.#pollStack();
      return this.#failed(
        `change set ${name} of stack ${this.#stack} disappeared while it was being created; retry the action`,
      );
    }
    if (changeSet.Status === 'CREATE_PENDING' || changeSet.Status === 'CREATE_IN_PROGRESS') {
      return this.#wait(
        { phase: 'changeSet', changeSet: name, next: execute ? 'execute' : 'ready' },
        `change set ${name} is ${changeSet.Status}`,
        CHANGE_SET_POLL_SECONDS,
      );
    }
    if (NO_CHANGES.test(changeSet.StatusReason ?? '')) {
      if (!execute) return this.#succeeded(`change set ${name} of stack ${this.#stack} has no changes`);
      await this.#cfn(
        new DeleteChangeSetCommand({ StackName: this.#stack, ChangeSetName: name }),
        `deleting change set ${name}`,
        'ChangeSetNotFoundException',
      ).catch(() => undefined);
      return this.#succeeded(`stack ${this.#stack} is up to date: no changes`);
    }
    if (changeSet.Status !== 'CREATE_COMPLETE') return this.#checkChangeSet(name, changeSet);
    if (execute) return this.#execute(name, changeSet);
    const count = changeSet.Changes?.length ?? 0;
    return this.#succeeded(`change set ${name} of stack ${this.#stack} is ready with ${count} change(s)`);
  }

  #checkChangeSet(name: string, changeSet: DescribeChangeSetOutput): never {
    throw new ProviderFailure(
      'JobFailed',
      `change set ${name} of stack ${this.#stack} is ${changeSet.Status ?? 'unknown'}${changeSet.StatusReason ? `: ${changeSet.StatusReason}` : ''}`,
    );
  }

  async #execute(name: string, changeSet: DescribeChangeSetOutput): Promise<ActionOutcome> {
    const execution = changeSet.ExecutionStatus;
    if (execution === 'AVAILABLE') {
      const input = {
        StackName: this.#stack,
        ChangeSetName: name,
        ClientRequestToken: `pw-execute-${this.#hash}`,
      };
      await this.#cfn(new ExecuteChangeSetCommand(input), `executing change set ${name}`);
      return this.#wait(
        { phase: 'stack' },
        `executing change set ${name} of stack ${this.#stack}`,
        STACK_POLL_SECONDS,
        changeSet.StackId,
      );
    }
    if (execution === 'EXECUTE_IN_PROGRESS' || execution === 'EXECUTE_COMPLETE') return this.#pollStack();
    return this.#failed(
      `change set ${name} of stack ${this.#stack} cannot be executed: it is ${execution ?? 'unknown'}`,
    );
  }

  async #pollStack(): Promise<ActionOutcome> {
    const stack = await this.#describeStack();
    const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
    if (stack !== undefined && DONE.includes(status))
      return this.#succeeded(`stack ${this.#stack} is ${status}`, true, stack);
    if (status.endsWith('_IN_PROGRESS'))
      return this.#wait(
        { phase: 'stack' },
        `stack ${this.#stack} is ${status}`,
        STACK_POLL_SECONDS,
        stack?.StackId,
      );
    return this.#failed(
      `stack ${this.#stack} is ${status}${stack?.StackStatusReason ? ` (${stack.StackStatusReason})` : ''}` +
        (await this.#failedEvents()),
    );
  }

  #wait(state: WaitState, summary: string, seconds = STACK_POLL_SECONDS, stackId?: string): ActionOutcome {
    this.#run.log.write('system', `${summary}\n`);
    return inProgress(state, seconds, {
      summary,
      ...(stackId === undefined ? {} : { externalExecutionId: stackId }),
    });
  }

  #succeeded(summary: string, withOutputs = true, known?: Stack): Promise<ActionOutcome> {
    return stackSucceeded(
      this.#reader(),
      this.#run,
      this.#config.OutputFileName,
      summary,
      withOutputs,
      known,
    );
  }

  #describeStack(): Promise<Stack | undefined> {
    return describeStack(this.#reader());
  }

  #failedEvents(): Promise<string> {
    return failedStackEvents(this.#reader());
  }

  #reader(): StackReader {
    return { cloudformation: this.#options.cloudformation, stackName: this.#stack, signal: this.#run.signal };
  }

  #failed(message: string): ActionOutcome {
    this.#run.log.write('system', `${message}\n`);
    return { status: 'Failed', error: { type: 'JobFailed', message } };
  }

  /** Sends a command; `tolerated` names an error that means "already done". */
  /** Sends one command with the attempt's abort signal; `tolerated` names an error that means "already done". */
  async #cfn(command: { input: object }, doing: string, tolerated?: string): Promise<void> {
    await sendTolerating(this.#options.cloudformation, command, this.#run.signal, doing, tolerated);
  }

  async #describeChangeSet(name: string): Promise<DescribeChangeSetOutput | undefined> {
    try {
      return await this.#options.cloudformation.send(
        new DescribeChangeSetCommand({ StackName: this.#stack, ChangeSetName: name }),
        { abortSignal: this.#run.signal },
      );
    } catch (error) {
      if (isNamed(error, 'ChangeSetNotFoundException')) return undefined;
      throw awsFailure(error, `describing change set ${name}`);
    }
  }
}
