/**
 * Building action outcomes. Providers never throw for a problem of the user's pipeline or
 * code: they return a `Failed` outcome with CodePipeline's failure type. Internally they
 * throw {@link ProviderFailure} and {@link guardOutcome} turns it (and any unexpected error)
 * into that outcome.
 *
 * @example
 * ```ts
 * return guardOutcome(async () => {
 *   if (!config.BucketName) throw new ProviderFailure('ConfigurationError', 'BucketName is required');
 *   return succeeded();
 * });
 * ```
 */
import type { ActionFailureType, ActionOutcome, StoredArtifact } from '@pipewright/engine';

/** A failure a provider reports as the action's outcome (not a crash). */
export class ProviderFailure extends Error {
  override readonly name = 'ProviderFailure';
  readonly type: ActionFailureType;
  readonly logTail: string[] | undefined;
  constructor(type: ActionFailureType, message: string, logTail?: string[]) {
    super(message);
    this.type = type;
    this.logTail = logTail;
  }
}

/**
 * Throws a `ConfigurationError` failure.
 *
 * @example
 * ```ts
 * if (!value) configurationError('FunctionName is required');
 * ```
 */
export function configurationError(message: string): never {
  throw new ProviderFailure('ConfigurationError', message);
}

/**
 * A `Succeeded` outcome.
 *
 * @example
 * ```ts
 * return succeeded([artifact], { CommitId: sha });
 * ```
 */
export function succeeded(
  outputArtifacts: StoredArtifact[] = [],
  outputVariables: Record<string, string> = {},
  summary?: string,
): ActionOutcome {
  return summary === undefined
    ? { status: 'Succeeded', outputArtifacts, outputVariables }
    : { status: 'Succeeded', outputArtifacts, outputVariables, summary };
}

/**
 * A `Failed` outcome.
 *
 * @example
 * ```ts
 * return failed('JobFailed', 'command exited with 1', tail);
 * ```
 */
export function failed(type: ActionFailureType, message: string, logTail?: string[]): ActionOutcome {
  return logTail === undefined
    ? { status: 'Failed', error: { type, message } }
    : { status: 'Failed', error: { type, message }, logTail };
}

/**
 * Runs a provider body; a thrown {@link ProviderFailure} becomes its `Failed` outcome, any other
 * error a `JobFailed` outcome with the error's message.
 *
 * @example
 * ```ts
 * run: (run) => guardOutcome(() => doWork(run)),
 * ```
 */
export async function guardOutcome(body: () => Promise<ActionOutcome>): Promise<ActionOutcome> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof ProviderFailure) return failed(error.type, error.message, error.logTail);
    return failed('JobFailed', error instanceof Error ? error.message : String(error));
  }
}

/**
 * A configuration value, or a `ConfigurationError` naming the key when it is missing or empty.
 *
 * @example
 * ```ts
 * const bucket = requireConfig(run.action.configuration, 'BucketName', 'Deploy/S3');
 * ```
 */
export function requireConfig(configuration: Record<string, string>, key: string, provider: string): string {
  const value = configuration[key];
  if (value === undefined || value.trim() === '') {
    configurationError(`${provider} needs configuration.${key}; add it to the action`);
  }
  return value;
}
