/**
 * An action's configuration checked against core's provider schema at run time (after the
 * engine resolved its `#{…}` variables), so the AWS providers never parse keys core already
 * describes. Every problem is reported at once, as a `ConfigurationError`.
 *
 * @example
 * ```ts
 * const config = checkedConfiguration(run); // throws ProviderFailure('ConfigurationError', …)
 * config.BucketName; // 'site'
 * ```
 */
import { findProvider } from '@pipewright/core';
import type { ActionRun } from '@pipewright/engine';
import { ProviderFailure } from '@pipewright/providers';

/**
 * The action's configuration, validated by its provider's schema.
 *
 * @example
 * ```ts
 * checkedConfiguration(run).ActionMode; // 'CREATE_UPDATE'
 * ```
 */
export function checkedConfiguration(run: ActionRun): Readonly<Record<string, string | undefined>> {
  const { action } = run;
  const typeId = action.actionTypeId;
  const where = `${typeId.category}/${typeId.provider} action "${action.name}"`;
  const spec = findProvider(typeId);
  if (spec === undefined) {
    return configurationError(
      `${where}: owner ${typeId.owner} is not one Pipewright knows for this provider; check actionTypeId`,
    );
  }
  const result = spec.configuration.safeParse(action.configuration);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `configuration${issue.path.map((p) => `.${String(p)}`).join('')}: ${issue.message}`,
    );
    return configurationError(`${where}: ${problems.join('; ')}`);
  }
  return result.data;
}

/**
 * Throws a `ConfigurationError` outcome failure.
 *
 * @example
 * ```ts
 * if (!bucket) configurationError('BucketName is required');
 * ```
 */
export function configurationError(message: string): never {
  throw new ProviderFailure('ConfigurationError', message);
}

/**
 * A configuration value the schema made required.
 *
 * @example
 * ```ts
 * const bucket = required(config, 'BucketName');
 * ```
 */
export function required(config: Readonly<Record<string, string | undefined>>, key: string): string {
  const value = config[key];
  if (value === undefined)
    return configurationError(`configuration.${key} is required; add it to the action`);
  return value;
}
