import type { Path } from '../model/path.ts';
import {
  ACTION_CATEGORIES,
  ACTION_OWNERS,
  type Action,
  type ActionCategory,
  type ActionOwner,
  type ArtifactStore,
  type EnvironmentVariable,
  EXECUTION_MODES,
  type ExecutionMode,
  type GitPullRequestFilter,
  type GitPushFilter,
  type GlobFilter,
  PIPELINE_TYPES,
  type Pipeline,
  type PipelineType,
  type PipelineVariable,
  PULL_REQUEST_EVENTS,
  type PullRequestEvent,
  type Stage,
  type Trigger,
} from '../model/pipeline.ts';
import { stageConditionsOf } from './declaration-conditions.ts';
import {
  artifacts,
  type Fields,
  field,
  list,
  num,
  obj,
  pick,
  type Reader,
  str,
  strings,
} from './declaration-reader.ts';
import { type Casing, cased } from './declaration-schema.ts';
import type { PipelineBuilder } from './load-context.ts';

function artifactStore(r: Reader, map: Fields | undefined, mp: Path, dp: Path): ArtifactStore | undefined {
  if (!map) return undefined;
  const location = str(r, map, 'location', mp, dp) ?? '';
  const key = obj(r, map, 'encryptionKey', mp, dp);
  const id = str(r, key, 'id', [...mp, 'encryptionKey'], [...dp, cased('encryptionKey', r.casing)]);
  return {
    type: 'S3',
    location,
    ...(id === undefined ? {} : { encryptionKey: { id, type: 'KMS' as const } }),
  };
}

function artifactStores(
  r: Reader,
  decl: Fields,
  mp: Path,
  dp: Path,
): Record<string, ArtifactStore> | undefined {
  const raw = field(decl, r, 'artifactStores');
  if (raw === undefined || raw === null) return undefined;
  const out: Record<string, ArtifactStore> = {};
  const d = [...dp, cased('artifactStores', r.casing)];
  if (r.casing === 'camel') {
    const map = obj(r, decl, 'artifactStores', mp, dp) ?? {};
    for (const [region, value] of Object.entries(map)) {
      const store = artifactStore(
        r,
        r.b.object(value, [...mp, 'artifactStores', region], [...d, region]),
        [...mp, 'artifactStores', region],
        [...d, region],
      );
      if (store) out[region] = store;
    }
  } else {
    list(r, decl, 'artifactStores', mp, dp).forEach((item, i) => {
      const entry = r.b.object(item, [...mp, 'artifactStores', i], [...d, i]);
      const region = r.b.string(
        field(entry, r, 'region'),
        [...mp, 'artifactStores', i, 'region'],
        [...d, i, 'Region'],
      );
      if (region === undefined) return;
      const m = [...mp, 'artifactStores', region];
      const storeDoc = [...d, i, 'ArtifactStore'];
      const store = artifactStore(r, r.b.object(field(entry, r, 'artifactStore'), m, storeDoc), m, storeDoc);
      if (store) out[region] = store;
    });
  }
  return out;
}

function environmentVariables(
  r: Reader,
  action: Fields,
  mp: Path,
  dp: Path,
): EnvironmentVariable[] | undefined {
  if (field(action, r, 'environmentVariables') === undefined) return undefined;
  const out: EnvironmentVariable[] = [];
  list(r, action, 'environmentVariables', mp, dp).forEach((item, i) => {
    const m = [...mp, 'environmentVariables', i];
    const d = [...dp, cased('environmentVariables', r.casing), i];
    const entry = r.b.object(item, m, d);
    const name = str(r, entry, 'name', m, d);
    if (name === undefined) return;
    const type = pick(str(r, entry, 'type', m, d), ['PLAINTEXT', 'SECRETS_MANAGER'] as const) ?? 'PLAINTEXT';
    out.push({ name, value: str(r, entry, 'value', m, d) ?? '', type });
  });
  return out;
}

