/**
 * Validation: CodePipeline's structural rules and Pipewright's provider schemas, reported as
 * diagnostics (every problem at once, with a path, a fix and a location).
 *
 * @example
 * ```ts
 * import { validatePipeline } from './validation/index.ts';
 * const diagnostics = validatePipeline(loaded);
 * ```
 */
export { RULE_PROVIDERS } from './check-conditions.ts';
export { validateLoaded, validatePipeline } from './validate-pipeline.ts';
