/** `asl-validator` for tests outside core: a compiled definition's problems, `''` when it is valid. */
import { createRequire } from 'node:module';

type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

/**
 * The problems `asl-validator` finds in a definition (paths and ARNs checked), one per line.
 *
 * @example
 * ```ts
 * expect(aslProblems(compilePipeline(pipeline, options))).toBe('');
 * ```
 */
export function aslProblems(definition: unknown): string {
  const result = aslValidator(JSON.parse(JSON.stringify(definition)), { checkPaths: true, checkArn: true });
  return result.isValid ? '' : result.errorsText('\n');
}