function action(r: Reader, map: Fields, mp: Path, dp: Path): Action {
  const typeId = obj(r, map, 'actionTypeId', mp, dp);
  const tm = [...mp, 'actionTypeId'];
  const td = [...dp, cased('actionTypeId', r.casing)];
  const optional: Partial<Action> = {};
  for (const key of ['namespace', 'region', 'roleArn'] as const) {
    const value = str(r, map, key, mp, dp);
    if (value !== undefined) optional[key] = value;
  }
  const timeoutInMinutes = num(r, map, 'timeoutInMinutes', mp, dp);
  if (timeoutInMinutes !== undefined) optional.timeoutInMinutes = timeoutInMinutes;
  const commands = strings(r, map, 'commands', mp, dp);
  if (commands) optional.commands = commands;
  const outputVariables = strings(r, map, 'outputVariables', mp, dp);
  if (outputVariables) optional.outputVariables = outputVariables;
  const env = environmentVariables(r, map, mp, dp);
  if (env) optional.environmentVariables = env;
  return {
    name: str(r, map, 'name', mp, dp) ?? '',
    actionTypeId: {
      category: pick<ActionCategory>(str(r, typeId, 'category', tm, td), ACTION_CATEGORIES) ?? 'Build',
      owner: pick<ActionOwner>(str(r, typeId, 'owner', tm, td), ACTION_OWNERS) ?? 'AWS',
      provider: str(r, typeId, 'provider', tm, td) ?? '',
      version: str(r, typeId, 'version', tm, td) ?? '1',
    },
    runOrder: num(r, map, 'runOrder', mp, dp) ?? 1,
    configuration: r.b.stringMap(
      field(map, r, 'configuration'),
      [...mp, 'configuration'],
      [...dp, cased('configuration', r.casing)],
    ),
    inputArtifacts: artifacts(r, map, 'inputArtifacts', mp, dp),
    outputArtifacts: artifacts(r, map, 'outputArtifacts', mp, dp),
    ...optional,
  };
}

function stage(r: Reader, map: Fields, mp: Path, dp: Path): Stage {
  const actions: Action[] = [];
  list(r, map, 'actions', mp, dp).forEach((item, i) => {
    const m = [...mp, 'actions', i];
    const d = [...dp, cased('actions', r.casing), i];
    const entry = r.b.object(item, m, d);
    if (entry) actions.push(action(r, entry, m, d));
  });
  if (field(map, r, 'blockers') !== undefined) {
    r.b.ctx.report(
      'warning',
      'ignored-field',
      [...dp, cased('blockers', r.casing)],
      'blockers are deprecated in CodePipeline and ignored by Pipewright; remove them.',
      true,
    );
  }
  return { name: str(r, map, 'name', mp, dp) ?? '', actions, ...stageConditionsOf(r, map, mp, dp) };
}

function globFilter(
  r: Reader,
  map: Fields | undefined,
  key: string,
  mp: Path,
  dp: Path,
): GlobFilter | undefined {
  const filter = obj(r, map, key, mp, dp);
  if (!filter) return undefined;
  const m = [...mp, key];
  const d = [...dp, cased(key, r.casing)];
  const includes = strings(r, filter, 'includes', m, d);
  const excludes = strings(r, filter, 'excludes', m, d);
  return { ...(includes ? { includes } : {}), ...(excludes ? { excludes } : {}) };
}

function triggers(r: Reader, decl: Fields, mp: Path, dp: Path): Trigger[] {
  const out: Trigger[] = [];
  list(r, decl, 'triggers', mp, dp).forEach((item, i) => {
    const m = [...mp, 'triggers', i];
    const d = [...dp, cased('triggers', r.casing), i];
    const trigger = r.b.object(item, m, d);
    if (!trigger) return;
    str(r, trigger, 'providerType', m, d);
    const git = obj(r, trigger, 'gitConfiguration', m, d);
    const gm = [...m, 'gitConfiguration'];
    const gd = [...d, cased('gitConfiguration', r.casing)];
    const push: GitPushFilter[] = [];
    list(r, git, 'push', gm, gd).forEach((p, j) => {
      const pm = [...gm, 'push', j];
      const pd = [...gd, cased('push', r.casing), j];
      const filter = r.b.object(p, pm, pd);
      const entry: GitPushFilter = {};
      for (const key of ['branches', 'tags', 'filePaths'] as const) {
        const f = globFilter(r, filter, key, pm, pd);
        if (f) entry[key] = f;
      }
      push.push(entry);
    });
    const pullRequest: GitPullRequestFilter[] = [];
    list(r, git, 'pullRequest', gm, gd).forEach((p, j) => {
      const pm = [...gm, 'pullRequest', j];
      const pd = [...gd, cased('pullRequest', r.casing), j];
      const filter = r.b.object(p, pm, pd);
      const entry: GitPullRequestFilter = {};
      const events = strings(r, filter, 'events', pm, pd)?.filter((e): e is PullRequestEvent =>
        (PULL_REQUEST_EVENTS as readonly string[]).includes(e),
      );
      if (events) entry.events = events;
      for (const key of ['branches', 'filePaths'] as const) {
        const f = globFilter(r, filter, key, pm, pd);
        if (f) entry[key] = f;
      }
      pullRequest.push(entry);
    });
    out.push({
      providerType: 'CodeStarSourceConnection',
      gitConfiguration: {
        sourceActionName: str(r, git, 'sourceActionName', gm, gd) ?? '',
        ...(field(git, r, 'push') === undefined ? {} : { push }),
        ...(field(git, r, 'pullRequest') === undefined ? {} : { pullRequest }),
      },
    });
  });
  return out;
}

