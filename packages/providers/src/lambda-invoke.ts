/**
 * `Invoke/Lambda` run locally: `FunctionName` names a JS/TS module (relative to the pipeline's
 * directory) and an export, `path/to/file.ts#exportName` (default export name `handler`), or a
 * name the `functions` option maps to such a path. The handler runs in-process (Node strips the
 * types of `.ts` files) with a CodePipeline-job shaped event and a minimal Lambda-like context.
 *
 * Artifact locations are local directories instead of S3 objects:
 * `location: { type: 'Local', localLocation: { path: '/abs/dir' } }` — read input files from an
 * input's path; write output files into an output's path (stored after the handler returns).
 *
 * The handler's result decides: `undefined` or `{ outputVariables?, summary?, externalExecutionId? }`
 * succeeds; `{ continuationToken }` invokes it again with that token (CodePipeline's
 * continuation, at most 100 times); a thrown error fails the action (`JobFailed`, its message).
 *
 * @example
 * ```ts
 * // lambdas/check.ts
 * export async function handler(event) {
 *   const job = event['CodePipeline.job'];
 *   return { outputVariables: { checked: job.data.actionConfiguration.configuration.UserParameters } };
 * }
 * ```
 */
import { mkdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ActionProvider, ActionRun, StoredArtifact } from '@pipewright/engine';
import type { LocalProvidersOptions } from './options.ts';
import { configurationError, guardOutcome, ProviderFailure, requireConfig } from './outcome.ts';
import { withPrivateDir } from './shell/run-script.ts';

/** A local artifact location in the job event. */
export interface LocalArtifactLocation {
  name: string;
  location: { type: 'Local'; localLocation: { path: string } };
}

/** The event a local handler receives. */
export interface LocalJobEvent {
  'CodePipeline.job': {
    id: string;
    accountId: string;
    data: {
      actionConfiguration: { configuration: { FunctionName: string; UserParameters?: string } };
      inputArtifacts: LocalArtifactLocation[];
      outputArtifacts: LocalArtifactLocation[];
      continuationToken?: string;
    };
  };
}

/** What a handler may return. */
export interface LocalJobResult {
  outputVariables?: Record<string, unknown>;
  summary?: string;
  externalExecutionId?: string;
  continuationToken?: string;
}

const MAX_CONTINUATIONS = 100;

/**
 * The Lambda provider.
 *
 * @example
 * ```ts
 * lambdaInvokeProvider({ functions: { 'check-fn': './lambdas/check.ts' } });
 * ```
 */
export function lambdaInvokeProvider(options: LocalProvidersOptions): ActionProvider {
  return {
    categories: ['Invoke'],
    provider: 'Lambda',
    run: (run) => guardOutcome(() => invoke(run, options)),
  };
}

