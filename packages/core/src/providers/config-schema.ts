import * as z from 'zod';

const VARIABLE = /#\{[^}]*\}/;

/** True when a configuration value holds a `#{…}` variable reference (checked later, at run time). */
export function hasVariable(value: string): boolean {
  return VARIABLE.test(value);
}

/**
 * A required or optional configuration string; must not be empty.
 *
 * @example
 * ```ts
 * z.strictObject({ BranchName: text() }).safeParse({ BranchName: 'main' }).success; // true
 * ```
 */
export function text(): z.ZodString {
  return z.string().min(1, 'must not be empty; remove the key or give it a value');
}

/**
 * `"true"` or `"false"` (any case), as CodePipeline writes booleans in configuration.
 *
 * @example
 * ```ts
 * booleanText().safeParse('false').success; // true
 * ```
 */
export function booleanText(): z.ZodType<string> {
  return z
    .string()
    .refine((v) => hasVariable(v) || /^(true|false)$/i.test(v), { message: 'must be "true" or "false"' });
}

/**
 * One of a fixed set of values (a value holding a `#{…}` variable is accepted: it is only known at run time).
 *
 * @example
 * ```ts
 * oneOf(['CODE_ZIP', 'CODEBUILD_CLONE_REF']).safeParse('CODE_ZIP').success; // true
 * ```
 */
export function oneOf(values: readonly string[]): z.ZodType<string> {
  return z.string().refine((v) => hasVariable(v) || values.includes(v), {
    message: `must be one of ${values.join(', ')}`,
  });
}

/**
 * A JSON document held in a string; `check` may inspect the parsed value and return an error message.
 *
 * @example
 * ```ts
 * jsonText('a JSON object').safeParse('{"a":1}').success; // true
 * ```
 */
export function jsonText(what: string, check?: (value: unknown) => string | undefined): z.ZodType<string> {
  return z.string().superRefine((v, ctx) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      if (!hasVariable(v)) ctx.addIssue({ code: 'custom', message: `must be ${what} written as JSON` });
      return;
    }
    const problem = check?.(parsed);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** The `OutputArtifactFormat` values of CodePipeline's git source actions. */
export const OUTPUT_ARTIFACT_FORMATS = ['CODE_ZIP', 'CODEBUILD_CLONE_REF'] as const;