function variables(r: Reader, decl: Fields, mp: Path, dp: Path): PipelineVariable[] {
  const out: PipelineVariable[] = [];
  list(r, decl, 'variables', mp, dp).forEach((item, i) => {
    const m = [...mp, 'variables', i];
    const d = [...dp, cased('variables', r.casing), i];
    const entry = r.b.object(item, m, d);
    const name = str(r, entry, 'name', m, d);
    if (name === undefined) return;
    const defaultValue = str(r, entry, 'defaultValue', m, d);
    const description = str(r, entry, 'description', m, d);
    out.push({
      name,
      ...(defaultValue === undefined ? {} : { defaultValue }),
      ...(description === undefined ? {} : { description }),
    });
  });
  return out;
}

/**
 * Turns a CodePipeline pipeline declaration (camelCase) or CloudFormation
 * `AWS::CodePipeline::Pipeline` `Properties` (PascalCase) into the model. Shape problems
 * are reported beforehand by `checkShape`; here anything unusable is replaced by a safe
 * default so loading continues.
 *
 * @example
 * ```ts
 * const pipeline = loadDeclaration(decl, ['pipeline'], 'camel', builder, 'fallback-name');
 * ```
 */
export function loadDeclaration(
  value: unknown,
  docPath: Path,
  casing: Casing,
  b: PipelineBuilder,
  fallbackName: string,
): Pipeline {
  const r: Reader = { b, casing };
  const decl = b.object(value, [], docPath) ?? {};
  const store = artifactStore(
    r,
    obj(r, decl, 'artifactStore', [], docPath),
    ['artifactStore'],
    [...docPath, cased('artifactStore', casing)],
  );
  const stores = artifactStores(r, decl, [], docPath);
  const roleArn = str(r, decl, 'roleArn', [], docPath);
  const version = casing === 'camel' ? num(r, decl, 'version', [], docPath) : undefined;
  const stages: Stage[] = [];
  list(r, decl, 'stages', [], docPath).forEach((item, i) => {
    const m = ['stages', i];
    const d = [...docPath, cased('stages', casing), i];
    const entry = b.object(item, m, d);
    if (entry) stages.push(stage(r, entry, m, d));
  });
  if (casing === 'pascal') {
    for (const key of ['DisableInboundStageTransitions', 'RestartExecutionOnUpdate']) {
      if (Object.hasOwn(decl, key)) {
        b.ctx.report(
          'warning',
          'ignored-field',
          [...docPath, key],
          `${key} has no effect in Pipewright and is ignored.`,
          true,
        );
      }
    }
  }
  return {
    name: str(r, decl, 'name', [], docPath) ?? fallbackName,
    ...(roleArn === undefined ? {} : { roleArn }),
    ...(store ? { artifactStore: store } : {}),
    ...(stores ? { artifactStores: stores } : {}),
    ...(version === undefined ? {} : { version }),
    executionMode:
      pick<ExecutionMode>(str(r, decl, 'executionMode', [], docPath), EXECUTION_MODES) ?? 'SUPERSEDED',
    pipelineType: pick<PipelineType>(str(r, decl, 'pipelineType', [], docPath), PIPELINE_TYPES) ?? 'V1',
    variables: variables(r, decl, [], docPath),
    triggers: triggers(r, decl, [], docPath),
    stages,
  };
}
