/**
 * Coarse EventBridge patterns for triggers. An EventBridge rule narrows the events a trigger
 * Lambda receives; the Lambda then applies `matchTrigger` for the exact CodePipeline filter
 * semantics (excludes, file paths, full globs). The coarse pattern must never reject an event
 * the exact filter accepts — it may accept more.
 *
 * Pipewright's git events on the bus ({@link toGitBusEvent}):
 *
 * ```json
 * { "source": "pipewright.git", "detail-type": "Git Push",
 *   "detail": { "repository": "org/repo", "ref": "refs/heads/main", "commitId": "…", "changedFiles": ["…"] } }
 * { "source": "pipewright.git", "detail-type": "Git Pull Request",
 *   "detail": { "repository": "org/repo", "action": "OPEN", "sourceBranch": "feature/x",
 *               "destinationBranch": "main", "commitId": "…", "changedFiles": ["…"] } }
 * ```
 */
import type { Action, GlobFilter, Pipeline, Trigger } from '../model/pipeline.ts';
import { type GitEvent, parseRef } from './git-event.ts';

/** The default `source` of Pipewright's git events. */
export const GIT_EVENT_SOURCE = 'pipewright.git';
/** `detail-type` of Pipewright's git events. */
export const GIT_DETAIL_TYPES = { push: 'Git Push', pullRequest: 'Git Pull Request' } as const;

/** Options of {@link eventPatternForTrigger} and {@link toGitBusEvent}. */
export interface GitBusOptions {
  /** `source` of git events on the bus; default `pipewright.git`. */
  busSource?: string;
}

/**
 * The EventBridge event Pipewright puts on the bus for a git event.
 *
 * @example
 * ```ts
 * toGitBusEvent({ kind: 'push', repository: 'org/app', ref: 'refs/heads/main' });
 * // { source: 'pipewright.git', 'detail-type': 'Git Push', detail: { repository: 'org/app', ref: 'refs/heads/main' } }
 * ```
 */
export function toGitBusEvent(
  event: GitEvent,
  options: GitBusOptions = {},
): { source: string; 'detail-type': string; detail: Record<string, unknown> } {
  const { kind, ...rest } = event;
  const detail: Record<string, unknown> = { ...rest };
  if (event.kind === 'pullRequest') {
    detail.sourceBranch = parseRef(event.sourceBranch).name;
    detail.destinationBranch = parseRef(event.destinationBranch).name;
  }
  return { source: options.busSource ?? GIT_EVENT_SOURCE, 'detail-type': GIT_DETAIL_TYPES[kind], detail };
}

