/**
 * Carries out one action attempt: a fresh workspace holding the input artifacts, the
 * provider run with a live log and the action's timeout, output artifacts recorded by
 * reference. Any throw becomes a Failed result: nothing a provider does can lose the attempt.
 *
 * @example
 * ```ts
 * const { result } = await runActionAttempt({ pipeline, executionId, run, signal, options, newId });
 * ```
 */
import { mkdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import {
  type ActionResult,
  type ActionToRun,
  type Artifact,
  actionTimeoutSeconds,
  type Pipeline,
} from '@pipewright/core';
import type { ActionInput, ActionOutcome, ActionProvider, ActionRun } from './action-provider.ts';
import { AttemptLog } from './attempt-log.ts';
import type { ActionLogStore } from './ports/action-log-store.ts';
import type { ArtifactStore, StoredArtifact } from './ports/artifact-store.ts';

/** An outcome that ends the attempt. @example `{ status: 'Failed', error: { type: 'JobFailed', message: 'exit 1' } }` */
export type EndedOutcome = Extract<ActionOutcome, { status: 'Succeeded' | 'Failed' }>;
/** A provider's answer that its long wait goes on. @example `{ status: 'InProgress', state: { stackId }, pollAfterSeconds: 15 }` */
export type InProgressOutcome = Extract<ActionOutcome, { status: 'InProgress' }>;

/** An approval that waits for a decision: what its link and notification show. */
export interface ApprovalRequest {
  pipeline: string;
  executionId: string;
  approvalId: string;
  stageName: string;
  actionName: string;
  expiresAt: string;
  customData?: string;
  externalEntityLink?: string;
}

/** What {@link runActionAttempt} needs from the engine's options. */
export interface AttemptOptions {
  artifacts: ArtifactStore;
  /** Told about problems that do not change the outcome (a log that could not be stored). */
  onWarning?: (message: string) => void;
  logs: ActionLogStore;
  providers: readonly ActionProvider[];
  workspaceRoot: string;
  projectDir: (pipeline: string) => string;
  onLog?: (
    ref: ActionToRun & { executionId: string },
    stream: 'stdout' | 'stderr' | 'system',
    text: string,
  ) => void;
  /**
   * Runs follow-up work of the attempt later, off the path to its outcome (creating the empty
   * log of an attempt that wrote nothing). Without it the work is done before the attempt returns.
   */
  defer?: (work: () => Promise<void>) => void;
}

/**
 * An attempt's directory, made (fresh and empty) only when first used: by the input
 * artifacts, or by a provider reading `run.workspace`. Actions that never touch it (approvals,
 * invocations, most deploys) cost no file-system calls.
 */
class AttemptWorkspace {
  readonly root: string;
  #made = false;

  constructor(actionDir: string, attempt: string) {
    this.root = join(actionDir, attempt);
  }

  /** The workspace (`<root>/src`); the first call removes what an earlier crash left and makes it. */
  dir(): string {
    const src = join(this.root, 'src');
    if (!this.#made) {
      rmSync(this.root, { recursive: true, force: true });
      mkdirSync(src, { recursive: true });
      this.#made = true;
    }
    return src;
  }

  /** Removes the attempt's directory, if it was made. */
  async remove(): Promise<void> {
    if (this.#made) await rm(this.root, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Extracts the input artifacts: the first into the workspace, the others beside it. A poll of
 * a long wait (`progress`) gets none: the provider only looks at what it started.
 */
async function extractInputs(
  run: ActionToRun,
  workspace: AttemptWorkspace,
  artifacts: ArtifactStore,
  progress: unknown,
): Promise<ActionInput[]> {
  const inputs: ActionInput[] = [];
  if (progress !== undefined) return inputs;
  for (const [i, artifact] of run.inputArtifacts.entries()) {
    const stored = toStored(artifact);
    const dir = i === 0 ? workspace.dir() : join(workspace.root, 'inputs', safe(artifact.name));
    await artifacts.extractTo(stored, dir);
    inputs.push({ name: artifact.name, dir, artifact: stored });
  }
  return inputs;
}

/**
 * One folder name of a workspace from a name: encoded, and never `.`, `..` or empty (names may
 * be all dots, and `~` is in no name, so `~..` stands for `..` without meeting another name).
 */
function safe(part: string): string {
  const encoded = encodeURIComponent(part).replaceAll('%', '_');
  return /^\.*$/.test(encoded) ? `~${encoded}` : encoded;
}

function isInside(path: string, root: string): boolean {
  const inside = relative(resolve(root), resolve(path));
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
}

/**
 * Runs one attempt.
 *
 * @example
 * ```ts
 * const { result, approval } = await runActionAttempt(input);
 * ```
 */
export async function runActionAttempt(input: {
  pipeline: Pipeline;
  executionId: string;
  run: ActionToRun;
  signal: AbortSignal;
  options: AttemptOptions;
  newId: () => string;
  /** A poll of a long wait: the provider's state (input artifacts are not extracted again). */
  progress?: Readonly<Record<string, unknown>>;
}): Promise<{ result: ActionResult; approval?: { approvalId: string }; inProgress?: InProgressOutcome }> {
  const { pipeline, executionId, run, options } = input;
  const typeId = run.action.actionTypeId;
  const provider = options.providers.find(
    (p) => p.provider === typeId.provider && p.categories.includes(typeId.category),
  );
  const log = new AttemptLog(options.logs, { executionId, ...run });
  const tee = {
    write(stream: 'stdout' | 'stderr' | 'system', text: string) {
      log.write(stream, text);
      options.onLog?.({ ...run, executionId }, stream, text);
    },
  };
  const workspace = new AttemptWorkspace(
    join(options.workspaceRoot, safe(executionId), safe(run.stageName), safe(run.actionName)),
    `${Number(run.stageAttempt)}-${Number(run.attempt)}`,
  );
  try {
    // Never true (every segment is encoded), but a path outside the workspaces is never used.
    if (!isInside(workspace.root, options.workspaceRoot))
      throw new Error(`its workspace would lie outside ${options.workspaceRoot}`);
    if (provider === undefined) {
      return failed(
        'ConfigurationError',
        `no provider carries out ${typeId.category}/${typeId.provider} here; use one of the providers listed by "pipewright validate --help" or run this pipeline in AWS`,
      );
    }
    const inputs = await extractInputs(run, workspace, options.artifacts, input.progress);
    const timeout = AbortSignal.timeout(actionTimeoutSeconds(run.action) * 1000);
    const outcome: ActionOutcome = await provider.run({
      pipeline: pipeline.name,
      executionId,
      stage: run.stageName,
      action: run.action,
      actionExecutionId: run.actionExecutionId,
      attempt: run.attempt,
      stageAttempt: run.stageAttempt,
      get workspace() {
        return workspace.dir();
      },
      inputs,
      variables: run.variables,
      projectDir: options.projectDir(pipeline.name),
      log: tee,
      ...(input.progress === undefined ? {} : { progress: input.progress }),
      signal: AbortSignal.any([input.signal, timeout]),
      artifacts: options.artifacts,
    } satisfies ActionRun);
    if (outcome.status === 'InProgress') return { result: { status: 'Waiting' }, inProgress: outcome };
    if (outcome.status !== 'Waiting') return { result: actionResultOf(outcome) };
    if (typeId.category !== 'Approval') return { result: { status: 'Waiting' } };
    return {
      result: { status: 'Waiting', ...(outcome.summary === undefined ? {} : { summary: outcome.summary }) },
      approval: { approvalId: approvalIdFor(executionId, input.newId()) },
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    tee.write('system', `Pipewright could not run the action: ${message}\n`);
    return failed('SystemUnavailable', `the action could not run: ${message}`);
  } finally {
    // A log that cannot be stored must not change how the action ended.
    const warn = (e: unknown) =>
      options.onWarning?.(
        `the log of ${run.stageName}/${run.actionName} could not be stored: ${(e as Error).message}`,
      );
    await log.close().catch(warn);
    const empty = () => log.createEmpty().catch(warn);
    if (!log.written) await (options.defer === undefined ? empty() : options.defer(empty));
    await workspace.remove();
  }
}

/**
 * An approval's id: the execution id, a dot, and a random part. A signed link carries only
 * this id, and the execution it belongs to is found without an index.
 *
 * @example
 * ```ts
 * approvalIdFor('7f0c', 'a1b2'); // '7f0c.a1b2'
 * executionOfApproval('7f0c.a1b2'); // '7f0c'
 * ```
 */
export function approvalIdFor(executionId: string, random: string): string {
  return `${executionId}.${random}`;
}

/** The execution an approval id belongs to (see {@link approvalIdFor}); `undefined` for a malformed id. */
export function executionOfApproval(approvalId: string): string | undefined {
  const dot = approvalId.lastIndexOf('.');
  return dot > 0 ? approvalId.slice(0, dot) : undefined;
}

function failed(type: string, message: string): { result: ActionResult } {
  return { result: { status: 'Failed', error: { type, message } } };
}

/**
 * The result the engine records for an attempt that ended: artifacts by reference, a failure's
 * message with its log tail.
 *
 * @example
 * ```ts
 * actionResultOf({ status: 'Failed', error: { type: 'JobFailed', message: 'exit 1' } }); // { status: 'Failed', error: { type: 'JobFailed', message: 'exit 1' } }
 * ```
 */
export function actionResultOf(outcome: EndedOutcome): ActionResult {
  if (outcome.status === 'Succeeded') {
    return {
      status: 'Succeeded',
      outputArtifacts: outcome.outputArtifacts.map(toArtifact),
      outputVariables: outcome.outputVariables,
      ...pick(outcome),
      ...(outcome.summary === undefined ? {} : { summary: outcome.summary }),
    };
  }
  const tail = outcome.logTail?.length ? `\n${outcome.logTail.join('\n')}` : '';
  const message = outcome.error.message.includes(tail.trim())
    ? outcome.error.message
    : `${outcome.error.message}${tail}`;
  return { status: 'Failed', error: { type: outcome.error.type, message }, ...pick(outcome) };
}

function pick(o: { externalExecutionId?: string; externalExecutionUrl?: string }) {
  return {
    ...(o.externalExecutionId === undefined ? {} : { externalExecutionId: o.externalExecutionId }),
    ...(o.externalExecutionUrl === undefined ? {} : { externalExecutionUrl: o.externalExecutionUrl }),
  };
}

function toArtifact(a: StoredArtifact): Artifact {
  return { name: a.name, uri: a.uri, sha256: a.sha256, size: a.size, files: a.files };
}

function toStored(a: Artifact): StoredArtifact {
  return { name: a.name, uri: a.uri, sha256: a.sha256, size: a.size, files: a.files ?? 0 };
}
