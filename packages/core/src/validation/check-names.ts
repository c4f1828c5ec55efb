import type { Path } from '../model/path.ts';
import type { Pipeline } from '../model/pipeline.ts';
import { arr, checkName, NAME_RULES, ROLE_ARN } from './patterns.ts';
import type { ValidationContext } from './validation-context.ts';

function checkRoleArn(ctx: ValidationContext, path: Path, value: unknown): void {
  if (value === undefined || ctx.isUnresolved(path)) return;
  if (typeof value !== 'string' || value.length > 1024 || !ROLE_ARN.test(value)) {
    ctx.error(
      'invalid-role-arn',
      path,
      `role ARN ${JSON.stringify(value)} is not an IAM role ARN; write arn:aws:iam::<12-digit account>:role/<name>`,
    );
  }
}

function checkUnique(
  ctx: ValidationContext,
  code: string,
  items: readonly { name: unknown; path: Path }[],
  describe: (name: string, firstPath: Path) => string,
): void {
  const seen = new Map<string, Path>();
  for (const { name, path } of items) {
    if (typeof name !== 'string' || ctx.isUnresolved(path)) continue;
    const first = seen.get(name);
    if (first === undefined) seen.set(name, path);
    else ctx.error(code, path, describe(name, first));
  }
}

/**
 * Names: patterns and lengths of the pipeline, stage, action, rule, artifact, namespace and
 * pipeline variable names; unique stage names per pipeline, action names per stage, variable
 * names; role ARNs.
 *
 * @example
 * ```ts
 * checkNames(ctx); // ctx.diagnostics gets e.g. 'stages[1].name: stage name "Build" is already used by stages[0]; …'
 * ```
 */
export function checkNames(ctx: ValidationContext): void {
  const p = ctx.pipeline;
  checkName(ctx, 'invalid-pipeline-name', ['name'], p.name, NAME_RULES.pipeline);
  checkRoleArn(ctx, ['roleArn'], p.roleArn);
  const stages = arr(p.stages);
  checkUnique(
    ctx,
    'duplicate-stage-name',
    stages.map((s, i) => ({ name: s?.name, path: ['stages', i, 'name'] })),
    (name, first) =>
      `stage name "${name}" is already used by stages[${first[1]}]; stage names must be unique in a pipeline: rename one`,
  );
  stages.forEach((stage, s) => {
    checkStageNames(ctx, stage, s);
  });
  checkUniqueNamespaces(ctx, stages);
  checkVariables(ctx, arr(p.variables));
}

type StageDeclaration = Pipeline['stages'][number];
type ActionDeclaration = StageDeclaration['actions'][number];
type VariableDeclaration = NonNullable<Pipeline['variables']>[number];

function checkStageNames(ctx: ValidationContext, stage: StageDeclaration, s: number): void {
  checkName(ctx, 'invalid-stage-name', ['stages', s, 'name'], stage?.name, NAME_RULES.stage);
  const actions = arr(stage?.actions);
  checkUnique(
    ctx,
    'duplicate-action-name',
    actions.map((a, i) => ({ name: a?.name, path: ['stages', s, 'actions', i, 'name'] })),
    (name, first) =>
      `action name "${name}" is already used by stages[${s}].actions[${first[3]}] in this stage; action names must be unique in a stage: rename one`,
  );
  actions.forEach((action, a) => {
    checkActionNames(ctx, action, ['stages', s, 'actions', a]);
  });
  for (const kind of ['beforeEntry', 'onSuccess', 'onFailure'] as const) {
    arr(stage?.[kind]?.conditions).forEach((condition, c) => {
      arr(condition?.rules).forEach((rule, r) => {
        const at = ['stages', s, kind, 'conditions', c, 'rules', r];
        checkName(ctx, 'invalid-rule-name', [...at, 'name'], rule?.name, NAME_RULES.rule);
        checkRoleArn(ctx, [...at, 'roleArn'], rule?.roleArn);
      });
    });
  }
}

function checkActionNames(ctx: ValidationContext, action: ActionDeclaration, at: Path): void {
  checkName(ctx, 'invalid-action-name', [...at, 'name'], action?.name, NAME_RULES.action);
  for (const list of ['inputArtifacts', 'outputArtifacts'] as const) {
    arr(action?.[list]).forEach((artifact, k) => {
      checkName(ctx, 'invalid-artifact-name', [...at, list, k, 'name'], artifact?.name, NAME_RULES.artifact);
    });
  }
  if (action?.namespace !== undefined)
    checkName(ctx, 'invalid-namespace', [...at, 'namespace'], action.namespace, NAME_RULES.namespace);
  checkRoleArn(ctx, [...at, 'roleArn'], action?.roleArn);
}

function checkUniqueNamespaces(ctx: ValidationContext, stages: readonly StageDeclaration[]): void {
  checkUnique(
    ctx,
    'duplicate-namespace',
    stages.flatMap((stage, s) =>
      arr(stage?.actions).flatMap((action, a) =>
        action?.namespace === undefined
          ? []
          : [{ name: action.namespace, path: ['stages', s, 'actions', a, 'namespace'] }],
      ),
    ),
    (name, first) =>
      `namespace "${name}" is already used by stages[${first[1]}].actions[${first[3]}]; namespaces must be unique in the pipeline: rename one`,
  );
}

function checkVariables(ctx: ValidationContext, variables: readonly VariableDeclaration[]): void {
  checkUnique(
    ctx,
    'duplicate-variable-name',
    variables.map((v, i) => ({ name: v?.name, path: ['variables', i, 'name'] })),
    (name, first) =>
      `pipeline variable "${name}" is already declared at variables[${first[1]}]; remove or rename one`,
  );
  variables.forEach((v, i) => {
    checkName(ctx, 'invalid-variable-name', ['variables', i, 'name'], v?.name, NAME_RULES.variable);
    const def = v?.defaultValue;
    if (
      typeof def === 'string' &&
      !ctx.isUnresolved(['variables', i, 'defaultValue']) &&
      (def.length < 1 || def.length > 1000)
    )
      ctx.error(
        'invalid-variable-default',
        ['variables', i, 'defaultValue'],
        `default value of "${v.name}" is ${def.length} characters long; it must be 1–1000 characters (leave it out for no default)`,
      );
    const desc = v?.description;
    if (typeof desc === 'string' && desc.length > 200)
      ctx.error(
        'invalid-variable-description',
        ['variables', i, 'description'],
        `description of "${v.name}" is ${desc.length} characters long; shorten it to at most 200`,
      );
  });
}
