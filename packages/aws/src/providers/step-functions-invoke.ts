/**
 * `Invoke/StepFunctions` as CodePipeline runs it: `StartExecution` of `StateMachineArn` with
 * `Input` (`InputType` `Literal`, the default: the text itself; `FilePath`: that file of the
 * input artifact), polled with `DescribeExecution` until it ends (up to 7 days). The
 * execution's name is `ExecutionNamePrefix` and a hash of the action execution id: Step
 * Functions starts one execution per name, so a start made again starts nothing twice. On
 * success the execution's output is the output artifact's `output.json`, and `StateMachineArn`
 * and `ExecutionArn` are the output variables. A stop stops the execution (`StopExecution`).
 *
 * @example
 * ```ts
 * const provider = awsStepFunctionsInvokeProvider({ sfn });
 * await provider.run(run); // { status: 'InProgress', state: { executionArn }, pollAfterSeconds: 10 }
 * ```
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import {
  DescribeExecutionCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type {
  ActionCancelRequest,
  ActionOutcome,
  ActionProvider,
  ActionRun,
  StoredArtifact,
} from '@pipewright/engine';
import { ProviderFailure } from '@pipewright/providers';
import { awsFailure } from './aws-failure.ts';
import { checkedConfiguration, configurationError, required } from './checked-configuration.ts';
import { type ClientSource, clientOf } from './client-source.ts';
import { inProgress, longWait, type WaitState } from './long-wait.ts';

/** Seconds between looks at the execution. */
export const STEP_FUNCTIONS_POLL_SECONDS = 10;
/** The file of the output artifact holding the execution's output. */
export const STEP_FUNCTIONS_OUTPUT_FILE = 'output.json';

/**
 * Options of {@link awsStepFunctionsInvokeProvider}.
 *
 * @example
 * ```ts
 * const options: StepFunctionsInvokeOptions = { sfn: new SFNClient({}) };
 * ```
 */
export interface StepFunctionsInvokeOptions {
  /** The client, or how to make it for an action (its `roleArn` and `region`). */
  sfn: ClientSource<SFNClient>;
}

/**
 * The Step Functions invoke provider.
 *
 * @example
 * ```ts
 * awsStepFunctionsInvokeProvider({ sfn }).provider; // 'StepFunctions'
 * ```
 */
export function awsStepFunctionsInvokeProvider(options: StepFunctionsInvokeOptions): ActionProvider {
  return {
    categories: ['Invoke'],
    provider: 'StepFunctions',
    run: (run) =>
      longWait(run, { start: () => start(run, options), poll: (state) => poll(run, options, state) }),
    cancel: async (request) => stopStepFunctionsExecution(await clientOf(options.sfn, request), request),
  };
}

/**
 * The deterministic execution name of an attempt: the prefix, a dash, 20 hex digits of the
 * action execution id's SHA-256 (Step Functions names allow no `:`).
 *
 * @example
 * ```ts
 * executionName('release', '7f0c:Deploy:Migrate:0:1'); // 'release-' + 20 hex digits
 * ```
 */
export function executionName(prefix: string | undefined, actionExecutionId: string): string {
  const hash = createHash('sha256').update(actionExecutionId).digest('hex').slice(0, 20);
  return prefix === undefined || prefix === '' ? hash : `${prefix}-${hash}`;
}

function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

async function start(run: ActionRun, options: StepFunctionsInvokeOptions): Promise<ActionOutcome> {
  const config = checkedConfiguration(run);
  const stateMachineArn = required(config, 'StateMachineArn');
  const name = executionName(config.ExecutionNamePrefix, run.actionExecutionId);
  const input = await inputOf(run, config);
  let executionArn: string;
  try {
    const sfn = await clientOf(options.sfn, run);
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }), {
      abortSignal: run.signal,
    });
    executionArn = started.executionArn ?? executionArnOf(stateMachineArn, name);
  } catch (error) {
    // Started before (by this attempt: the name is its own): poll that execution.
    if (!(error instanceof Error && error.name === 'ExecutionAlreadyExists')) {
      throw awsFailure(error, `starting an execution of ${stateMachineArn}`);
    }
    executionArn = executionArnOf(stateMachineArn, name);
  }
  const summary = `execution ${name} of ${stateMachineArn} started`;
  run.log.write('system', `${summary}\n`);
  return inProgress({ executionArn }, STEP_FUNCTIONS_POLL_SECONDS, {
    summary,
    externalExecutionId: executionArn,
  });
}

