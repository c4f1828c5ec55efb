import type { Path } from '../model/path.ts';
import { type GlobFilter, PULL_REQUEST_EVENTS } from '../model/pipeline.ts';
import { parseScheduleExpression, validateEventPattern, validateGlob } from '../triggers/index.ts';
import { didYouMean } from '../variables/index.ts';
import { placeActions } from './action-order.ts';
import { arr, listOf, orList } from './patterns.ts';
import type { ValidationContext } from './validation-context.ts';

const MAX_TRIGGERS = 50;
/** Source providers whose repository can fire a git trigger. */
const GIT_SOURCE_PROVIDERS = ['CodeStarSourceConnection', 'Git', 'CodeCommit', 'GitHub'];

function checkGlobFilter(
  ctx: ValidationContext,
  path: Path,
  filter: GlobFilter | undefined,
  what: string,
): void {
  if (filter === undefined || ctx.isUnresolved(path)) return;
  if (
    filter === null ||
    typeof filter !== 'object' ||
    (filter.includes === undefined && filter.excludes === undefined)
  ) {
    ctx.error(
      'invalid-glob-list',
      path,
      `the ${what} filter has neither includes nor excludes; give includes (1–8 globs) or remove it`,
    );
    return;
  }
  for (const side of ['includes', 'excludes'] as const) {
    const globs = filter[side];
    if (globs === undefined) continue;
    const list = arr(globs);
    if (list.length < 1 || list.length > 8)
      ctx.error(
        'invalid-glob-list',
        [...path, side],
        `${what} ${side} has ${list.length} globs; give 1–8${list.length > 8 ? ': combine some with {a,b} or ** patterns, or split the filter' : ' or remove the list'}`,
      );
    list.forEach((glob, g) => {
      const at = [...path, side, g];
      if (typeof glob !== 'string' || glob.length === 0 || glob.length > 255) {
        ctx.error('invalid-glob', at, `glob must be 1–255 characters, got ${JSON.stringify(glob)}`);
        return;
      }
      const problem = validateGlob(glob);
      if (problem !== undefined) ctx.error('invalid-glob', at, problem);
    });
  }
}

function checkFilterList(
  ctx: ValidationContext,
  path: Path,
  list: readonly unknown[] | undefined,
  what: string,
): void {
  if (list === undefined) return;
  const n = arr(list).length;
  if (n < 1 || n > 3)
    ctx.error(
      'invalid-filter-count',
      path,
      `${n} ${what} filters given; a git trigger takes 1–3${n > 3 ? ': merge filters (each holds up to 8 globs per list)' : ' or none: remove the empty list'}`,
    );
}

function checkGitTrigger(
  ctx: ValidationContext,
  t: number,
  git: { sourceActionName: string; push?: unknown[]; pullRequest?: unknown[] },
  seen: Map<string, number>,
): void {
  const at = ['triggers', t, 'gitConfiguration'];
  const name = git?.sourceActionName;
  const sources = placeActions(ctx.pipeline).filter((p) => p.action.actionTypeId?.category === 'Source');
  const source = sources.find((p) => p.action.name === name);
  if (!ctx.isUnresolved([...at, 'sourceActionName'])) {
    if (source === undefined) {
      const names = sources.map((p) => p.action.name);
      const s = didYouMean(String(name), names);
      ctx.error(
        'unknown-trigger-source',
        [...at, 'sourceActionName'],
        `no Source action is named ${JSON.stringify(name)}; ${s === undefined ? '' : `did you mean "${s}"? `}${names.length > 0 ? `name one of the Source actions: ${listOf(names)}` : 'add a Source action to the first stage'}`,
      );
    } else if (!GIT_SOURCE_PROVIDERS.includes(source.action.actionTypeId.provider)) {
      ctx.error(
        'trigger-source-not-git',
        [...at, 'sourceActionName'],
        `Source action "${name}" uses provider ${source.action.actionTypeId.provider}; git triggers need a git source (${orList(GIT_SOURCE_PROVIDERS)}): use a schedule or event trigger instead`,
      );
    }
    if (typeof name === 'string') {
      const first = seen.get(name);
      if (first !== undefined)
        ctx.error(
          'duplicate-git-trigger',
          [...at, 'sourceActionName'],
          `triggers[${first}] already triggers on Source action "${name}"; a source action takes one git trigger: merge the filters into triggers[${first}]`,
        );
      else seen.set(name, t);
    }
  }
  checkFilterList(ctx, [...at, 'push'], git.push, 'push');
  checkFilterList(ctx, [...at, 'pullRequest'], git.pullRequest, 'pull request');
  arr(git.push as { branches?: GlobFilter; tags?: GlobFilter; filePaths?: GlobFilter }[] | undefined).forEach(
    (f, i) => {
      const path = [...at, 'push', i];
      if (f?.tags !== undefined && f.branches !== undefined)
        ctx.error(
          'tags-and-branches',
          path,
          'a push filter may hold tags or branches, not both (CodePipeline rejects the combination); split it into two push filters',
        );
      else if (f?.tags === undefined && f?.branches === undefined)
        ctx.error(
          'empty-push-filter',
          path,
          'a push filter needs branches or tags; add branches: { includes: [...] } or tags',
        );
      if (f?.filePaths !== undefined && f.branches === undefined)
        ctx.error(
          'file-paths-without-branches',
          [...path, 'filePaths'],
          'filePaths filters only apply together with branches; add branches to this filter (tags cannot be combined with filePaths)',
        );
      checkGlobFilter(ctx, [...path, 'branches'], f?.branches, 'branches');
      checkGlobFilter(ctx, [...path, 'tags'], f?.tags, 'tags');
      checkGlobFilter(ctx, [...path, 'filePaths'], f?.filePaths, 'filePaths');
    },
  );
  arr(
    git.pullRequest as { events?: unknown[]; branches?: GlobFilter; filePaths?: GlobFilter }[] | undefined,
  ).forEach((f, i) => {
    const path = [...at, 'pullRequest', i];
    if (f?.events !== undefined) {
      const events = arr(f.events);
      const bad = events.filter((e) => !(PULL_REQUEST_EVENTS as readonly unknown[]).includes(e));
      if (events.length < 1 || events.length > 3 || bad.length > 0 || new Set(events).size !== events.length)
        ctx.error(
          'invalid-pull-request-events',
          [...path, 'events'],
          `pull request events must be 1–3 distinct values of ${PULL_REQUEST_EVENTS.join(', ')}${bad.length > 0 ? `; ${bad.map((b) => JSON.stringify(b)).join(', ')} is not one` : ''}`,
        );
    }
    if (f?.filePaths !== undefined && f.branches === undefined)
      ctx.error(
        'file-paths-without-branches',
        [...path, 'filePaths'],
        'filePaths filters only apply together with branches; add branches to this filter',
      );
    checkGlobFilter(ctx, [...path, 'branches'], f?.branches, 'branches');
    checkGlobFilter(ctx, [...path, 'filePaths'], f?.filePaths, 'filePaths');
  });
}

