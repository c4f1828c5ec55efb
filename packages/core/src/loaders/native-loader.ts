import type { Path } from '../model/path.ts';
import {
  ACTION_CATEGORIES,
  ACTION_OWNERS,
  type Action,
  type ActionCategory,
  type ActionOwner,
  type ArtifactRef,
  type EnvironmentVariable,
  EXECUTION_MODES,
  type ExecutionMode,
  type GitPullRequestFilter,
  type GitPushFilter,
  type GlobFilter,
  type NotificationTarget,
  PIPELINE_TYPES,
  type Pipeline,
  type PipelineType,
  type PipelineVariable,
  PULL_REQUEST_EVENTS,
  type PullRequestEvent,
  type Stage,
  type Trigger,
} from '../model/pipeline.ts';
import { checkShape } from './check-shape.ts';
import { loadStageConditions } from './declaration-conditions.ts';
import { Intrinsic } from './intrinsic.ts';
import type { LoadContext, PipelineBuilder } from './load-context.ts';
import { ACTION_TYPE_PATTERN, NATIVE_ALIASES, NATIVE_PIPELINE_SCHEMA } from './native-schema.ts';
import { closestMatch } from './suggest.ts';

type Fields = Record<string, unknown>;

function get(map: Fields | undefined, key: string): unknown {
  return map && Object.hasOwn(map, key) ? map[key] : undefined;
}

function pick<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  return (allowed as readonly string[]).includes(value ?? '') ? (value as T) : undefined;
}

function isMap(value: unknown): value is Fields {
  return (
    value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Intrinsic)
  );
}

function globFilter(b: PipelineBuilder, value: unknown, mp: Path, dp: Path): GlobFilter | undefined {
  if (Array.isArray(value)) return { includes: b.strings(value, [...mp, 'includes'], dp) };
  const map = b.object(value, mp, dp);
  if (!map) return undefined;
  const includes = get(map, 'includes');
  const excludes = get(map, 'excludes');
  return {
    ...(includes === undefined
      ? {}
      : { includes: b.strings(includes, [...mp, 'includes'], [...dp, 'includes']) }),
    ...(excludes === undefined
      ? {}
      : { excludes: b.strings(excludes, [...mp, 'excludes'], [...dp, 'excludes']) }),
  };
}

function stringRecord(
  b: PipelineBuilder,
  value: unknown,
  mp: Path,
  dp: Path,
): Record<string, string> | undefined {
  return value === undefined || value === null ? undefined : b.stringMap(value, mp, dp);
}

function gitTrigger(b: PipelineBuilder, value: unknown, mp: Path, dp: Path): Trigger {
  const m = [...mp, 'gitConfiguration'];
  const git = b.object(value, m, dp);
  const push: GitPushFilter[] = [];
  b.list(get(git, 'push'), [...m, 'push'], [...dp, 'push']).forEach((item, i) => {
    const pm = [...m, 'push', i];
    const pd = [...dp, 'push', i];
    const filter = b.object(item, pm, pd);
    const entry: GitPushFilter = {};
    for (const key of ['branches', 'tags', 'filePaths'] as const) {
      const f = globFilter(b, get(filter, key), [...pm, key], [...pd, key]);
      if (f) entry[key] = f;
    }
    push.push(entry);
  });
  const pullRequest: GitPullRequestFilter[] = [];
  b.list(get(git, 'pullRequest'), [...m, 'pullRequest'], [...dp, 'pullRequest']).forEach((item, i) => {
    const pm = [...m, 'pullRequest', i];
    const pd = [...dp, 'pullRequest', i];
    const filter = b.object(item, pm, pd);
    const entry: GitPullRequestFilter = {};
    const events = get(filter, 'events');
    if (events !== undefined) {
      entry.events = b
        .strings(events, [...pm, 'events'], [...pd, 'events'])
        .filter((e): e is PullRequestEvent => (PULL_REQUEST_EVENTS as readonly string[]).includes(e));
    }
    for (const key of ['branches', 'filePaths'] as const) {
      const f = globFilter(b, get(filter, key), [...pm, key], [...pd, key]);
      if (f) entry[key] = f;
    }
    pullRequest.push(entry);
  });
  return {
    providerType: 'CodeStarSourceConnection',
    gitConfiguration: {
      sourceActionName: b.string(get(git, 'source'), [...m, 'sourceActionName'], [...dp, 'source']) ?? '',
      ...(get(git, 'push') === undefined ? {} : { push }),
      ...(get(git, 'pullRequest') === undefined ? {} : { pullRequest }),
    },
  };
}