async function invoke(run: ActionRun, options: LocalProvidersOptions) {
  const functionName = requireConfig(run.action.configuration, 'FunctionName', 'Invoke/Lambda');
  const handler = await loadHandler(functionName, run.projectDir, options);
  return withPrivateDir(async (dir) => {
    const outputs = run.action.outputArtifacts.map((o) => ({ name: o.name, dir: join(dir, 'out', o.name) }));
    for (const o of outputs) await mkdir(o.dir, { recursive: true });
    const local = (name: string, path: string): LocalArtifactLocation => ({
      name,
      location: { type: 'Local', localLocation: { path } },
    });
    const userParameters = run.action.configuration.UserParameters;
    const started = Date.now();
    const timeoutMs = (run.action.timeoutInMinutes ?? 60) * 60_000;
    let continuationToken: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const event: LocalJobEvent = {
        'CodePipeline.job': {
          id: run.actionExecutionId,
          accountId: '000000000000',
          data: {
            actionConfiguration: {
              configuration: {
                FunctionName: functionName,
                ...(userParameters === undefined ? {} : { UserParameters: userParameters }),
              },
            },
            inputArtifacts: run.inputs.map((i) => local(i.name, i.dir)),
            outputArtifacts: outputs.map((o) => local(o.name, o.dir)),
            ...(continuationToken === undefined ? {} : { continuationToken }),
          },
        },
      };
      const context = {
        functionName,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
        memoryLimitInMB: '128',
        awsRequestId: `${run.actionExecutionId}-${attempt}`,
        logGroupName: `/pipewright/${run.pipeline}`,
        logStreamName: run.executionId,
        callbackWaitsForEmptyEventLoop: false,
        getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
      };
      run.log.write('system', `invoking ${functionName}${attempt > 0 ? ` (continuation ${attempt})` : ''}\n`);
      const result = await raceAbort(
        Promise.resolve().then(() => handler(event, context)),
        run.signal,
      );
      const value = (result ?? {}) as LocalJobResult;
      if (typeof value !== 'object') {
        throw new ProviderFailure(
          'JobFailed',
          `${functionName} returned ${typeof value}; return an object or nothing`,
        );
      }
      if (value.continuationToken !== undefined) {
        if (attempt + 1 >= MAX_CONTINUATIONS) {
          throw new ProviderFailure(
            'JobFailed',
            `${functionName} asked to continue ${MAX_CONTINUATIONS} times; giving up`,
          );
        }
        continuationToken = String(value.continuationToken);
        continue;
      }
      const outputVariables: Record<string, string> = {};
      for (const [key, v] of Object.entries(value.outputVariables ?? {})) {
        outputVariables[key] = typeof v === 'string' ? v : JSON.stringify(v);
      }
      const artifacts: StoredArtifact[] = [];
      for (const o of outputs) artifacts.push(await run.artifacts.putDirectory(o.dir, { name: o.name }));
      return {
        status: 'Succeeded' as const,
        outputArtifacts: artifacts,
        outputVariables,
        ...(value.summary === undefined ? {} : { summary: String(value.summary) }),
        ...(value.externalExecutionId === undefined
          ? {}
          : { externalExecutionId: String(value.externalExecutionId) }),
      };
    }
  });
}

type Handler = (event: LocalJobEvent, context: object) => unknown;

async function loadHandler(
  functionName: string,
  projectDir: string,
  options: LocalProvidersOptions,
): Promise<Handler> {
  const target = options.functions?.[functionName] ?? functionName;
  const hash = target.lastIndexOf('#');
  const modulePath = hash >= 0 ? target.slice(0, hash) : target;
  const exportName = hash >= 0 ? target.slice(hash + 1) : 'handler';
  if (!/\.(m?[jt]s|cjs|cts)$/.test(modulePath)) {
    configurationError(
      `FunctionName ${JSON.stringify(functionName)} is not a local module; locally FunctionName is a path to a JS/TS module ` +
        `relative to the pipeline (e.g. "./lambdas/check.ts#handler"), or map the name with the providers' functions option`,
    );
  }
  const file = isAbsolute(modulePath) ? modulePath : resolve(projectDir, modulePath);
  if (!(await stat(file).catch(() => undefined))?.isFile()) {
    configurationError(`FunctionName ${JSON.stringify(functionName)}: module ${file} does not exist`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return configurationError(
      `FunctionName ${JSON.stringify(functionName)}: cannot load ${file}: ${message}`,
    );
  }
  const handler =
    mod[exportName] ??
    (exportName === 'handler' ? (mod.default as Record<string, unknown> | undefined)?.handler : undefined);
  if (typeof handler !== 'function') {
    configurationError(
      `FunctionName ${JSON.stringify(functionName)}: ${file} has no exported function ${exportName}; export it or name another with #exportName`,
    );
  }
  return handler as Handler;
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new ProviderFailure('JobFailed', 'the invocation was stopped'));
  return new Promise((resolvePromise, reject) => {
    const onAbort = () =>
      reject(new ProviderFailure('JobFailed', 'the invocation was stopped before the handler returned'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolvePromise(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
