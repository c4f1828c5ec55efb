import type { Path } from '../model/path.ts';
import type { Action } from '../model/pipeline.ts';
import { findProviderByName } from '../providers/index.ts';
import {
  CODEPIPELINE_NAMESPACE,
  CODEPIPELINE_VARIABLES,
  didYouMean,
  findMalformedReferences,
  PIPELINE_VARIABLES_NAMESPACE,
  parseVariableReferences,
  type VariableReference,
} from '../variables/index.ts';
import { actionPath, eachRule, type PlacedAction, placeActions, runsBefore } from './action-order.ts';
import { arr, describeAction, listOf } from './patterns.ts';
import type { ValidationContext } from './validation-context.ts';

/** A text field that may hold `#{…}` references, with its model path. */
interface TextField {
  path: Path;
  text: string;
}

function textFields(
  at: Path,
  item: Pick<Action, 'configuration' | 'commands' | 'environmentVariables'>,
): TextField[] {
  const out: TextField[] = [];
  const config = item.configuration;
  if (config !== null && typeof config === 'object')
    for (const [key, value] of Object.entries(config))
      if (typeof value === 'string') out.push({ path: [...at, 'configuration', key], text: value });
  arr(item.commands).forEach((c, i) => {
    if (typeof c === 'string') out.push({ path: [...at, 'commands', i], text: c });
  });
  arr(item.environmentVariables).forEach((v, i) => {
    if (typeof v?.value === 'string')
      out.push({ path: [...at, 'environmentVariables', i, 'value'], text: v.value });
  });
  return out;
}

/** The variables an action exports: a closed list, or `'any'` when not known statically. */
function exportedVariables(action: Action): readonly string[] | 'any' {
  const spec = findProviderByName(action.actionTypeId?.category, action.actionTypeId?.provider);
  if (spec === undefined) return 'any';
  if (spec.extraFields.includes('outputVariables')) return arr(action.outputVariables);
  return spec.outputVariables;
}

function typeOf(action: Action): string {
  return `${action.actionTypeId?.category}/${action.actionTypeId?.provider}`;
}

function suggest(wanted: string, candidates: readonly string[]): string {
  const s = didYouMean(wanted, candidates);
  return s === undefined ? '' : `did you mean "${s}"? `;
}

interface Scope {
  /** Actions whose namespace may be referenced here. */
  visible: (x: PlacedAction) => boolean;
  /** The action the text belongs to (undefined for rules). */
  self?: PlacedAction;
}

function checkReference(
  ctx: ValidationContext,
  field: TextField,
  ref: VariableReference,
  scope: Scope,
  placed: readonly PlacedAction[],
): void {
  const variableNames = arr(ctx.pipeline.variables)
    .map((v) => v?.name)
    .filter((n): n is string => typeof n === 'string');
  if (ref.namespace === PIPELINE_VARIABLES_NAMESPACE) {
    if (variableNames.includes(ref.name)) return;
    ctx.error(
      'unknown-pipeline-variable',
      field.path,
      `${ref.raw}: pipeline variable "${ref.name}" is not declared; ${suggest(ref.name, variableNames)}declare it under variables${variableNames.length > 0 ? ` (declared: ${variableNames.join(', ')})` : ''}`,
    );
    return;
  }
  if (ref.namespace === CODEPIPELINE_NAMESPACE) {
    if ((CODEPIPELINE_VARIABLES as readonly string[]).includes(ref.name)) return;
    ctx.error(
      'unknown-codepipeline-variable',
      field.path,
      `${ref.raw}: the codepipeline namespace has only ${CODEPIPELINE_VARIABLES.join(', ')}; write #{codepipeline.PipelineExecutionId}`,
    );
    return;
  }
  const owners = placed.filter((x) => x.action.namespace === ref.namespace);
  const owner = owners.find((x) => scope.visible(x));
  if (owner === undefined) {
    const later = owners[0];
    if (later !== undefined) {
      const who = describeAction(later.stageIndex, later.actionIndex, later.action.name);
      const self = scope.self;
      const why =
        later === self
          ? `is this action's own namespace; an action cannot read its own output variables`
          : self !== undefined && later.stageIndex === self.stageIndex && later.runOrder === self.runOrder
            ? `belongs to ${who}, which runs in parallel with this action; give this action a higher runOrder than ${later.runOrder}`
            : `belongs to ${who}, which runs later; reference it only from actions that run after it`;
      ctx.error('namespace-runs-later', field.path, `${ref.raw}: namespace "${ref.namespace}" ${why}`);
      return;
    }
    const available = [
      ...new Set(
        placed
          .filter((x) => scope.visible(x) && typeof x.action.namespace === 'string')
          .map((x) => x.action.namespace as string),
      ),
    ];
    ctx.error(
      'unknown-namespace',
      field.path,
      `${ref.raw}: no earlier action has namespace "${ref.namespace}"; ${suggest(ref.namespace, available)}${
        available.length > 0
          ? `namespaces available here: ${listOf(available)}`
          : 'no namespace is available here: set namespace on an earlier action'
      }`,
    );
    return;
  }
  const exported = exportedVariables(owner.action);
  if (exported === 'any' || exported.includes(ref.name)) return;
  const who = `${typeOf(owner.action)} action "${owner.action.name}"`;
  const isCommands = findProviderByName(
    owner.action.actionTypeId?.category,
    owner.action.actionTypeId?.provider,
  )?.extraFields.includes('outputVariables');
  const tail =
    exported.length > 0
      ? `it exports ${listOf(exported)}`
      : isCommands
        ? 'it declares no outputVariables: add the name to its outputVariables'
        : 'it exports no variables';
  ctx.error(
    'unknown-output-variable',
    field.path,
    `${ref.raw}: ${who} does not export "${ref.name}"; ${suggest(ref.name, exported)}${tail}${isCommands && exported.length > 0 ? ' (declare more in its outputVariables)' : ''}`,
  );
}

function checkFields(
  ctx: ValidationContext,
  fields: readonly TextField[],
  scope: Scope,
  placed: readonly PlacedAction[],
): void {
  for (const field of fields) {
    if (ctx.isUnresolved(field.path) || !field.text.includes('#{')) continue;
    for (const bad of findMalformedReferences(field.text))
      ctx.error('malformed-variable-reference', field.path, bad.message);
    for (const ref of parseVariableReferences(field.text)) checkReference(ctx, field, ref, scope, placed);
  }
}

/**
 * Variables: every `#{…}` in configuration values, commands and environment variable values
 * (of actions and condition rules) is well formed and resolvable: `#{variables.x}` is a
 * declared pipeline variable, `#{codepipeline.X}` is `PipelineExecutionId`, and `#{NS.Var}`
 * names the namespace of an action that runs earlier and, where that action's variables are
 * known, one of them.
 *
 * @example
 * ```ts
 * checkVariables(ctx); // e.g. '…configuration.ObjectKey: #{Build.Tag}: no earlier action has namespace "Build"; …'
 * ```
 */
export function checkVariables(ctx: ValidationContext): void {
  const placed = placeActions(ctx.pipeline);
  for (const p of placed)
    checkFields(
      ctx,
      textFields(actionPath(p), p.action),
      { visible: (x) => runsBefore(x, p), self: p },
      placed,
    );

  eachRule(ctx.pipeline, (rule, at, s, kind) => {
    const visible = (x: PlacedAction): boolean =>
      kind === 'beforeEntry' ? x.stageIndex < s : x.stageIndex <= s;
    checkFields(ctx, textFields(at, rule), { visible }, placed);
  });
}
