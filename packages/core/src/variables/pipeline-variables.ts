/**
 * Pipeline-level variables (`#{variables.name}`): declared defaults and start-time overrides.
 */
import type { PipelineVariable } from '../model/pipeline.ts';
import { didYouMean } from './did-you-mean.ts';

/** CodePipeline's maximum length of a pipeline variable value. */
export const MAX_PIPELINE_VARIABLE_VALUE_LENGTH = 1000;

/**
 * The values of a pipeline's variables for one execution, with CodePipeline's semantics:
 * an override given at start wins, else the declared default; a declared variable with
 * neither is an error, an override for an undeclared variable is an error, and every value
 * is 1–1000 characters. All problems are returned at once; `values` holds what could be resolved.
 *
 * @example
 * ```ts
 * resolvePipelineVariables([{ name: 'env', defaultValue: 'dev' }, { name: 'region' }], { region: 'eu-west-1' });
 * // { values: { env: 'dev', region: 'eu-west-1' }, errors: [] }
 * ```
 */
export function resolvePipelineVariables(
  declared: readonly PipelineVariable[],
  overrides: Record<string, string>,
): { values: Record<string, string>; errors: string[] } {
  const values: Record<string, string> = {};
  const errors: string[] = [];
  const names = declared.map((v) => v.name);
  for (const name of Object.keys(overrides)) {
    if (!names.includes(name)) {
      const guess = didYouMean(name, names);
      errors.push(
        `variable "${name}" is not declared by the pipeline; declared: ${names.join(', ') || 'none'}${guess ? `; did you mean "${guess}"?` : ''}. Declare it under "variables" or drop the override`,
      );
    }
  }
  for (const v of declared) {
    const overridden = Object.hasOwn(overrides, v.name);
    const value = overridden ? overrides[v.name] : v.defaultValue;
    const source = overridden ? 'the value given at start' : 'the default value';
    if (value === undefined) {
      errors.push(`variable "${v.name}" has no default value; pass a value when starting the execution`);
      continue;
    }
    if (value.length === 0) {
      errors.push(
        `variable "${v.name}": ${source} is empty; give 1–${MAX_PIPELINE_VARIABLE_VALUE_LENGTH} characters`,
      );
      continue;
    }
    if (value.length > MAX_PIPELINE_VARIABLE_VALUE_LENGTH) {
      errors.push(
        `variable "${v.name}": ${source} is ${value.length} characters long; the maximum is ${MAX_PIPELINE_VARIABLE_VALUE_LENGTH}`,
      );
      continue;
    }
    values[v.name] = value;
  }
  return { values, errors };
}