function trigger(b: PipelineBuilder, value: unknown, mp: Path, dp: Path): Trigger | undefined {
  const map = b.object(value, mp, dp);
  if (!map) return undefined;
  const kinds = (['git', 'schedule', 'event'] as const).filter((k) => get(map, k) !== undefined);
  if (kinds.length !== 1) {
    b.ctx.report(
      'error',
      kinds.length === 0 ? 'missing-field' : 'invalid-value',
      dp,
      kinds.length === 0
        ? 'a trigger needs one of "git", "schedule" or "event"; add one.'
        : `a trigger has exactly one of "git", "schedule" or "event", this one has ${kinds.join(' and ')}; split it into ${kinds.length} triggers.`,
    );
  }
  const kind = kinds[0];
  if (kind === 'git') return gitTrigger(b, get(map, 'git'), mp, [...dp, 'git']);
  if (kind === 'schedule') {
    const raw = get(map, 'schedule');
    const sd = [...dp, 'schedule'];
    const sm = [...mp, 'schedule'];
    if (typeof raw === 'string' || raw instanceof Intrinsic) {
      return {
        providerType: 'Schedule',
        schedule: { expression: b.string(raw, [...sm, 'expression'], sd) ?? '' },
      };
    }
    const s = b.object(raw, sm, sd);
    const timezone = b.string(get(s, 'timezone'), [...sm, 'timezone'], [...sd, 'timezone']);
    const variables = stringRecord(b, get(s, 'variables'), [...sm, 'variables'], [...sd, 'variables']);
    return {
      providerType: 'Schedule',
      schedule: {
        expression: b.string(get(s, 'expression'), [...sm, 'expression'], [...sd, 'expression']) ?? '',
        ...(timezone === undefined ? {} : { timezone }),
        ...(variables ? { variables } : {}),
      },
    };
  }
  if (kind === 'event') {
    const ed = [...dp, 'event'];
    const em = [...mp, 'eventPattern'];
    const e = b.object(get(map, 'event'), em, ed) ?? {};
    const long =
      isMap(get(e, 'pattern')) && Object.keys(e).every((k) => k === 'pattern' || k === 'variables');
    if (!long) return { providerType: 'EventPattern', eventPattern: { pattern: e } };
    const pattern = b.object(get(e, 'pattern'), [...em, 'pattern'], [...ed, 'pattern']) ?? {};
    const variables = stringRecord(b, get(e, 'variables'), [...em, 'variables'], [...ed, 'variables']);
    return { providerType: 'EventPattern', eventPattern: { pattern, ...(variables ? { variables } : {}) } };
  }
  return undefined;
}

function actionType(b: PipelineBuilder, map: Fields, mp: Path, dp: Path): Action['actionTypeId'] {
  const raw = get(map, 'type');
  const text = typeof raw === 'string' ? raw : undefined;
  const td = [...dp, 'type'];
  b.map([...mp, 'actionTypeId'], td);
  const owner =
    pick<ActionOwner>(
      b.string(get(map, 'owner'), [...mp, 'actionTypeId', 'owner'], [...dp, 'owner']),
      ACTION_OWNERS,
    ) ?? 'AWS';
  const match = text === undefined ? null : ACTION_TYPE_PATTERN.exec(text);
  if (!match) {
    if (text !== undefined) {
      const [category = '', provider = ''] = text.split('/');
      const suggestion = closestMatch(category, ACTION_CATEGORIES);
      const hint =
        suggestion && suggestion !== category && provider
          ? `did you mean "${suggestion}/${provider}"?`
          : `write Category/Provider, e.g. Build/Commands (categories: ${ACTION_CATEGORIES.join(', ')}).`;
      b.ctx.report('error', 'invalid-value', td, `"${text}" is not an action type; ${hint}`);
    }
    return { category: 'Build', owner, provider: '', version: '1' };
  }
  return { category: match[1] as ActionCategory, owner, provider: match[2] ?? '', version: match[4] ?? '1' };
}

