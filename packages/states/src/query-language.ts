/**
 * The query language of a state, as the Amazon States Language defines it: a state's own
 * `QueryLanguage`, else the state machine's top-level `QueryLanguage`, else `JSONPath`. So a
 * JSONPath machine may hold JSONata states (not the other way round: a JSONata machine's
 * states may not choose JSONPath).
 *
 * @example
 * ```ts
 * languageOf({ Type: 'Pass' }, 'JSONPath'); // 'JSONPath'
 * languageOf({ Type: 'Pass', QueryLanguage: 'JSONata' }, 'JSONPath'); // 'JSONata'
 * ```
 */

/** One of the two query languages. */
export type QueryLanguage = 'JSONata' | 'JSONPath';

/** The language a state uses, given the machine's default. */
export function languageOf(
  state: { QueryLanguage?: QueryLanguage | undefined },
  machineDefault: QueryLanguage,
): QueryLanguage {
  return state.QueryLanguage ?? machineDefault;
}
