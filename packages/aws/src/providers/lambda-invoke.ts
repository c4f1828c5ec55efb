/**
 * `Invoke/Lambda` in AWS: Lambda Invoke (RequestResponse) of `FunctionName` with the same
 * CodePipeline-job event the local provider gives a module handler, so one function works in
 * both worlds — only the artifact locations differ: `{ type: 'S3', s3Location: { bucketName,
 * objectKey } }` here (zip objects; outputs are written by the function to the keys given,
 * under the attempt's prefix of the artifact bucket, and adopted into the artifact store).
 *
 * The handler's return value decides, as locally: `undefined` or `{ outputVariables?, summary?,
 * externalExecutionId? }` succeeds; `{ continuationToken }` invokes it again with the token (at
 * most 100 times); a function error (`FunctionError`) fails the action with the error's message
 * and the tail of the function's log.
 *
 * @example
 * ```ts
 * const provider = awsLambdaInvokeProvider({ lambda, artifactBucket: 'pw-artifacts', artifacts: store });
 * await provider.run(run); // configuration { FunctionName: 'check-release', UserParameters: '{"env":"prod"}' }
 * ```
 */
import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ActionProvider, ActionRun, StoredArtifact } from '@pipewright/engine';
import { guardOutcome, ProviderFailure } from '@pipewright/providers';
import { awsFailure } from './aws-failure.ts';
import { checkedConfiguration, configurationError, required } from './checked-configuration.ts';
import { type ClientSource, clientOf } from './client-source.ts';
import type { ArtifactAdopter } from './codebuild-completion.ts';
import { artifactPrefix } from './runner-build.ts';
import { s3Location } from './s3-location.ts';

/**
 * An S3 artifact location in the job event (CodePipeline's shape).
 *
 * @example
 * ```ts
 * const input: S3ArtifactLocation = { name: 'Build', location: { type: 'S3', s3Location: { bucketName: 'b', objectKey: 'k.zip' } } };
 * ```
 */
export interface S3ArtifactLocation {
  name: string;
  location: { type: 'S3'; s3Location: { bucketName: string; objectKey: string } };
}

/**
 * The event the function receives.
 *
 * @example
 * ```ts
 * export async function handler(event: AwsJobEvent) {
 *   return { outputVariables: { params: event['CodePipeline.job'].data.actionConfiguration.configuration.UserParameters } };
 * }
 * ```
 */
export interface AwsJobEvent {
  'CodePipeline.job': {
    id: string;
    accountId: string;
    data: {
      actionConfiguration: { configuration: { FunctionName: string; UserParameters?: string } };
      inputArtifacts: S3ArtifactLocation[];
      outputArtifacts: S3ArtifactLocation[];
      continuationToken?: string;
      encryptionKey?: { id: string; type: 'KMS' };
    };
  };
}

/**
 * Options of {@link awsLambdaInvokeProvider}.
 *
 * @example
 * ```ts
 * const options: AwsLambdaInvokeOptions = { lambda, artifactBucket: 'pipewright-prod-artifacts', artifacts: store };
 * ```
 */
export interface AwsLambdaInvokeOptions {
  /** The client, or the action's client (its `roleArn` and `region`). */
  lambda: ClientSource<LambdaClient>;
  /** Where the function writes its output artifacts. */
  artifactBucket: string;
  /** Needed when an action has output artifacts: adopts the objects the function wrote. */
  artifacts?: ArtifactAdopter;
  /** KMS key of the artifact bucket, passed as the job's `encryptionKey`. */
  kmsKeyArn?: string;
  /** The account shown as the job's `accountId` (default: the function ARN's account, else empty). */
  accountId?: string;
}

const MAX_CONTINUATIONS = 100;
const LOG_TAIL_LINES = 20;

/**
 * The Lambda invoke provider.
 *
 * @example
 * ```ts
 * awsLambdaInvokeProvider({ lambda, artifactBucket: 'pw-artifacts' }).categories; // ['Invoke']
 * ```
 */
export function awsLambdaInvokeProvider(options: AwsLambdaInvokeOptions): ActionProvider {
  return {
    categories: ['Invoke'],
    provider: 'Lambda',
    run: (run) => guardOutcome(() => invoke(run, options)),
  };
}

async function invoke(run: ActionRun, options: AwsLambdaInvokeOptions) {
  const config = checkedConfiguration(run);
  const lambda = await clientOf(options.lambda, run);
  const functionName = required(config, 'FunctionName');
  const outputs = outputLocations(run, options);
  if (outputs.length > 0 && options.artifacts === undefined) {
    configurationError(
      'this Invoke/Lambda action has output artifacts, but the action runner was not given the artifact store to adopt them; wire awsProviders({ artifacts })',
    );
  }
  const inputs: S3ArtifactLocation[] = run.inputs.map((input) => {
    const { bucket, key } = s3Location(input.artifact.uri, `input artifact ${input.name}`);
    return { name: input.name, location: { type: 'S3', s3Location: { bucketName: bucket, objectKey: key } } };
  });
  const accountId =
    options.accountId ?? /^arn:aws[a-z-]*:lambda:[^:]+:(\d{12}):/.exec(functionName)?.[1] ?? '';
  const job: JobParts = { functionName, accountId, userParameters: config.UserParameters, inputs, outputs };
  let continuationToken: string | undefined;
  for (let attempt = 0; ; attempt++) {
    const event = jobEvent(run, options, job, continuationToken);
    run.log.write('system', `invoking ${functionName}${attempt > 0 ? ` (continuation ${attempt})` : ''}\n`);
    const result = await invokeOnce(lambda, functionName, event, run);
    if (result.continuationToken !== undefined && result.continuationToken !== null) {
      if (attempt + 1 >= MAX_CONTINUATIONS) {
        throw new ProviderFailure(
          'JobFailed',
          `${functionName} asked to continue ${MAX_CONTINUATIONS} times; giving up`,
        );
      }
      continuationToken = String(result.continuationToken);
      continue;
    }
    return succeeded(result, outputs, options);
  }
}