function checkTriggerVariables(
  ctx: ValidationContext,
  path: Path,
  variables: Record<string, string> | undefined,
): void {
  if (variables === null || typeof variables !== 'object') return;
  const declared = arr(ctx.pipeline.variables).map((v) => v?.name);
  for (const name of Object.keys(variables)) {
    if (declared.includes(name)) continue;
    const s = didYouMean(
      name,
      declared.filter((n): n is string => typeof n === 'string'),
    );
    ctx.error(
      'unknown-pipeline-variable',
      [...path, name],
      `the trigger sets pipeline variable "${name}", which is not declared; ${s === undefined ? '' : `did you mean "${s}"? `}declare it under variables`,
    );
  }
}

function validTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Triggers: at most 50; git triggers name a git Source action, one per source action, 1–3
 * push / pull-request filters with 1–8 globs per list, no tags with branches in one push
 * filter, filePaths only with branches, valid pull-request events; schedules parse as
 * EventBridge `cron(…)`/`rate(…)` with a valid time zone; event patterns follow EventBridge's
 * rules. (Triggers in V1 pipelines are reported by the pipeline-type check.)
 *
 * @example
 * ```ts
 * checkTriggers(ctx); // e.g. 'triggers[0].gitConfiguration.push[0]: a push filter may hold tags or branches, not both …'
 * ```
 */
export function checkTriggers(ctx: ValidationContext): void {
  const triggers = arr(ctx.pipeline.triggers);
  if (triggers.length > MAX_TRIGGERS)
    ctx.error(
      'too-many-triggers',
      ['triggers'],
      `${triggers.length} triggers declared; at most ${MAX_TRIGGERS} are allowed`,
    );
  const seen = new Map<string, number>();
  triggers.forEach((trigger, t) => {
    if (trigger === null || typeof trigger !== 'object') return;
    if (trigger.providerType === 'CodeStarSourceConnection') {
      checkGitTrigger(ctx, t, trigger.gitConfiguration ?? { sourceActionName: '' }, seen);
    } else if (trigger.providerType === 'Schedule') {
      const path = ['triggers', t, 'schedule'];
      const expression = trigger.schedule?.expression;
      if (!ctx.isUnresolved([...path, 'expression'])) {
        const parsed = parseScheduleExpression(typeof expression === 'string' ? expression : '');
        if (!parsed.ok) ctx.error('invalid-schedule', [...path, 'expression'], parsed.message);
      }
      const zone = trigger.schedule?.timezone;
      if (zone !== undefined && !validTimezone(zone))
        ctx.error(
          'invalid-timezone',
          [...path, 'timezone'],
          `unknown time zone ${JSON.stringify(zone)}; use an IANA name such as Europe/Paris or UTC`,
        );
      checkTriggerVariables(ctx, [...path, 'variables'], trigger.schedule?.variables);
    } else if (trigger.providerType === 'EventPattern') {
      const path = ['triggers', t, 'eventPattern'];
      if (!ctx.isUnresolved([...path, 'pattern']))
        for (const problem of validateEventPattern(trigger.eventPattern?.pattern))
          ctx.error('invalid-event-pattern', [...path, 'pattern'], problem);
      checkTriggerVariables(ctx, [...path, 'variables'], trigger.eventPattern?.variables);
    } else {
      ctx.error(
        'unknown-trigger-type',
        ['triggers', t, 'providerType'],
        `unknown trigger type ${JSON.stringify((trigger as { providerType?: unknown }).providerType)}; use CodeStarSourceConnection (git), Schedule or EventPattern`,
      );
    }
  });
}
