/**
 * The environment of an action that runs as a CodeBuild build: pipeline variables as
 * `PW_<Namespace>_<Name>` (the local providers' scheme, so `#{…}` in commands is rewritten the
 * same way in both worlds), then the action's own variables. PLAINTEXT values have their
 * `#{…}` references resolved (as data, by core's resolver); `SECRETS_MANAGER` and
 * `PARAMETER_STORE` variables keep their type and reference, and CodeBuild resolves them
 * inside the build, so a secret never travels in a request or an event.
 *
 * @example
 * ```ts
 * const { names, environment } = pipelineVariableEnvironment(run.variables);
 * environment; // [{ name: 'PW_SourceVariables_CommitId', value: '4f2a…', type: 'PLAINTEXT' }]
 * ```
 */
import type { EnvironmentVariable, EnvironmentVariableType } from '@aws-sdk/client-codebuild';
import { resolveVariables, type VariableContext } from '@pipewright/core';
import { variableEnvironment } from '@pipewright/providers';
import { configurationError } from './checked-configuration.ts';

const TYPES: readonly EnvironmentVariableType[] = ['PLAINTEXT', 'PARAMETER_STORE', 'SECRETS_MANAGER'];

/**
 * Every variable visible to the action, as PLAINTEXT `PW_…` variables, and the name of each.
 *
 * @example
 * ```ts
 * pipelineVariableEnvironment({ 'variables.ENV': 'prod' }).names.get('variables.ENV'); // 'PW_variables_ENV'
 * ```
 */
export function pipelineVariableEnvironment(variables: Readonly<Record<string, string>>): {
  names: Map<string, string>;
  environment: EnvironmentVariable[];
} {
  const { names, env } = variableEnvironment(variables);
  return {
    names,
    environment: Object.entries(env).map(([name, value]) => ({ name, value, type: 'PLAINTEXT' })),
  };
}

/**
 * The action's declared variables for CodeBuild. `substitute` resolves `#{…}` in PLAINTEXT
 * values (false when the engine already resolved them, as for configuration values).
 *
 * @example
 * ```ts
 * declaredEnvironment([{ name: 'TOKEN', value: 'prod/token', type: 'SECRETS_MANAGER' }], run, 'environmentVariables', true);
 * // [{ name: 'TOKEN', value: 'prod/token', type: 'SECRETS_MANAGER' }]
 * ```
 */
export function declaredEnvironment(
  declared: readonly { name: string; value: string; type?: string | undefined }[],
  run: { variables: Readonly<Record<string, string>>; executionId: string },
  where: string,
  substitute: boolean,
): EnvironmentVariable[] {
  const context = variableContext(run.variables, run.executionId);
  return declared.map((variable, i) => {
    const type = (variable.type ?? 'PLAINTEXT') as EnvironmentVariableType;
    if (!TYPES.includes(type)) {
      configurationError(
        `${where}[${i}] (${variable.name}) has type ${variable.type}; use PLAINTEXT, PARAMETER_STORE or SECRETS_MANAGER`,
      );
    }
    let value = variable.value;
    if (type === 'PLAINTEXT' && substitute) {
      try {
        value = resolveVariables(value, context);
      } catch (error) {
        configurationError(
          `${where}[${i}] (${variable.name}): ${error instanceof Error ? error.message : error}`,
        );
      }
    }
    return { name: variable.name, value, type };
  });
}

/** Core's variable context from the run's `Namespace.Name` map. */
function variableContext(variables: Readonly<Record<string, string>>, executionId: string): VariableContext {
  const context: VariableContext = { executionId, pipelineVariables: {}, namespaces: {} };
  for (const [key, value] of Object.entries(variables)) {
    const dot = key.indexOf('.');
    const namespace = key.slice(0, dot);
    const name = key.slice(dot + 1);
    if (namespace === 'codepipeline') continue;
    if (namespace === 'variables') context.pipelineVariables[name] = value;
    else {
      context.namespaces[namespace] ??= {};
      (context.namespaces[namespace] as Record<string, string>)[name] = value;
    }
  }
  return context;
}