async function poll(
  run: ActionRun,
  options: StepFunctionsInvokeOptions,
  state: WaitState,
): Promise<ActionOutcome> {
  const executionArn = String(state.executionArn);
  const sfn = await clientOf(options.sfn, run);
  const execution = await sfn
    .send(new DescribeExecutionCommand({ executionArn }), { abortSignal: run.signal })
    .catch((error: unknown) => {
      throw awsFailure(error, `describing execution ${executionArn}`);
    });
  if (execution.status === 'RUNNING' || execution.status === 'PENDING_REDRIVE') {
    return inProgress(state, STEP_FUNCTIONS_POLL_SECONDS, {
      summary: `execution ${execution.name} is running`,
    });
  }
  if (execution.status !== 'SUCCEEDED') {
    const message = `execution ${executionArn} ${execution.status ?? 'ended'}${execution.error ? `: ${execution.error}` : ''}${execution.cause ? ` (${execution.cause})` : ''}`;
    run.log.write('system', `${message}\n`);
    return { status: 'Failed', error: { type: 'JobFailed', message }, externalExecutionId: executionArn };
  }
  const outputArtifacts = await outputArtifact(run, execution.output ?? '{}');
  const summary = `execution ${execution.name} succeeded`;
  run.log.write('system', `${summary}\n`);
  return {
    status: 'Succeeded',
    outputArtifacts,
    outputVariables: { StateMachineArn: execution.stateMachineArn ?? '', ExecutionArn: executionArn },
    summary,
    externalExecutionId: executionArn,
  };
}

/**
 * On a stop: stops the attempt's execution (its ARN as reported, or derived from its name).
 *
 * @example
 * ```ts
 * await stopStepFunctionsExecution(sfn, request); // StopExecution { executionArn, error: 'Pipewright.Stopped', cause }
 * ```
 */
export async function stopStepFunctionsExecution(
  sfn: SFNClient,
  request: ActionCancelRequest,
): Promise<void> {
  const stateMachineArn = request.action.configuration.StateMachineArn;
  if (stateMachineArn === undefined) return;
  const executionArn =
    request.externalExecutionId ??
    executionArnOf(
      stateMachineArn,
      executionName(request.action.configuration.ExecutionNamePrefix, request.actionExecutionId),
    );
  await sfn.send(
    new StopExecutionCommand({
      executionArn,
      error: 'Pipewright.Stopped',
      cause: request.reason.slice(0, 32_768),
    }),
    { abortSignal: AbortSignal.timeout(60_000) },
  );
}

/** The execution's input: the literal text, or the file of the input artifact; it must be JSON. */
async function inputOf(
  run: ActionRun,
  config: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  let text = config.Input ?? '{}';
  if (config.InputType === 'FilePath') {
    const artifact = run.inputs[0];
    if (artifact === undefined)
      return configurationError('InputType FilePath needs an input artifact holding the file');
    const file = resolve(artifact.dir, text);
    if (!file.startsWith(`${artifact.dir}${sep}`))
      configurationError(`Input ${text} points outside artifact ${artifact.name}`);
    text = await readFile(file, 'utf8').catch(() =>
      configurationError(`artifact ${artifact.name} has no file ${text} (Input)`),
    );
  }
  try {
    JSON.parse(text);
  } catch {
    throw new ProviderFailure(
      'ConfigurationError',
      `the execution input is not JSON; Step Functions takes a JSON document as input`,
    );
  }
  return text;
}

async function outputArtifact(run: ActionRun, output: string): Promise<StoredArtifact[]> {
  const artifact = run.action.outputArtifacts[0];
  if (artifact === undefined) return [];
  const dir = await mkdtemp(join(tmpdir(), 'pw-sfn-output-'));
  try {
    await writeFile(join(dir, STEP_FUNCTIONS_OUTPUT_FILE), output);
    return [await run.artifacts.putDirectory(dir, { name: artifact.name })];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