function environment(b: PipelineBuilder, value: unknown, mp: Path, dp: Path): EnvironmentVariable[] {
  const out: EnvironmentVariable[] = [];
  if (Array.isArray(value)) {
    b.list(value, mp, dp).forEach((item, i) => {
      const entry = b.object(item, [...mp, i], [...dp, i]);
      const name = b.string(get(entry, 'name'), [...mp, i, 'name'], [...dp, i, 'name']);
      if (name === undefined) return;
      const value = b.string(get(entry, 'value'), [...mp, i, 'value'], [...dp, i, 'value']) ?? '';
      const type = pick(b.string(get(entry, 'type'), [...mp, i, 'type'], [...dp, i, 'type']), [
        'PLAINTEXT',
        'SECRETS_MANAGER',
      ] as const);
      out.push({ name, value, type: type ?? 'PLAINTEXT' });
    });
    return out;
  }
  const map = b.object(value, mp, dp) ?? {};
  for (const [name, raw] of Object.entries(map)) {
    const i = out.length;
    b.map([...mp, i], [...dp, name]);
    const v = b.string(raw, [...mp, i, 'value'], [...dp, name]);
    if (v !== undefined) out.push({ name, value: v, type: 'PLAINTEXT' });
  }
  return out;
}

function action(b: PipelineBuilder, map: Fields, mp: Path, dp: Path): Action {
  const outputs: ArtifactRef[] = [];
  b.list(get(map, 'outputs'), [...mp, 'outputArtifacts'], [...dp, 'outputs']).forEach((item, i) => {
    const m = [...mp, 'outputArtifacts', i];
    const d = [...dp, 'outputs', i];
    if (isMap(item)) {
      b.map(m, d);
      const name = b.string(get(item, 'name'), [...m, 'name'], [...d, 'name']);
      const files = get(item, 'files');
      if (name !== undefined)
        outputs.push(
          files === undefined
            ? { name }
            : { name, files: b.strings(files, [...m, 'files'], [...d, 'files']) },
        );
      return;
    }
    const name = b.string(item, m, d);
    if (name !== undefined) {
      b.map([...m, 'name'], d);
      outputs.push({ name });
    }
  });
  const inputs = b.strings(get(map, 'inputs'), [...mp, 'inputArtifacts'], [...dp, 'inputs']);
  for (let i = 0; i < inputs.length; i++) b.map([...mp, 'inputArtifacts', i, 'name'], [...dp, 'inputs', i]);
  const optional: Partial<Action> = {};
  for (const key of ['namespace', 'region', 'roleArn'] as const) {
    const value = b.string(get(map, key), [...mp, key], [...dp, key]);
    if (value !== undefined) optional[key] = value;
  }
  const timeout = b.number(
    get(map, 'timeoutInMinutes'),
    [...mp, 'timeoutInMinutes'],
    [...dp, 'timeoutInMinutes'],
  );
  if (timeout !== undefined) optional.timeoutInMinutes = timeout;
  for (const key of ['commands', 'outputVariables'] as const) {
    const value = get(map, key);
    if (value !== undefined && value !== null) optional[key] = b.strings(value, [...mp, key], [...dp, key]);
  }
  const patterns = get(map, 'resourcePatterns');
  if (patterns !== undefined && patterns !== null) {
    optional.resourcePatterns = b.stringMap(
      patterns,
      [...mp, 'resourcePatterns'],
      [...dp, 'resourcePatterns'],
    );
  }
  const env = get(map, 'env');
  if (env !== undefined && env !== null) {
    optional.environmentVariables = environment(b, env, [...mp, 'environmentVariables'], [...dp, 'env']);
  }
  return {
    name: b.string(get(map, 'name'), [...mp, 'name'], [...dp, 'name']) ?? '',
    actionTypeId: actionType(b, map, mp, dp),
    runOrder: b.number(get(map, 'runOrder'), [...mp, 'runOrder'], [...dp, 'runOrder']) ?? 1,
    configuration: b.stringMap(get(map, 'configuration'), [...mp, 'configuration'], [...dp, 'configuration']),
    inputArtifacts: inputs.map((name) => ({ name })),
    outputArtifacts: outputs,
    ...optional,
  };
}

