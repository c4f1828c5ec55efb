import type { Path } from '../model/path.ts';
import { actionPath, eachRule, placeActions } from './action-order.ts';
import { arr, ENV_VAR_NAME, NAMESPACE_NAME } from './patterns.ts';
import type { ValidationContext } from './validation-context.ts';

const MAX_VARIABLES = 50;

function checkConfigurationSizes(ctx: ValidationContext, at: Path, configuration: unknown): void {
  if (
    configuration === null ||
    typeof configuration !== 'object' ||
    ctx.isUnresolved([...at, 'configuration'])
  )
    return;
  for (const [key, value] of Object.entries(configuration)) {
    const path = [...at, 'configuration', key];
    if (key.length < 1 || key.length > 50)
      ctx.error(
        'invalid-configuration-key',
        path,
        `configuration key "${key}" is ${key.length} characters long; keys must be 1–50 characters`,
      );
    if (typeof value === 'string' && value.length > 1000 && !ctx.isUnresolved(path))
      ctx.error(
        'configuration-value-too-long',
        path,
        `configuration value is ${value.length} characters long; the limit is 1000: move the data into an artifact or a file`,
      );
  }
}

function checkCommands(ctx: ValidationContext, path: Path, commands: readonly unknown[] | undefined): void {
  if (commands === undefined || ctx.isUnresolved(path)) return;
  const list = arr(commands);
  if (list.length > 50)
    ctx.error(
      'invalid-commands',
      path,
      `${list.length} commands given; at most 50 are allowed: move some into a script in the source`,
    );
  list.forEach((command, i) => {
    if (typeof command !== 'string' || command.length === 0)
      ctx.error('invalid-commands', [...path, i], 'command is empty; remove it or write the shell command');
    else if (command.length > 1000)
      ctx.error(
        'invalid-commands',
        [...path, i],
        `command is ${command.length} characters long; the limit is 1000: move it into a script in the source`,
      );
  });
}

/**
 * Limits: counts and lengths CodePipeline enforces that are not names: pipeline variables
 * (≤50), configuration keys (1–50 chars) and values (≤1000), commands (1–50 × ≤1000),
 * environment variables (1–10, name `[A-Za-z0-9_]+`, value ≤2000), output variables
 * (1–15 names).
 *
 * @example
 * ```ts
 * checkLimits(ctx); // e.g. 'stages[1].actions[0].commands[3]: command is 1204 characters long; …'
 * ```
 */
export function checkLimits(ctx: ValidationContext): void {
  const variables = arr(ctx.pipeline.variables);
  if (variables.length > MAX_VARIABLES)
    ctx.error(
      'too-many-variables',
      ['variables'],
      `${variables.length} pipeline variables declared; at most ${MAX_VARIABLES} are allowed: remove some`,
    );

  for (const p of placeActions(ctx.pipeline)) {
    const at = actionPath(p);
    const { action } = p;
    checkConfigurationSizes(ctx, at, action.configuration);
    checkCommands(ctx, [...at, 'commands'], action.commands);

    const env = action.environmentVariables;
    if (env !== undefined && !ctx.isUnresolved([...at, 'environmentVariables'])) {
      const list = arr(env);
      if (list.length < 1 || list.length > 10)
        ctx.error(
          'invalid-environment-variables',
          [...at, 'environmentVariables'],
          `${list.length} environment variables given; an action takes 1–10${list.length === 0 ? ': remove the empty list' : ': pass the rest in a file'}`,
        );
      list.forEach((v, i) => {
        const path = [...at, 'environmentVariables', i];
        if (typeof v?.name !== 'string' || !ENV_VAR_NAME.test(v.name) || v.name.length > 128)
          ctx.error(
            'invalid-environment-variables',
            [...path, 'name'],
            `environment variable name ${JSON.stringify(v?.name)} is not valid; use 1–128 letters, digits and _`,
          );
        if (typeof v?.value === 'string' && v.value.length > 2000 && !ctx.isUnresolved([...path, 'value']))
          ctx.error(
            'invalid-environment-variables',
            [...path, 'value'],
            `environment variable value is ${v.value.length} characters long; the limit is 2000`,
          );
        if (v?.type !== 'PLAINTEXT' && v?.type !== 'SECRETS_MANAGER')
          ctx.error(
            'invalid-environment-variables',
            [...path, 'type'],
            `environment variable type ${JSON.stringify(v?.type)} is not valid; use PLAINTEXT or SECRETS_MANAGER`,
          );
      });
    }

    const outputs = action.outputVariables;
    if (outputs !== undefined) {
      const list = arr(outputs);
      if (list.length < 1 || list.length > 15)
        ctx.error(
          'invalid-output-variables',
          [...at, 'outputVariables'],
          `${list.length} output variables declared; an action exports 1–15${list.length === 0 ? ': remove the empty list' : ''}`,
        );
      list.forEach((name, i) => {
        if (typeof name !== 'string' || name.length > 128 || !NAMESPACE_NAME.test(name))
          ctx.error(
            'invalid-output-variables',
            [...at, 'outputVariables', i],
            `output variable ${JSON.stringify(name)} is not a valid name; use 1–128 letters, digits, @, - and _ (the name of an environment variable the commands set)`,
          );
      });
    }
  }

  eachRule(ctx.pipeline, (rule, at) => {
    checkCommands(ctx, [...at, 'commands'], rule.commands);
    const t = rule.timeoutInMinutes;
    if (t !== undefined && (!Number.isInteger(t) || t < 5 || t > 86_400))
      ctx.error(
        'invalid-timeout',
        [...at, 'timeoutInMinutes'],
        `rule timeoutInMinutes must be a whole number from 5 to 86400, got ${JSON.stringify(t)}`,
      );
  });
}