/** What every invocation of one action's job shares. */
interface JobParts {
  functionName: string;
  accountId: string;
  userParameters: string | undefined;
  inputs: S3ArtifactLocation[];
  outputs: S3ArtifactLocation[];
}

/** What the handler returned, when it returned an object (or nothing: `{}`). */
interface HandlerResult {
  outputVariables?: Record<string, unknown>;
  summary?: unknown;
  externalExecutionId?: unknown;
  continuationToken?: unknown;
}

function outputLocations(run: ActionRun, options: AwsLambdaInvokeOptions): S3ArtifactLocation[] {
  return run.action.outputArtifacts.map((o) => ({
    name: o.name,
    location: {
      type: 'S3' as const,
      s3Location: { bucketName: options.artifactBucket, objectKey: `${artifactPrefix(run)}/${o.name}.zip` },
    },
  }));
}

function jobEvent(
  run: ActionRun,
  options: AwsLambdaInvokeOptions,
  job: JobParts,
  continuationToken: string | undefined,
): AwsJobEvent {
  return {
    'CodePipeline.job': {
      id: run.actionExecutionId,
      accountId: job.accountId,
      data: {
        actionConfiguration: {
          configuration: {
            FunctionName: job.functionName,
            ...(job.userParameters === undefined ? {} : { UserParameters: job.userParameters }),
          },
        },
        inputArtifacts: job.inputs,
        outputArtifacts: job.outputs,
        ...(continuationToken === undefined ? {} : { continuationToken }),
        ...(options.kmsKeyArn === undefined
          ? {}
          : { encryptionKey: { id: options.kmsKeyArn, type: 'KMS' as const } }),
      },
    },
  };
}

/** One RequestResponse invocation: the log tail is copied to the action's log; a function error or a non-object result fails the action. */
async function invokeOnce(
  lambda: LambdaClient,
  functionName: string,
  event: AwsJobEvent,
  run: ActionRun,
): Promise<HandlerResult> {
  let response: InvokeCommandOutput;
  try {
    response = await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        LogType: 'Tail',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
      { abortSignal: run.signal },
    );
  } catch (error) {
    throw awsFailure(
      error,
      `invoking ${functionName}`,
      'check FunctionName and that the function exists in this region',
    );
  }
  const log = response.LogResult ? Buffer.from(response.LogResult, 'base64').toString('utf8') : '';
  if (log) run.log.write('stdout', log.endsWith('\n') ? log : `${log}\n`);
  const text = response.Payload ? new TextDecoder().decode(response.Payload) : '';
  if (response.FunctionError) {
    const error = parseJson(text) as { errorMessage?: unknown; errorType?: unknown } | undefined;
    const message =
      typeof error?.errorMessage === 'string' ? error.errorMessage : text || response.FunctionError;
    const type = typeof error?.errorType === 'string' ? `${error.errorType}: ` : '';
    throw new ProviderFailure('JobFailed', `${functionName} failed: ${type}${message}`, logTail(log));
  }
  const value = text.trim() === '' ? undefined : parseJson(text);
  if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
    throw new ProviderFailure(
      'JobFailed',
      `${functionName} returned ${Array.isArray(value) ? 'an array' : typeof value}; return an object or nothing`,
    );
  }
  return (value ?? {}) as HandlerResult;
}

async function succeeded(
  result: HandlerResult,
  outputs: S3ArtifactLocation[],
  options: AwsLambdaInvokeOptions,
) {
  const outputVariables: Record<string, string> = {};
  for (const [key, v] of Object.entries(result.outputVariables ?? {})) {
    outputVariables[key] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  const artifacts: StoredArtifact[] = [];
  for (const output of outputs) {
    const uri = `s3://${output.location.s3Location.bucketName}/${output.location.s3Location.objectKey}`;
    artifacts.push(await (options.artifacts as ArtifactAdopter).adopt(output.name, uri));
  }
  return {
    status: 'Succeeded' as const,
    outputArtifacts: artifacts,
    outputVariables,
    ...(result.summary === undefined ? {} : { summary: String(result.summary) }),
    ...(result.externalExecutionId === undefined
      ? {}
      : { externalExecutionId: String(result.externalExecutionId) }),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function logTail(log: string): string[] | undefined {
  const lines = log.split('\n').filter((l) => l.trim() !== '');
  return lines.length === 0 ? undefined : lines.slice(-LOG_TAIL_LINES);
}
