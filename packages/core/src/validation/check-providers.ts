import type * as z from 'zod';
import type { Path } from '../model/path.ts';
import { ACTION_OWNERS, type Action } from '../model/pipeline.ts';
import {
  type ActionExtraField,
  type ArtifactBounds,
  findProviderByName,
  PROVIDERS,
  type ProviderSpec,
  supportedProviderNames,
} from '../providers/index.ts';
import { didYouMean } from '../variables/index.ts';
import { actionPath, placeActions } from './action-order.ts';
import { arr, listOf, orList } from './patterns.ts';
import type { ValidationContext } from './validation-context.ts';

const FIELD_CODES: Record<ActionExtraField, string> = {
  commands: 'commands-not-allowed',
  outputVariables: 'output-variables-not-allowed',
  environmentVariables: 'environment-variables-not-allowed',
};

function typeName(spec: ProviderSpec): string {
  return `${spec.category}/${spec.provider}`;
}

function unknownProviderMessage(category: unknown, provider: unknown): string {
  const wanted = `${String(category)}/${String(provider)}`;
  const names = supportedProviderNames();
  const sameProvider = PROVIDERS.filter((p) => p.provider === provider).map(typeName);
  const hint =
    sameProvider.length > 0
      ? `${String(provider)} is available as ${listOf(sameProvider)}; `
      : (() => {
          const s = didYouMean(wanted, names);
          return s === undefined ? '' : `did you mean ${s}? `;
        })();
  return `unknown action type ${wanted}; ${hint}supported category/provider pairs: ${names.join(', ')}`;
}

function bounds(b: ArtifactBounds): string {
  if (b.min === b.max) return b.min === 0 ? 'no' : `exactly ${b.min}`;
  return `${b.min}–${b.max}`;
}

function checkArtifactCount(
  ctx: ValidationContext,
  at: Path,
  spec: ProviderSpec,
  list: 'inputArtifacts' | 'outputArtifacts',
  count: number,
): void {
  const b = list === 'inputArtifacts' ? spec.inputArtifacts : spec.outputArtifacts;
  if (count >= b.min && count <= b.max) return;
  const kind = list === 'inputArtifacts' ? 'input' : 'output';
  const plural = b.max === 1 && b.min === 1 ? 'artifact' : 'artifacts';
  const fix =
    count < b.min ? `add ${list}` : b.max === 0 ? `remove ${list}` : `remove ${count - b.max} of them`;
  ctx.error(
    `${kind}-artifact-count`,
    [...at, list],
    `${typeName(spec)} takes ${bounds(b)} ${kind} ${plural}, got ${count}; ${fix}`,
  );
}

function checkConfiguration(ctx: ValidationContext, at: Path, spec: ProviderSpec, action: Action): void {
  const configPath = [...at, 'configuration'];
  if (ctx.isUnresolved(configPath)) return;
  const config = action.configuration ?? {};
  if (typeof config !== 'object' || config === null) return;
  const result = (spec.configuration as z.ZodType).safeParse(config);
  if (result.success) return;
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...configPath, key];
        if (spec.configurationKeys.length === 0) {
          ctx.error(
            'unknown-configuration-key',
            path,
            `${typeName(spec)} takes no configuration keys; remove "${key}"${spec.extraFields.includes('commands') ? ' (shell commands go in commands)' : ''}`,
          );
          continue;
        }
        const suggestion = didYouMean(key, spec.configurationKeys);
        ctx.error(
          'unknown-configuration-key',
          path,
          `unknown configuration key "${key}" for ${typeName(spec)}; ${suggestion === undefined ? '' : `did you mean "${suggestion}"? `}supported keys: ${spec.configurationKeys.join(', ')}`,
        );
      }
      continue;
    }
    const key = issue.path[0];
    const path = key === undefined ? configPath : [...configPath, String(key)];
    if (ctx.isUnresolved(path)) continue;
    const value = key === undefined ? undefined : (config as Record<string, unknown>)[String(key)];
    if (key !== undefined && value === undefined) {
      const message =
        issue.code === 'custom'
          ? `${String(key)} ${issue.message}`
          : `${typeName(spec)} requires configuration key "${String(key)}"; add it`;
      ctx.error('missing-configuration-key', path, message);
    } else if (typeof value !== 'string') {
      ctx.error(
        'invalid-configuration-value',
        path,
        `configuration values are strings; write ${String(key)} as a string`,
      );
    } else {
      ctx.error(
        'invalid-configuration-value',
        path,
        `${String(key)} ${issue.message}${value.length <= 60 && !/^\s*[[{]/.test(value) ? `, got ${JSON.stringify(value)}` : ''}`,
      );
    }
  }
}

