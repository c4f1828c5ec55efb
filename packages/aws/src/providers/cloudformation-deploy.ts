/**
 * `Deploy/CloudFormation` in AWS, through change sets:
 *
 * - `CHANGE_SET_REPLACE`: (re)creates the change set `ChangeSetName` (CREATE for a new stack,
 *   UPDATE otherwise) and waits until it is ready; nothing is executed.
 * - `CHANGE_SET_EXECUTE`: executes `ChangeSetName` and waits for the stack.
 * - `CREATE_UPDATE` (and `REPLACE_ON_FAILURE`, which first deletes a stack in a failed state;
 *   `CREATE_UPDATE` deletes a `ROLLBACK_COMPLETE` stack, as CodePipeline does): a change set
 *   named after the attempt, created, executed, waited for.
 * - `DELETE_ONLY`: deletes the stack (a missing stack is already deleted).
 *
 * A change set without changes ("didn't contain changes" / "No updates are to be performed")
 * succeeds without executing anything. `TemplatePath` and `TemplateConfiguration` are
 * `ArtifactName::path` in an input artifact; templates over 51,200 bytes are uploaded to the
 * artifact bucket and passed by URL. `ParameterOverrides` (JSON) override the template
 * configuration's `Parameters`. The stack's outputs become the action's output variables (and
 * the `OutputFileName` JSON file of its output artifact). Requests carry tokens derived from
 * the action execution id, so a duplicate delivery executes nothing twice.
 *
 * @example
 * ```ts
 * const provider = awsCloudFormationDeployProvider({ cloudformation, s3, artifactBucket: 'pw-artifacts' });
 * await provider.run(run); // configuration { ActionMode: 'CREATE_UPDATE', StackName: 'web', TemplatePath: 'Build::template.yaml' }
 * ```
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve, sep } from 'node:path';
import {
  type Capability,
  type CloudFormationClient,
  CreateChangeSetCommand,
  type CreateChangeSetInput,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  type DescribeChangeSetOutput,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Parameter,
  type Stack,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ActionOutcome, ActionProvider, ActionRun, StoredArtifact } from '@pipewright/engine';
import { guardOutcome, ProviderFailure } from '@pipewright/providers';
import { awsFailure } from './aws-failure.ts';
import { checkedConfiguration, configurationError, required } from './checked-configuration.ts';
import { artifactPrefix } from './runner-build.ts';

/**
 * How long and how often the provider polls CloudFormation (defaults: the SDK's delays, 14 minutes at most).
 *
 * @example
 * ```ts
 * const wait: CloudFormationWait = { minDelaySeconds: 5, maxDelaySeconds: 30, maxWaitSeconds: 600 };
 * ```
 */
export interface CloudFormationWait {
  minDelaySeconds?: number;
  maxDelaySeconds?: number;
  maxWaitSeconds?: number;
}

/**
 * Options of {@link awsCloudFormationDeployProvider}.
 *
 * @example
 * ```ts
 * const options: CloudFormationDeployOptions = { cloudformation, s3, artifactBucket: 'pipewright-prod-artifacts' };
 * ```
 */
export interface CloudFormationDeployOptions {
  cloudformation: CloudFormationClient;
  /** Uploads templates too large to pass inline. */
  s3: S3Client;
  artifactBucket: string;
  wait?: CloudFormationWait;
}

/** Largest template CloudFormation accepts as `TemplateBody`. */
const MAX_TEMPLATE_BODY = 51_200;
const DEFAULT_MAX_WAIT_SECONDS = 14 * 60;
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
    run: (run) => guardOutcome(() => new Deployment(run, options).deploy()),
  };
}

/** One attempt of a CloudFormation action. */
class Deployment {
  readonly #run: ActionRun;
  readonly #options: CloudFormationDeployOptions;
  readonly #config: Config;
  readonly #stack: string;
  readonly #hash: string;

  constructor(run: ActionRun, options: CloudFormationDeployOptions) {
    this.#run = run;
    this.#options = options;
    this.#config = checkedConfiguration(run);
    this.#stack = required(this.#config, 'StackName');
    this.#hash = createHash('sha256').update(run.actionExecutionId).digest('hex').slice(0, 32);
  }