/** The literal start of a glob: every match begins with it. */
export function globLiteralPrefix(glob: string): string {
  const i = glob.search(/[*?[{\\]/);
  return i < 0 ? glob : glob.slice(0, i);
}

type RefMatcher = string | { prefix: string };

/** Matchers for names selected by a glob filter's includes (excludes are left to the exact check). */
function nameMatchers(filter: GlobFilter | undefined, refPrefix: string): RefMatcher[] | 'any' {
  const includes = filter?.includes ?? [];
  if (includes.length === 0) return 'any';
  return includes.map((g) => {
    const literal = globLiteralPrefix(g);
    return literal === g ? `${refPrefix}${g}` : { prefix: `${refPrefix}${literal}` };
  });
}

function dedupe(values: unknown[]): unknown[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = JSON.stringify(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function findSourceAction(pipeline: Pipeline, name: string): Action | undefined {
  for (const stage of pipeline.stages) for (const a of stage.actions) if (a.name === name) return a;
  return undefined;
}

function fixed(value: string | undefined): string | undefined {
  return value !== undefined && value !== '' && !value.includes('#{') ? value : undefined;
}

type GitTrigger = Extract<Trigger, { providerType: 'CodeStarSourceConnection' }>;

/** Full-ref matchers covering every push the trigger's push filters can accept. */
function pushRefMatchers(trigger: GitTrigger, defaultBranch?: string): RefMatcher[] {
  const push = trigger.gitConfiguration.push ?? [];
  if (push.length === 0) {
    return defaultBranch ? [`refs/heads/${parseRef(defaultBranch).name}`] : [{ prefix: 'refs/heads/' }];
  }
  const out: RefMatcher[] = [];
  for (const f of push) {
    if (f.branches === undefined && f.tags === undefined) out.push({ prefix: 'refs/heads/' });
    for (const [criterion, refPrefix] of [
      [f.branches, 'refs/heads/'],
      [f.tags, 'refs/tags/'],
    ] as const) {
      if (criterion === undefined) continue;
      const m = nameMatchers(criterion, refPrefix);
      out.push(...(m === 'any' ? [{ prefix: refPrefix }] : m));
    }
  }
  return dedupe(out) as RefMatcher[];
}

/** A full-ref matcher as CodeCommit's `referenceType` and short `referenceName` matcher. */
function shortRef(m: RefMatcher): { type: 'branch' | 'tag'; name: RefMatcher } {
  const full = typeof m === 'string' ? m : m.prefix;
  const type = full.startsWith('refs/tags/') ? 'tag' : 'branch';
  const name = full.slice(type === 'tag' ? 'refs/tags/'.length : 'refs/heads/'.length);
  return { type, name: typeof m === 'string' ? name : { prefix: name } };
}

function codeCommitPattern(action: Action, trigger: GitTrigger): Record<string, unknown> {
  const repositoryName = fixed(action.configuration.RepositoryName);
  const refs = pushRefMatchers(trigger, fixed(action.configuration.BranchName)).map(shortRef);
  const anyName = refs.some((r) => typeof r.name === 'object' && r.name.prefix === '');
  return {
    source: ['aws.codecommit'],
    'detail-type': ['CodeCommit Repository State Change'],
    detail: {
      event: ['referenceCreated', 'referenceUpdated'],
      ...(repositoryName ? { repositoryName: [repositoryName] } : {}),
      referenceType: dedupe(refs.map((r) => r.type)),
      ...(anyName ? {} : { referenceName: dedupe(refs.map((r) => r.name)) }),
    },
  };
}

/**
 * The coarse EventBridge pattern routing events to a trigger, or `undefined` for schedules
 * (they become EventBridge Scheduler schedules).
 *
 * - git triggers: Pipewright git events of the source action's repository (`FullRepositoryId`),
 *   narrowed by ref: exact refs for literal branch/tag globs, `prefix` on a glob's literal start
 *   otherwise; pull requests by event and destination branch the same way;
 * - git triggers whose source action is CodeCommit: the `aws.codecommit` "CodeCommit Repository
 *   State Change" pattern CodePipeline creates (reference created/updated, by repository and
 *   reference name);
 * - event-pattern triggers: the user's pattern, unchanged.
 *
 * @example
 * ```ts
 * eventPatternForTrigger(pipeline, {
 *   providerType: 'CodeStarSourceConnection',
 *   gitConfiguration: { sourceActionName: 'Source', push: [{ branches: { includes: ['release/*'] } }] },
 * });
 * // { source: ['pipewright.git'], 'detail-type': ['Git Push'],
 * //   detail: { repository: ['org/app'], ref: [{ prefix: 'refs/heads/release/' }] } }
 * ```
 */
export function eventPatternForTrigger(
  pipeline: Pipeline,
  trigger: Trigger,
  options: GitBusOptions = {},
): Record<string, unknown> | undefined {
  if (trigger.providerType === 'Schedule') return undefined;
  if (trigger.providerType === 'EventPattern') return structuredClone(trigger.eventPattern.pattern);
  const action = findSourceAction(pipeline, trigger.gitConfiguration.sourceActionName);
  if (action?.actionTypeId.provider === 'CodeCommit') return codeCommitPattern(action, trigger);
  const repository = fixed(action?.configuration.FullRepositoryId);
  const push = trigger.gitConfiguration.push ?? [];
  const pullRequest = trigger.gitConfiguration.pullRequest ?? [];
  const base = { source: [options.busSource ?? GIT_EVENT_SOURCE] };
  const repo = repository ? { repository: [repository] } : {};
  const pushPart = {
    'detail-type': [GIT_DETAIL_TYPES.push],
    detail: { ...repo, ref: pushRefMatchers(trigger, fixed(action?.configuration.BranchName)) },
  };
  if (pullRequest.length === 0) return { ...base, ...pushPart };
  const anyEvent = pullRequest.some((f) => !f.events || f.events.length === 0);
  const events = dedupe(pullRequest.flatMap((f) => f.events ?? []));
  const branches = pullRequest.map((f) => nameMatchers(f.branches, ''));
  const anyBranch = branches.some(
    (b) => b === 'any' || b.some((m) => typeof m === 'object' && (m as { prefix: string }).prefix === ''),
  );
  const prPart = {
    'detail-type': [GIT_DETAIL_TYPES.pullRequest],
    detail: {
      ...repo,
      ...(anyEvent ? {} : { action: events }),
      ...(anyBranch ? {} : { destinationBranch: dedupe(branches.flatMap((b) => (b === 'any' ? [] : b))) }),
    },
  };
  if (push.length === 0) return { ...base, ...prPart };
  return { ...base, $or: [pushPart, prPart] };
}