function checkExtraFields(ctx: ValidationContext, at: Path, spec: ProviderSpec, action: Action): void {
  for (const field of ['commands', 'outputVariables', 'environmentVariables'] as const) {
    if (action[field] === undefined || spec.extraFields.includes(field)) continue;
    const allowedOn = PROVIDERS.filter((p) => p.extraFields.includes(field)).map(typeName);
    ctx.error(
      FIELD_CODES[field],
      [...at, field],
      `${field} is not supported on ${typeName(spec)}; remove it (it applies to ${listOf([...new Set(allowedOn)])})`,
    );
  }
  if (
    spec.extraFields.includes('commands') &&
    arr(action.commands).length === 0 &&
    !ctx.isUnresolved([...at, 'commands'])
  )
    ctx.error(
      'missing-commands',
      [...at, 'commands'],
      `${typeName(spec)} needs commands: add 1–50 shell commands to run`,
    );
}

function checkTimeout(ctx: ValidationContext, at: Path, spec: ProviderSpec, action: Action): void {
  const t = action.timeoutInMinutes;
  const path = [...at, 'timeoutInMinutes'];
  if (t === undefined || ctx.isUnresolved(path)) return;
  if (spec.maxTimeoutMinutes === undefined) {
    const allowedOn = [...new Set(PROVIDERS.filter((p) => p.maxTimeoutMinutes !== undefined).map(typeName))];
    ctx.error(
      'timeout-not-allowed',
      path,
      `timeoutInMinutes cannot be set on ${typeName(spec)} (its timeout is ${spec.defaultTimeoutMinutes} minutes); remove it. It may be set on ${listOf(allowedOn)}`,
    );
    return;
  }
  if (!Number.isInteger(t) || t < 5 || t > spec.maxTimeoutMinutes)
    ctx.error(
      'invalid-timeout',
      path,
      `timeoutInMinutes of ${typeName(spec)} must be a whole number from 5 to ${spec.maxTimeoutMinutes}, got ${JSON.stringify(t)}`,
    );
}

/**
 * Providers: the action type is known (else the supported `Category/Provider` pairs are
 * listed), the owner fits, configuration passes the provider's schema, artifact counts are
 * within the provider's bounds, `commands`/`outputVariables`/`environmentVariables` and
 * `timeoutInMinutes` appear only where the provider accepts them.
 *
 * @example
 * ```ts
 * checkProviders(ctx); // e.g. 'stages[1].actions[0].configuration.Branch: unknown configuration key "Branch" …'
 * ```
 */
export function checkProviders(ctx: ValidationContext): void {
  for (const p of placeActions(ctx.pipeline)) {
    const { action } = p;
    const at = actionPath(p);
    const typeId = action.actionTypeId;
    if (typeId === null || typeof typeId !== 'object') {
      ctx.error('unknown-provider', [...at, 'actionTypeId'], unknownProviderMessage(undefined, undefined));
      continue;
    }
    if (ctx.isUnresolved([...at, 'actionTypeId'])) continue;
    const spec = findProviderByName(typeId.category, typeId.provider);
    if (spec === undefined) {
      ctx.error(
        'unknown-provider',
        [...at, 'actionTypeId', 'provider'],
        unknownProviderMessage(typeId.category, typeId.provider),
      );
      continue;
    }
    if (!spec.owners.includes(typeId.owner)) {
      const valid = (ACTION_OWNERS as readonly string[]).includes(typeId.owner);
      ctx.error(
        'invalid-owner',
        [...at, 'actionTypeId', 'owner'],
        `${typeName(spec)} takes owner ${orList(spec.owners)}${valid ? `, not ${typeId.owner}` : ` (got ${JSON.stringify(typeId.owner)})`}; set owner to ${spec.owners[0]}`,
      );
    }
    if (typeof typeId.version !== 'string' || !/^[0-9A-Za-z_-]{1,9}$/.test(typeId.version))
      ctx.error(
        'invalid-action-version',
        [...at, 'actionTypeId', 'version'],
        `action type version ${JSON.stringify(typeId.version)} is not valid; use "1"`,
      );
    checkConfiguration(ctx, at, spec, action);
    checkArtifactCount(ctx, at, spec, 'inputArtifacts', arr(action.inputArtifacts).length);
    checkArtifactCount(ctx, at, spec, 'outputArtifacts', arr(action.outputArtifacts).length);
    checkExtraFields(ctx, at, spec, action);
    checkTimeout(ctx, at, spec, action);
  }
}