function variables(b: PipelineBuilder, value: unknown): PipelineVariable[] {
  const out: PipelineVariable[] = [];
  if (Array.isArray(value)) {
    b.list(value, ['variables'], ['variables']).forEach((item, i) => {
      const entry = b.object(item, ['variables', i], ['variables', i]);
      const name = b.string(get(entry, 'name'), ['variables', i, 'name'], ['variables', i, 'name']);
      if (name === undefined) return;
      const def = b.string(
        get(entry, 'default'),
        ['variables', i, 'defaultValue'],
        ['variables', i, 'default'],
      );
      const description = b.string(
        get(entry, 'description'),
        ['variables', i, 'description'],
        ['variables', i, 'description'],
      );
      out.push({
        name,
        ...(def === undefined ? {} : { defaultValue: def }),
        ...(description === undefined ? {} : { description }),
      });
    });
    return out;
  }
  const map = b.object(value, ['variables'], ['variables']) ?? {};
  for (const [name, raw] of Object.entries(map)) {
    const i = out.length;
    b.map(['variables', i], ['variables', name]);
    b.map(['variables', i, 'name'], ['variables', name]);
    const def = b.string(raw, ['variables', i, 'defaultValue'], ['variables', name]);
    out.push(def === undefined ? { name } : { name, defaultValue: def });
  }
  return out;
}

function notifications(b: PipelineBuilder, value: unknown): NotificationTarget[] {
  return b.list(value, ['notifications'], ['notifications']).flatMap((item, i) => {
    const p = ['notifications', i];
    const map = b.object(item, p, p);
    if (!map) return [];
    const target: NotificationTarget = {};
    for (const key of ['emails', 'events'] as const) {
      const v = get(map, key);
      if (v !== undefined && v !== null) target[key] = b.strings(v, [...p, key], [...p, key]);
    }
    const url = b.string(get(map, 'webhookUrl'), [...p, 'webhookUrl'], [...p, 'webhookUrl']);
    if (url !== undefined) target.webhookUrl = url;
    return [target];
  });
}

/**
 * Loads a native-format document (already parsed) into the model: checks its shape against
 * {@link NATIVE_PIPELINE_SCHEMA} (every problem reported, with "did you mean …?"), then maps
 * shorthands to the model, using safe defaults where the document is wrong.
 *
 * @example
 * ```ts
 * const pipeline = loadNative({ name: 'web', stages: [] }, ctx, builder);
 * pipeline.pipelineType; // 'V2'
 * ```
 */
export function loadNative(data: unknown, ctx: LoadContext, b: PipelineBuilder): Pipeline {
  ctx.aliases = NATIVE_ALIASES;
  checkShape(NATIVE_PIPELINE_SCHEMA, data, [], ctx);
  ctx.aliases = undefined;
  const doc = b.object(data, [], []) ?? {};
  const stages: Stage[] = [];
  b.list(get(doc, 'stages'), ['stages'], ['stages']).forEach((item, i) => {
    const p = ['stages', i];
    const map = b.object(item, p, p);
    if (!map) return;
    const actions: Action[] = [];
    b.list(get(map, 'actions'), [...p, 'actions'], [...p, 'actions']).forEach((a, j) => {
      const ap = [...p, 'actions', j];
      const am = b.object(a, ap, ap);
      if (am) actions.push(action(b, am, ap, ap));
    });
    stages.push({
      name: b.string(get(map, 'name'), [...p, 'name'], [...p, 'name']) ?? '',
      actions,
      ...loadStageConditions(map, p, p, b),
    });
  });
  const triggers: Trigger[] = [];
  b.list(get(doc, 'triggers'), ['triggers'], ['triggers']).forEach((item, i) => {
    const t = trigger(b, item, ['triggers', i], ['triggers', i]);
    if (t) triggers.push(t);
  });
  const notes = get(doc, 'notifications');
  return {
    name: b.string(get(doc, 'name'), ['name'], ['name']) ?? 'unnamed-pipeline',
    executionMode:
      pick<ExecutionMode>(
        b.string(get(doc, 'executionMode'), ['executionMode'], ['executionMode']),
        EXECUTION_MODES,
      ) ?? 'SUPERSEDED',
    pipelineType:
      pick<PipelineType>(
        b.string(get(doc, 'pipelineType'), ['pipelineType'], ['pipelineType']),
        PIPELINE_TYPES,
      ) ?? 'V2',
    variables: variables(b, get(doc, 'variables')),
    triggers,
    stages,
    ...(notes === undefined || notes === null ? {} : { notifications: notifications(b, notes) }),
  };
}
