/**
 * Resolving `#{…}` references to their values at run time.
 *
 * Substitution is single-pass: a substituted value is never scanned again, so a value that
 * itself contains `#{…}` (a commit message, a branch name) stays literal — no injection
 * through values. Splicing values into shell text is a different matter (DESIGN §1.6): the
 * engine passes variables to commands as environment variables (CodePipeline's
 * `environmentVariables` with `#{…}` values, resolved here), never by rewriting the command.
 */
import { VariableResolutionError } from '../errors.ts';
import { didYouMean } from './did-you-mean.ts';
import {
  CODEPIPELINE_NAMESPACE,
  PIPELINE_VARIABLES_NAMESPACE,
  parseVariableReferences,
  type VariableReference,
} from './variable-reference.ts';

/** What a reference can resolve to during one execution. */
export interface VariableContext {
  /** Value of `#{codepipeline.PipelineExecutionId}`. */
  executionId: string;
  /** Resolved pipeline-level variables (`#{variables.name}`), see `resolvePipelineVariables`. */
  pipelineVariables: Record<string, string>;
  /** Output variables of completed actions, by the action's `namespace`. */
  namespaces: Record<string, Record<string, string>>;
}

function knownList(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, 10).join(', ');
  return names.length > 10 ? `${shown}, … (${names.length} in all)` : shown;
}

function unknownName(
  ref: VariableReference,
  what: string,
  known: readonly string[],
): VariableResolutionError {
  const guess = didYouMean(ref.name, known);
  return new VariableResolutionError(
    ref.raw,
    `cannot resolve ${ref.raw}: ${what} has no variable ${ref.name}; known: ${knownList(known)}${guess ? `; did you mean ${guess}?` : ''}`,
  );
}

function has(record: Record<string, string>, key: string): boolean {
  return Object.hasOwn(record, key);
}

/**
 * The value of one reference.
 *
 * @throws {VariableResolutionError} when the namespace or variable is unknown.
 * @example
 * ```ts
 * resolveReference(
 *   { raw: '#{variables.env}', namespace: 'variables', name: 'env', start: 0, end: 16 },
 *   { executionId: 'e-1', pipelineVariables: { env: 'prod' }, namespaces: {} },
 * ); // 'prod'
 * ```
 */
export function resolveReference(ref: VariableReference, context: VariableContext): string {
  if (ref.namespace === CODEPIPELINE_NAMESPACE) {
    if (ref.name === 'PipelineExecutionId') return context.executionId;
    throw unknownName(ref, 'the reserved namespace codepipeline', ['PipelineExecutionId']);
  }
  if (ref.namespace === PIPELINE_VARIABLES_NAMESPACE) {
    const vars = context.pipelineVariables;
    if (has(vars, ref.name)) return vars[ref.name] ?? '';
    throw unknownName(ref, 'the pipeline (namespace variables)', Object.keys(vars));
  }
  const namespaces = context.namespaces;
  if (!Object.hasOwn(namespaces, ref.namespace)) {
    const known = Object.keys(namespaces);
    const guess = didYouMean(ref.namespace, known);
    throw new VariableResolutionError(
      ref.raw,
      `cannot resolve ${ref.raw}: no completed action has namespace ${ref.namespace}; known namespaces: ${knownList(known)}${guess ? `; did you mean ${guess}?` : ''}. Give the producing action "namespace: ${ref.namespace}" and make sure it runs before this one`,
    );
  }
  const vars = namespaces[ref.namespace] ?? {};
  if (has(vars, ref.name)) return vars[ref.name] ?? '';
  throw unknownName(ref, `namespace ${ref.namespace}`, Object.keys(vars));
}

/**
 * Replaces every well-formed `#{Namespace.Name}` in `text` with its value, in one pass
 * (values are not re-scanned). Malformed `#{…}` are left as written; validation reports them.
 *
 * @throws {VariableResolutionError} naming the first unresolvable reference and what is known.
 * @example
 * ```ts
 * resolveVariables('deploy #{SourceVariables.CommitId}', {
 *   executionId: 'e-1', pipelineVariables: {}, namespaces: { SourceVariables: { CommitId: 'abc123' } },
 * }); // 'deploy abc123'
 * ```
 */
export function resolveVariables(text: string, context: VariableContext): string {
  const refs = parseVariableReferences(text);
  if (refs.length === 0) return text;
  let out = '';
  let at = 0;
  for (const ref of refs) {
    out += text.slice(at, ref.start) + resolveReference(ref, context);
    at = ref.end;
  }
  return out + text.slice(at);
}

/**
 * Resolves every value of an action's `configuration`.
 *
 * @throws {VariableResolutionError} with `path` `[key]` for the first value that cannot be resolved.
 * @example
 * ```ts
 * resolveConfiguration({ StackName: 'app-#{variables.env}' }, {
 *   executionId: 'e-1', pipelineVariables: { env: 'prod' }, namespaces: {},
 * }); // { StackName: 'app-prod' }
 * ```
 */
export function resolveConfiguration(
  configuration: Record<string, string>,
  context: VariableContext,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(configuration)) {
    try {
      out[key] = resolveVariables(value, context);
    } catch (e) {
      if (e instanceof VariableResolutionError) {
        throw new VariableResolutionError(
          e.reference,
          `configuration ${key}: ${e.message.replace(/^\[PW\d+\] /, '')}`,
          {
            path: [key],
            cause: e,
          },
        );
      }
      throw e;
    }
  }
  return out;
}
