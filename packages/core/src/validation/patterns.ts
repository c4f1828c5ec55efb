import type { Path } from '../model/path.ts';
import type { ValidationContext } from './validation-context.ts';

/** Pipeline, stage, action and rule names: `[A-Za-z0-9.@\-_]+`, 1–100. */
export const ENTITY_NAME = /^[A-Za-z0-9.@\-_]+$/;
/** Artifact names: `[a-zA-Z0-9_\-]+`, 1–100. */
export const ARTIFACT_NAME = /^[a-zA-Z0-9_-]+$/;
/** Action namespaces and pipeline variable names: `[A-Za-z0-9@\-_]+`. */
export const NAMESPACE_NAME = /^[A-Za-z0-9@\-_]+$/;
/** IAM role ARN, as CodePipeline's API model writes it. */
export const ROLE_ARN = /^arn:aws(-[\w]+)*:iam::[0-9]{12}:role\/.+$/;
/** Environment variable names of an action. */
export const ENV_VAR_NAME = /^[A-Za-z0-9_]+$/;

/** The kind of thing a name names, for messages. */
export interface NameRule {
  what: string;
  pattern: RegExp;
  max: number;
  allowed: string;
}

export const NAME_RULES = {
  pipeline: {
    what: 'pipeline name',
    pattern: ENTITY_NAME,
    max: 100,
    allowed: 'letters, digits, ., @, - and _',
  },
  stage: { what: 'stage name', pattern: ENTITY_NAME, max: 100, allowed: 'letters, digits, ., @, - and _' },
  action: { what: 'action name', pattern: ENTITY_NAME, max: 100, allowed: 'letters, digits, ., @, - and _' },
  rule: { what: 'rule name', pattern: ENTITY_NAME, max: 100, allowed: 'letters, digits, ., @, - and _' },
  artifact: { what: 'artifact name', pattern: ARTIFACT_NAME, max: 100, allowed: 'letters, digits, - and _' },
  namespace: { what: 'namespace', pattern: NAMESPACE_NAME, max: 100, allowed: 'letters, digits, @, - and _' },
  variable: {
    what: 'variable name',
    pattern: NAMESPACE_NAME,
    max: 128,
    allowed: 'letters, digits, @, - and _',
  },
} as const satisfies Record<string, NameRule>;

/**
 * Checks a name against its pattern and length; reports `code` with a message saying which
 * characters are allowed. Skipped where the value is an unresolved intrinsic.
 *
 * @example
 * ```ts
 * checkName(ctx, 'invalid-stage-name', ['stages', 0, 'name'], 'Build stage', NAME_RULES.stage);
 * // stages[0].name: stage name "Build stage" may only contain letters, digits, ., @, - and _; …
 * ```
 */
export function checkName(
  ctx: ValidationContext,
  code: string,
  path: Path,
  value: unknown,
  rule: NameRule,
): boolean {
  if (ctx.isUnresolved(path)) return true;
  if (typeof value !== 'string' || value.length === 0) {
    ctx.error(
      code,
      path,
      `${rule.what} is missing or empty; give it a name of 1–${rule.max} ${rule.allowed}`,
    );
    return false;
  }
  if (value.length > rule.max) {
    ctx.error(
      code,
      path,
      `${rule.what} "${value}" is ${value.length} characters long; shorten it to at most ${rule.max}`,
    );
    return false;
  }
  if (!rule.pattern.test(value)) {
    const bad = [...new Set([...value].filter((c) => !rule.pattern.test(c)))]
      .map((c) => JSON.stringify(c))
      .join(', ');
    ctx.error(code, path, `${rule.what} "${value}" contains ${bad}; use only ${rule.allowed}`);
    return false;
  }
  return true;
}

/** `stages[1].actions[0] (Deploy)`-style reference to an action, for messages. */
export function describeAction(stageIndex: number, actionIndex: number, name: string): string {
  return `stages[${stageIndex}].actions[${actionIndex}] (${name})`;
}

/** Human list: `a, b and c`. */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Human list of alternatives: `a, b or c`. */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Safe array access for models that may come from untyped input. */
export function arr<T>(value: readonly T[] | undefined | null): readonly T[] {
  return Array.isArray(value) ? value : [];
}
