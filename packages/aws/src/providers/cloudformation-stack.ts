/**
 * Reading a CloudFormation stack for an action: its description (undefined when it does not
 * exist), the failures of its latest operation, and the success outcome with the stack's
 * outputs as output variables and as the `OutputFileName` JSON file.
 *
 * @example
 * ```ts
 * const reader = { cloudformation, stackName: 'web', signal };
 * const stack = await describeStack(reader);
 * ```
 */

import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  CancelUpdateStackCommand,
  type CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import type { ActionCancelRequest, ActionOutcome, ActionRun, StoredArtifact } from '@pipewright/engine';
import { awsFailure } from './aws-failure.ts';

/** A stack and how to read it. @example `{ cloudformation, stackName: 'web', signal: run.signal }` */
export interface StackReader {
  cloudformation: CloudFormationClient;
  stackName: string;
  signal: AbortSignal;
}

/**
 * The stack, or undefined when it does not exist.
 *
 * @example
 * ```ts
 * (await describeStack(reader))?.StackStatus; // 'UPDATE_COMPLETE'
 * ```
 */
export async function describeStack(reader: StackReader): Promise<Stack | undefined> {
  try {
    const output = await reader.cloudformation.send(
      new DescribeStacksCommand({ StackName: reader.stackName }),
      {
        abortSignal: reader.signal,
      },
    );
    return output.Stacks?.[0];
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) return undefined;
    throw awsFailure(error, `describing stack ${reader.stackName}`);
  }
}

/**
 * The last three resource failures of the stack's latest operation, as extra message lines.
 *
 * @example
 * ```ts
 * await failedStackEvents(reader); // '\nSite CREATE_FAILED: Bucket name already taken'
 * ```
 */
export async function failedStackEvents(reader: StackReader): Promise<string> {
  const output = await reader.cloudformation
    .send(new DescribeStackEventsCommand({ StackName: reader.stackName }), { abortSignal: reader.signal })
    .catch(() => undefined);
  const lines: string[] = [];
  for (const event of output?.StackEvents ?? []) {
    if (event.LogicalResourceId === reader.stackName && event.ResourceStatusReason === 'User Initiated')
      break;
    if (event.ResourceStatus?.endsWith('_FAILED') && event.ResourceStatusReason) {
      lines.push(`${event.LogicalResourceId} ${event.ResourceStatus}: ${event.ResourceStatusReason}`);
    }
  }
  return lines.length === 0 ? '' : `\n${lines.slice(-3).reverse().join('\n')}`;
}

/**
 * A Succeeded outcome: with `withOutputs`, the stack's outputs as variables and, when the
 * action has an output artifact, as its `outputFileName` JSON file.
 *
 * @example
 * ```ts
 * await stackSucceeded(reader, run, 'outputs.json', 'stack web is UPDATE_COMPLETE');
 * ```
 */
export async function stackSucceeded(
  reader: StackReader,
  run: ActionRun,
  outputFileName: string | undefined,
  summary: string,
  withOutputs = true,
  known?: Stack,
): Promise<ActionOutcome> {
  const stack = withOutputs ? (known ?? (await describeStack(reader))) : undefined;
  const outputVariables: Record<string, string> = {};
  if (stack?.StackStatus !== 'REVIEW_IN_PROGRESS') {
    for (const output of stack?.Outputs ?? []) {
      if (output.OutputKey) outputVariables[output.OutputKey] = output.OutputValue ?? '';
    }
  }
  const outputArtifacts: StoredArtifact[] = [];
  const artifact = run.action.outputArtifacts[0];
  if (artifact !== undefined && outputFileName !== undefined) {
    const dir = await mkdtemp(join(tmpdir(), 'pw-cfn-outputs-'));
    try {
      await writeFile(join(dir, basename(outputFileName)), `${JSON.stringify(outputVariables, null, 2)}\n`);
      outputArtifacts.push(await run.artifacts.putDirectory(dir, { name: artifact.name }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  run.log.write('system', `${summary}\n`);
  return {
    status: 'Succeeded',
    outputArtifacts,
    outputVariables,
    summary,
    ...(stack?.StackId ? { externalExecutionId: stack.StackId } : {}),
  };
}

/**
 * Sends a command; an error named `tolerated` means "already done" and is not one.
 *
 * @example
 * ```ts
 * await sendTolerating(client, new DeleteChangeSetCommand(input), signal, 'deleting change set x', 'ChangeSetNotFoundException');
 * ```
 */
export async function sendTolerating(
  client: CloudFormationClient,
  command: { input: object },
  signal: AbortSignal,
  doing: string,
  tolerated?: string,
): Promise<void> {
  const send = client.send.bind(client) as unknown as (
    c: unknown,
    o: { abortSignal: AbortSignal },
  ) => Promise<unknown>;
  try {
    await send(command, { abortSignal: signal });
  } catch (error) {
    if (tolerated !== undefined && isNamed(error, tolerated)) return;
    throw awsFailure(error, doing);
  }
}

/**
 * An operation other than a change set under review is running on the stack.
 *
 * @example
 * ```ts
 * isBusy('UPDATE_IN_PROGRESS'); // true
 * ```
 */
export function isBusy(status: string): boolean {
  return status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
}

/**
 * Whether an SDK error has this name (with or without the `Exception` suffix).
 *
 * @example
 * ```ts
 * isNamed(error, 'ChangeSetNotFoundException');
 * ```
 */
export function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && (error.name === name || error.name === name.replace(/Exception$/, ''));
}

/**
 * On a stop: an update still running is cancelled (CloudFormation rolls it back); a create or
 * a delete runs on.
 *
 * @example
 * ```ts
 * await cancelStackUpdate(cloudformation, request); // CancelUpdateStack when UPDATE_IN_PROGRESS
 * ```
 */
export async function cancelStackUpdate(
  cloudformation: CloudFormationClient,
  request: ActionCancelRequest,
): Promise<void> {
  const stackName = request.action.configuration.StackName;
  if (stackName === undefined) return;
  const signal = AbortSignal.timeout(60_000);
  const stack = await describeStack({ cloudformation, stackName, signal });
  if (stack?.StackStatus !== 'UPDATE_IN_PROGRESS') return;
  const token = `pw-cancel-${createHash('sha256').update(request.actionExecutionId).digest('hex').slice(0, 32)}`;
  await sendTolerating(
    cloudformation,
    new CancelUpdateStackCommand({ StackName: stackName, ClientRequestToken: token }),
    signal,
    `cancelling the update of stack ${stackName}`,
  );
}