  async deploy(): Promise<ActionOutcome> {
    const output = this.#run.action.outputArtifacts[0];
    if (output !== undefined && this.#config.OutputFileName === undefined) {
      configurationError(
        `output artifact ${output.name} needs OutputFileName: the file of the artifact that receives the stack outputs`,
      );
    }
    const mode = required(this.#config, 'ActionMode');
    if (mode === 'DELETE_ONLY') return this.#deleteOnly();
    if (mode === 'CHANGE_SET_EXECUTE') return this.#executeNamed(required(this.#config, 'ChangeSetName'));
    if (mode === 'CHANGE_SET_REPLACE') return this.#replaceChangeSet(required(this.#config, 'ChangeSetName'));
    return this.#createUpdate(mode === 'REPLACE_ON_FAILURE');
  }

  async #replaceChangeSet(name: string): Promise<ActionOutcome> {
    const stack = await this.#describeStack();
    try {
      await this.#options.cloudformation.send(
        new DeleteChangeSetCommand({ StackName: this.#stack, ChangeSetName: name }),
        { abortSignal: this.#run.signal },
      );
    } catch (error) {
      if (!isNamed(error, 'ChangeSetNotFoundException'))
        throw awsFailure(error, `deleting change set ${name}`);
    }
    const changeSet = await this.#createChangeSet(name, stack);
    if (NO_CHANGES.test(changeSet.StatusReason ?? '')) {
      return this.#succeeded(`change set ${name} of stack ${this.#stack} has no changes`);
    }
    this.#checkChangeSet(name, changeSet);
    const count = changeSet.Changes?.length ?? 0;
    return this.#succeeded(`change set ${name} of stack ${this.#stack} is ready with ${count} change(s)`);
  }

  async #executeNamed(name: string): Promise<ActionOutcome> {
    let changeSet: DescribeChangeSetOutput;
    try {
      changeSet = await this.#options.cloudformation.send(
        new DescribeChangeSetCommand({ StackName: this.#stack, ChangeSetName: name }),
        { abortSignal: this.#run.signal },
      );
    } catch (error) {
      if (isNamed(error, 'ChangeSetNotFoundException')) {
        configurationError(
          `stack ${this.#stack} has no change set ${name}; create it with a CHANGE_SET_REPLACE action before this one`,
        );
      }
      throw awsFailure(error, `describing change set ${name}`);
    }
    if (NO_CHANGES.test(changeSet.StatusReason ?? '')) {
      return this.#succeeded(`change set ${name} of stack ${this.#stack} has no changes; nothing executed`);
    }
    this.#checkChangeSet(name, changeSet);
    return this.#execute(name, changeSet);
  }

  async #createUpdate(replaceOnFailure: boolean): Promise<ActionOutcome> {
    let stack = await this.#describeStack();
    let status = stack?.StackStatus ?? '';
    if (status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS') {
      // Another operation (or a duplicate delivery of this attempt) is running: let it finish first.
      this.#run.log.write('system', `stack ${this.#stack} is ${status}; waiting for it to finish\n`);
      await this.#waitForStack(status);
      stack = await this.#describeStack();
      status = stack?.StackStatus ?? '';
      if (status.endsWith('_IN_PROGRESS')) {
        return this.#failed(
          `stack ${this.#stack} is still ${status}; retry the action once CloudFormation finishes`,
        );
      }
    }
    if (stack && (status === 'ROLLBACK_COMPLETE' || (replaceOnFailure && FAILED_STATES.includes(status)))) {
      this.#run.log.write('system', `deleting stack ${this.#stack} (${status}) before creating it again\n`);
      const deleted = await this.#delete(stack);
      if (deleted !== undefined) return deleted;
      stack = undefined;
    }
    const name = `pipewright-${this.#hash.slice(0, 24)}`;
    const changeSet = await this.#createChangeSet(name, stack);
    if (NO_CHANGES.test(changeSet.StatusReason ?? '')) {
      await this.#options.cloudformation
        .send(new DeleteChangeSetCommand({ StackName: this.#stack, ChangeSetName: name }), {
          abortSignal: this.#run.signal,
        })
        .catch(() => undefined);
      return this.#succeeded(`stack ${this.#stack} is up to date: no changes`);
    }
    this.#checkChangeSet(name, changeSet);
    return this.#execute(name, changeSet);
  }

  async #deleteOnly(): Promise<ActionOutcome> {
    const stack = await this.#describeStack();
    if (stack === undefined)
      return this.#succeeded(`stack ${this.#stack} does not exist; nothing to delete`, false);
    return (await this.#delete(stack)) ?? this.#succeeded(`stack ${this.#stack} deleted`, false);
  }

  /** Deletes the stack and waits; a failed outcome when it is still there. */
  async #delete(stack: Stack): Promise<ActionOutcome | undefined> {
    if (stack.StackStatus !== 'DELETE_IN_PROGRESS') {
      await this.#options.cloudformation
        .send(
          new DeleteStackCommand({
            StackName: this.#stack,
            ClientRequestToken: `pw-delete-${this.#hash}`,
            ...(this.#config.RoleArn ? { RoleARN: this.#config.RoleArn } : {}),
          }),
          { abortSignal: this.#run.signal },
        )
        .catch((error: unknown) => {
          throw awsFailure(error, `deleting stack ${this.#stack}`);
        });
    }
    await waitUntilStackDeleteComplete(this.#waiter(), { StackName: this.#stack }).catch(() => undefined);
    const after = await this.#describeStack();
    if (after === undefined || after.StackStatus === 'DELETE_COMPLETE') return undefined;
    return this.#failed(
      `stack ${this.#stack} could not be deleted: ${after.StackStatus}${after.StackStatusReason ? ` (${after.StackStatusReason})` : ''}` +
        (await this.#failedEvents()),
    );
  }

  async #createChangeSet(name: string, stack: Stack | undefined): Promise<DescribeChangeSetOutput> {
    const type = stack === undefined || stack.StackStatus === 'REVIEW_IN_PROGRESS' ? 'CREATE' : 'UPDATE';
    const input: CreateChangeSetInput = {
      StackName: this.#stack,
      ChangeSetName: name,
      ChangeSetType: type,
      ClientToken: `pw-create-${this.#hash}`,
      ...(await this.#template()),
      ...(await this.#parametersAndTags()),
      ...(this.#capabilities() ?? {}),
      ...(this.#config.RoleArn ? { RoleARN: this.#config.RoleArn } : {}),
      Description:
        `Pipewright ${this.#run.pipeline} ${this.#run.executionId} ${this.#run.stage}/${this.#run.action.name}`.slice(
          0,
          1024,
        ),
    };
    try {
      await this.#options.cloudformation.send(new CreateChangeSetCommand(input), {
        abortSignal: this.#run.signal,
      });
      this.#run.log.write('system', `creating change set ${name} (${type}) of stack ${this.#stack}\n`);
    } catch (error) {
      if (!isNamed(error, 'AlreadyExistsException')) throw awsFailure(error, `creating change set ${name}`);
    }
    await waitUntilChangeSetCreateComplete(this.#waiter(), {
      StackName: this.#stack,
      ChangeSetName: name,
    }).catch(() => undefined);
    return this.#options.cloudformation
      .send(new DescribeChangeSetCommand({ StackName: this.#stack, ChangeSetName: name }), {
        abortSignal: this.#run.signal,
      })
      .catch((error: unknown) => {
        throw awsFailure(error, `describing change set ${name}`);
      });
  }

  #checkChangeSet(name: string, changeSet: DescribeChangeSetOutput): void {
    if (changeSet.Status === 'CREATE_COMPLETE') return;
    throw new ProviderFailure(
      'JobFailed',
      `change set ${name} of stack ${this.#stack} is ${changeSet.Status ?? 'unknown'}${changeSet.StatusReason ? `: ${changeSet.StatusReason}` : ''}`,
    );
  }

  async #execute(name: string, changeSet: DescribeChangeSetOutput): Promise<ActionOutcome> {
    const before = (await this.#describeStack())?.StackStatus ?? 'REVIEW_IN_PROGRESS';
    const execution = changeSet.ExecutionStatus;
    if (execution === 'AVAILABLE') {
      await this.#options.cloudformation
        .send(
          new ExecuteChangeSetCommand({
            StackName: this.#stack,
            ChangeSetName: name,
            ClientRequestToken: `pw-execute-${this.#hash}`,
          }),
          { abortSignal: this.#run.signal },
        )
        .catch((error: unknown) => {
          throw awsFailure(error, `executing change set ${name}`);
        });
      this.#run.log.write('system', `executing change set ${name} of stack ${this.#stack}\n`);
      await this.#waitForStack(before === 'REVIEW_IN_PROGRESS' ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS');
    } else if (execution === 'EXECUTE_IN_PROGRESS') {
      await this.#waitForStack(before);
    } else if (execution !== 'EXECUTE_COMPLETE') {
      return this.#failed(
        `change set ${name} of stack ${this.#stack} cannot be executed: it is ${execution ?? 'unknown'}`,
      );
    }
    const stack = await this.#describeStack();
    const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
    if (stack !== undefined && DONE.includes(status))
      return this.#succeeded(`stack ${this.#stack} is ${status}`, true, stack);
    if (status.endsWith('_IN_PROGRESS')) {
      return this.#failed(
        `stack ${this.#stack} is still ${status} after waiting; CloudFormation continues, retry the action to wait again`,
      );
    }
    return this.#failed(
      `stack ${this.#stack} is ${status}${stack?.StackStatusReason ? ` (${stack.StackStatusReason})` : ''}` +
        (await this.#failedEvents()),
    );
  }

  /** Waits with the waiter whose acceptors end on the outcome of the operation `status` belongs to. */
  async #waitForStack(status: string): Promise<void> {
    const wait =
      status === 'REVIEW_IN_PROGRESS' || status.startsWith('CREATE_') || status.startsWith('ROLLBACK_')
        ? waitUntilStackCreateComplete
        : status.startsWith('DELETE_')
          ? waitUntilStackDeleteComplete
          : waitUntilStackUpdateComplete;
    await wait(this.#waiter(), { StackName: this.#stack }).catch(() => undefined);
  }

  async #succeeded(summary: string, withOutputs = true, known?: Stack): Promise<ActionOutcome> {
    const stack = withOutputs ? (known ?? (await this.#describeStack())) : undefined;
    const outputVariables: Record<string, string> = {};
    if (stack?.StackStatus !== 'REVIEW_IN_PROGRESS') {
      for (const output of stack?.Outputs ?? []) {
        if (output.OutputKey) outputVariables[output.OutputKey] = output.OutputValue ?? '';
      }
    }
    const outputArtifacts: StoredArtifact[] = [];
    const artifact = this.#run.action.outputArtifacts[0];
    const fileName = this.#config.OutputFileName;
    if (artifact !== undefined && fileName !== undefined) {
      const dir = await mkdtemp(join(tmpdir(), 'pw-cfn-outputs-'));
      try {
        await writeFile(join(dir, basename(fileName)), `${JSON.stringify(outputVariables, null, 2)}\n`);
        outputArtifacts.push(await this.#run.artifacts.putDirectory(dir, { name: artifact.name }));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    this.#run.log.write('system', `${summary}\n`);
    return {
      status: 'Succeeded',
      outputArtifacts,
      outputVariables,
      summary,
      ...(stack?.StackId ? { externalExecutionId: stack.StackId } : {}),
    };
  }

  #failed(message: string): ActionOutcome {
    this.#run.log.write('system', `${message}\n`);
    return { status: 'Failed', error: { type: 'JobFailed', message } };
  }

  async #describeStack(): Promise<Stack | undefined> {
    try {
      const output = await this.#options.cloudformation.send(
        new DescribeStacksCommand({ StackName: this.#stack }),
        { abortSignal: this.#run.signal },
      );
      return output.Stacks?.[0];
    } catch (error) {
      if (error instanceof Error && /does not exist/.test(error.message)) return undefined;
      throw awsFailure(error, `describing stack ${this.#stack}`);
    }
  }

  /** The first resource failures of the stack's latest operation, as extra message lines. */
  async #failedEvents(): Promise<string> {
    const output = await this.#options.cloudformation
      .send(new DescribeStackEventsCommand({ StackName: this.#stack }), { abortSignal: this.#run.signal })
      .catch(() => undefined);
    const lines: string[] = [];
    for (const event of output?.StackEvents ?? []) {
      if (event.LogicalResourceId === this.#stack && event.ResourceStatusReason === 'User Initiated') break;
      if (event.ResourceStatus?.endsWith('_FAILED') && event.ResourceStatusReason) {
        lines.push(`${event.LogicalResourceId} ${event.ResourceStatus}: ${event.ResourceStatusReason}`);
      }
    }
    return lines.length === 0 ? '' : `\n${lines.slice(-3).reverse().join('\n')}`;
  }

  async #template(): Promise<Pick<CreateChangeSetInput, 'TemplateBody' | 'TemplateURL'>> {
    const ref = this.#config.TemplatePath;
    if (ref === undefined) return configurationError('TemplatePath is required to create a change set');
    const { text, path } = await artifactFile(this.#run, ref, 'TemplatePath');
    if (Buffer.byteLength(text) <= MAX_TEMPLATE_BODY) return { TemplateBody: text };
    const key = `${artifactPrefix(this.#run)}/templates/${basename(path)}`;
    const bucket = this.#options.artifactBucket;
    await this.#options.s3
      .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text }), { abortSignal: this.#run.signal })
      .catch((error: unknown) => {
        throw awsFailure(error, `uploading the template to s3://${bucket}/${key}`);
      });
    const region = await this.#options.cloudformation.config.region();
    const encodedKey = key.split('/').map(encodeURIComponent).join('/');
    return { TemplateURL: `https://${bucket}.s3.${region}.amazonaws.com/${encodedKey}` };
  }

  async #parametersAndTags(): Promise<Pick<CreateChangeSetInput, 'Parameters' | 'Tags'>> {
    const values: Record<string, unknown> = {};
    let tags: Record<string, unknown> = {};
    if (this.#config.TemplateConfiguration !== undefined) {
      const { text } = await artifactFile(
        this.#run,
        this.#config.TemplateConfiguration,
        'TemplateConfiguration',
      );
      const parsed = parseJson(text, 'TemplateConfiguration');
      if (!isRecord(parsed))
        configurationError('TemplateConfiguration must be a JSON object with Parameters, Tags');
      if (parsed.Parameters !== undefined && !isRecord(parsed.Parameters)) {
        configurationError('TemplateConfiguration Parameters must be an object of names to values');
      }
      if (parsed.Tags !== undefined && !isRecord(parsed.Tags)) {
        configurationError('TemplateConfiguration Tags must be an object of keys to values');
      }
      if (parsed.StackPolicy !== undefined) {
        this.#run.log.write(
          'system',
          'TemplateConfiguration StackPolicy is not applied through change sets\n',
        );
      }
      Object.assign(values, parsed.Parameters ?? {});
      tags = (parsed.Tags as Record<string, unknown> | undefined) ?? {};
    }
    if (this.#config.ParameterOverrides !== undefined) {
      Object.assign(values, parseJson(this.#config.ParameterOverrides, 'ParameterOverrides'));
    }
    const text = (where: string, key: string, value: unknown): string => {
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return configurationError(
        `${where} ${key} must be a string; Fn::GetParam and Fn::GetArtifactAtt are not supported, use #{Namespace.Variable} references`,
      );
    };
    const parameters: Parameter[] = Object.entries(values).map(([key, value]) => ({
      ParameterKey: key,
      ParameterValue: text('parameter', key, value),
    }));
    const tagList = Object.entries(tags).map(([key, value]) => ({
      Key: key,
      Value: text('tag', key, value),
    }));
    return {
      ...(parameters.length === 0 ? {} : { Parameters: parameters }),
      ...(tagList.length === 0 ? {} : { Tags: tagList }),
    };
  }

  #capabilities(): Pick<CreateChangeSetInput, 'Capabilities'> | undefined {
    const list = (this.#config.Capabilities ?? '')
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean) as Capability[];
    return list.length === 0 ? undefined : { Capabilities: list };
  }

  #waiter() {
    const wait = this.#options.wait ?? {};
    return {
      client: this.#options.cloudformation,
      maxWaitTime: wait.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS,
      abortSignal: this.#run.signal,
      ...(wait.minDelaySeconds === undefined ? {} : { minDelay: wait.minDelaySeconds }),
      ...(wait.maxDelaySeconds === undefined ? {} : { maxDelay: wait.maxDelaySeconds }),
    };
  }
}

/** The text of `ArtifactName::path` from an input artifact. */
async function artifactFile(
  run: ActionRun,
  ref: string,
  key: string,
): Promise<{ text: string; path: string }> {
  const at = ref.indexOf('::');
  const name = at > 0 ? ref.slice(0, at) : '';
  const path = at > 0 ? ref.slice(at + 2) : '';
  if (!name || !path)
    configurationError(`${key} ${JSON.stringify(ref)} must be "ArtifactName::path/in/artifact"`);
  const input = run.inputs.find((i) => i.name === name);
  if (input === undefined) {
    return configurationError(
      `${key} names artifact ${name}, which is not an input of the action (inputs: ${run.inputs.map((i) => i.name).join(', ') || 'none'})`,
    );
  }
  const file = resolve(input.dir, path);
  if (!file.startsWith(`${input.dir}${sep}`))
    configurationError(`${key} ${JSON.stringify(ref)} points outside artifact ${name}`);
  const text = await readFile(file, 'utf8').catch(() =>
    configurationError(`${key}: artifact ${name} has no file ${path}`),
  );
  return { text, path };
}

function parseJson(text: string, key: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return configurationError(`${key} is not valid JSON`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && (error.name === name || error.name === name.replace(/Exception$/, ''));
}
