/**
 * The action's own environment variables (`environmentVariables` of a Commands action, the
 * `EnvironmentVariables` configuration of a CodeBuild action): `PLAINTEXT` values with their
 * `#{…}` references resolved (as data: they are values, not shell text), `SECRETS_MANAGER`
 * values through the configured secret resolver and masked in the log.
 *
 * @example
 * ```ts
 * const { env, mask } = await resolveActionEnvironment(action.environmentVariables ?? [], run.variables, options);
 * ```
 */
import { configurationError } from '../outcome.ts';
import { SHELL_NAME } from './shell-quote.ts';
import { substituteVariables } from './variable-environment.ts';

/** One declared variable; `type` defaults to `PLAINTEXT`. */
export interface DeclaredVariable {
  name: string;
  value: string;
  type?: string;
}

/**
 * Resolves declared variables to an environment and the secret values to mask.
 *
 * @example
 * ```ts
 * (await resolveActionEnvironment([{ name: 'A', value: 'x' }], {}, {})).env; // { A: 'x' }
 * ```
 */
export async function resolveActionEnvironment(
  declared: readonly DeclaredVariable[],
  variables: Readonly<Record<string, string>>,
  options: { resolveSecret?: (secretId: string) => Promise<string> },
  where = 'environmentVariables',
  /** false when the values were already resolved by the engine (CodeBuild's EnvironmentVariables configuration). */
  substitute = true,
): Promise<{ env: Record<string, string>; mask: string[] }> {
  const env: Record<string, string> = {};
  const mask: string[] = [];
  for (const [i, variable] of declared.entries()) {
    if (!SHELL_NAME.test(variable.name)) {
      configurationError(
        `${where}[${i}].name ${JSON.stringify(variable.name)} is not a valid environment variable name; use letters, digits and _`,
      );
    }
    const type = variable.type ?? 'PLAINTEXT';
    if (type === 'PLAINTEXT') {
      env[variable.name] = substitute ? substituteVariables(variable.value, variables) : variable.value;
    } else if (type === 'SECRETS_MANAGER' && options.resolveSecret) {
      const secret = await options.resolveSecret(variable.value);
      env[variable.name] = secret;
      mask.push(secret);
    } else {
      configurationError(
        `${where}[${i}] (${variable.name}) has type ${type}, which needs AWS; locally pass a resolveSecret option to the providers for SECRETS_MANAGER, or use a PLAINTEXT value`,
      );
    }
  }
  return { env, mask };
}
