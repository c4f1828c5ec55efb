/**
 * Finding `#{Namespace.Name}` variable references in configuration values, as CodePipeline
 * writes them (userguide `reference-variables.html`):
 *
 * - `#{codepipeline.PipelineExecutionId}` — the reserved `codepipeline` namespace;
 * - `#{variables.name}` — pipeline-level variables;
 * - `#{SourceVariables.CommitId}` — output variables of the action whose `namespace` is `SourceVariables`.
 *
 * The namespace follows CodePipeline's namespace pattern `[A-Za-z0-9@\-_]+`; it ends at the
 * first dot. The name is everything after that dot up to `}` and may contain `[A-Za-z0-9@\-_.]`
 * (pipeline variable names use `[A-Za-z0-9@\-_]+`; action output keys — CloudFormation outputs,
 * CodeBuild exported variables, Lambda `outputVariables` — are looser, so dots are allowed).
 * Both parts are case-sensitive, as in CodePipeline.
 */

/** Namespace pattern of CodePipeline (`namespace` of an action, plus `variables` and `codepipeline`). */
export const NAMESPACE_PATTERN = /^[A-Za-z0-9@\-_]+$/;
/** Accepted characters of a variable name inside a reference. */
export const VARIABLE_NAME_PATTERN = /^[A-Za-z0-9@\-_.]+$/;
/** The reserved namespace of implicit execution variables. */
export const CODEPIPELINE_NAMESPACE = 'codepipeline';
/** The namespace of pipeline-level variables. */
export const PIPELINE_VARIABLES_NAMESPACE = 'variables';
/** Variables of the reserved `codepipeline` namespace. */
export const CODEPIPELINE_VARIABLES = ['PipelineExecutionId'] as const;

/** One well-formed `#{Namespace.Name}` reference; `start`/`end` are UTF-16 offsets (`end` exclusive). */
export interface VariableReference {
  /** The reference as written, e.g. `#{SourceVariables.CommitId}`. */
  raw: string;
  namespace: string;
  name: string;
  start: number;
  end: number;
}

/** A `#{…}` that is not a valid reference (no dot, an empty part, bad characters, unclosed). */
export interface MalformedReference {
  raw: string;
  start: number;
  end: number;
  /** What is wrong and how to write it instead. */
  message: string;
}

type Scanned = { ok: true; ref: VariableReference } | { ok: false; bad: MalformedReference };

/** Scans every `#{` opener once; each yields either a reference or a malformed one. */
function scan(text: string): Scanned[] {
  const out: Scanned[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('#{', from);
    if (start < 0) return out;
    const close = text.indexOf('}', start + 2);
    const nextOpen = text.indexOf('#{', start + 2);
    if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
      const end = nextOpen >= 0 ? nextOpen : text.length;
      out.push({
        ok: false,
        bad: {
          raw: text.slice(start, end),
          start,
          end,
          message: `"${text.slice(start, end)}" opens a variable reference but never closes it; write #{Namespace.Name}`,
        },
      });
      from = end;
      continue;
    }
    const end = close + 1;
    const raw = text.slice(start, end);
    const inner = text.slice(start + 2, close);
    out.push(classify(raw, inner, start, end));
    from = end;
  }
}

function classify(raw: string, inner: string, start: number, end: number): Scanned {
  const bad = (message: string): Scanned => ({ ok: false, bad: { raw, start, end, message } });
  const dot = inner.indexOf('.');
  if (dot < 0) {
    return bad(
      `"${raw}" has no namespace; write #{Namespace.Name}, e.g. #{variables.${inner || 'name'}} for a pipeline variable`,
    );
  }
  const namespace = inner.slice(0, dot);
  const name = inner.slice(dot + 1);
  if (namespace === '') return bad(`"${raw}" has an empty namespace; write #{Namespace.Name}`);
  if (name === '') return bad(`"${raw}" has an empty variable name; write #{${namespace}.Name}`);
  if (!NAMESPACE_PATTERN.test(namespace)) {
    return bad(`"${raw}": namespace "${namespace}" may only contain letters, digits, @, - and _`);
  }
  if (!VARIABLE_NAME_PATTERN.test(name)) {
    return bad(`"${raw}": variable name "${name}" may only contain letters, digits, @, -, _ and .`);
  }
  return { ok: true, ref: { raw, namespace, name, start, end } };
}

/**
 * Finds every well-formed `#{Namespace.Name}` reference in `text`, in order. Malformed `#{…}`
 * are skipped here; {@link findMalformedReferences} reports them.
 *
 * @example
 * ```ts
 * parseVariableReferences('deploy #{SourceVariables.CommitId} on #{variables.env}');
 * // [{ raw: '#{SourceVariables.CommitId}', namespace: 'SourceVariables', name: 'CommitId', start: 7, end: 34 },
 * //  { raw: '#{variables.env}', namespace: 'variables', name: 'env', start: 38, end: 54 }]
 * ```
 */
export function parseVariableReferences(text: string): VariableReference[] {
  return scan(text).flatMap((s) => (s.ok ? [s.ref] : []));
}

/**
 * Finds every `#{…}` in `text` that is not a valid reference, with a message saying how to fix it.
 *
 * @example
 * ```ts
 * findMalformedReferences('echo #{CommitId}');
 * // [{ raw: '#{CommitId}', start: 5, end: 16, message: '"#{CommitId}" has no namespace; write #{Namespace.Name}, …' }]
 * ```
 */
export function findMalformedReferences(text: string): MalformedReference[] {
  return scan(text).flatMap((s) => (s.ok ? [] : [s.bad]));
}
