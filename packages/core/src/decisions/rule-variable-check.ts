/**
 * CodePipeline's `VariableCheck` rule (rule-reference-VariableCheck): the resolved
 * `Variable` (a `#{Namespace.Name}` or `#{variables.name}` reference) is compared with
 * `Value` by `Operator`:
 *
 * | Operator | passes when the variable…                                   |
 * |----------|-------------------------------------------------------------|
 * | EQ       | equals Value                                                |
 * | NE       | does not equal Value                                        |
 * | CONTAINS | contains Value as a substring                               |
 * | MATCHES  | matches the regular expression Value as a whole (Java's `String.matches`) |
 *
 * A configuration that cannot be evaluated (a missing key, an unknown operator, a variable no
 * earlier action or pipeline variable provides, a bad regular expression) is an error of the
 * rule, not a verdict: the rule reports `Errored`.
 *
 * @example
 * ```ts
 * evaluateVariableCheck({ Variable: '#{variables.ENV}', Value: 'prod', Operator: 'EQ' }, context);
 * // { status: 'Succeeded', summary: '"prod" EQ "prod"' }
 * ```
 */
import { VariableResolutionError } from '../errors.ts';
import { resolveVariables, type VariableContext } from '../variables/resolve-variables.ts';

/** The operators CodePipeline documents for `VariableCheck`. @example `VARIABLE_CHECK_OPERATORS.includes('MATCHES'); // true` */
export const VARIABLE_CHECK_OPERATORS = ['EQ', 'NE', 'CONTAINS', 'MATCHES'] as const;
/** One of {@link VARIABLE_CHECK_OPERATORS}. @example `'CONTAINS'` */
export type VariableCheckOperator = (typeof VARIABLE_CHECK_OPERATORS)[number];

/**
 * What evaluating one rule came to: `Succeeded` or `Failed` (the rule's verdict), or `Errored`
 * (it could not be evaluated). `summary` says why, in words.
 *
 * @example
 * ```ts
 * const v: RuleVerdict = { status: 'Failed', summary: '"main" EQ "release"' };
 * ```
 */
export interface RuleVerdict {
  status: 'Succeeded' | 'Failed' | 'Errored';
  summary: string;
}

const show = (text: string) => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);

/**
 * Evaluates a `VariableCheck` rule's configuration against the execution's variables.
 *
 * @example
 * ```ts
 * evaluateVariableCheck({ Variable: '#{SourceVariables.BranchName}', Value: 'rel', Operator: 'CONTAINS' }, context).status;
 * ```
 */
export function evaluateVariableCheck(
  configuration: Readonly<Record<string, string>>,
  context: VariableContext,
): RuleVerdict {
  const { Variable: variable, Value: value, Operator: operator } = configuration;
  const missing = (['Variable', 'Value', 'Operator'] as const).filter((k) => configuration[k] === undefined);
  if (variable === undefined || value === undefined || operator === undefined) {
    return {
      status: 'Errored',
      summary: `VariableCheck needs configuration ${missing.join(', ')}; add e.g. Variable: "#{variables.ENV}", Value: "prod", Operator: "EQ"`,
    };
  }
  if (!(VARIABLE_CHECK_OPERATORS as readonly string[]).includes(operator)) {
    return {
      status: 'Errored',
      summary: `VariableCheck Operator ${show(operator)} is unknown; use ${VARIABLE_CHECK_OPERATORS.join(', ')}`,
    };
  }
  let actual: string;
  try {
    actual = resolveVariables(variable, context);
  } catch (e) {
    if (!(e instanceof VariableResolutionError)) throw e;
    return { status: 'Errored', summary: `VariableCheck Variable: ${e.message.replace(/^\[PW\d+\] /, '')}` };
  }
  let passes: boolean;
  switch (operator as VariableCheckOperator) {
    case 'EQ':
      passes = actual === value;
      break;
    case 'NE':
      passes = actual !== value;
      break;
    case 'CONTAINS':
      passes = actual.includes(value);
      break;
    case 'MATCHES': {
      let pattern: RegExp;
      try {
        pattern = new RegExp(`^(?:${value})$`, 'u');
      } catch (e) {
        return {
          status: 'Errored',
          summary: `VariableCheck Value ${show(value)} is not a valid regular expression (${(e as Error).message}); fix the expression`,
        };
      }
      passes = pattern.test(actual);
      break;
    }
  }
  return { status: passes ? 'Succeeded' : 'Failed', summary: `${show(actual)} ${operator} ${show(value)}` };
}
