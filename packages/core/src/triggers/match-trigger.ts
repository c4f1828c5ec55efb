/**
 * Whether a git event starts a pipeline through a git trigger, with CodePipeline's filter
 * semantics (userguide `pipelines-filter.html`):
 *
 * - several push filters, or several pull-request filters, are OR'ed;
 * - within one filter, every criterion given (branches, tags, file paths, events) must match (AND);
 * - within a criterion, `includes` are OR'ed (absent or empty: everything is included) and
 *   `excludes` take priority over `includes`;
 * - file paths match when at least one changed file is included and not excluded; a filter
 *   with `filePaths` never matches an event that does not list its changed files;
 * - push filters: a branch push is checked against `branches`, a tag push against `tags`; a
 *   filter with `tags` but no `branches` matches tag pushes only, and vice versa; a filter with
 *   neither matches any branch push;
 * - pull-request filters match the *destination* branch ("opened, updated, or closed to the
 *   specified target branches") and the event (`events` absent: OPEN, UPDATED and CLOSED);
 * - a git trigger with no push and no pull-request filter matches pushes to the source action's
 *   default branch (`options.defaultBranch`, its `BranchName`), or any branch push when unknown.
 *
 * Globs follow {@link compileGlob}. The repository is not checked here: the caller routes events
 * of the source action's repository (see `eventPatternForTrigger`).
 */
import type { GitPullRequestFilter, GitPushFilter, GlobFilter, Trigger } from '../model/pipeline.ts';
import { type GitEvent, type GitPullRequestEvent, type GitPushEvent, parseRef } from './git-event.ts';
import { globMatch } from './glob.ts';

/** Result of {@link matchTrigger}; `reason` says, for people, why nothing matched. */
export type TriggerMatch = { matched: true } | { matched: false; reason: string };

/** Options of {@link matchTrigger}. */
export interface MatchTriggerOptions {
  /** `BranchName` of the trigger's source action: what a filterless git trigger watches. */
  defaultBranch?: string;
}

function list(globs: readonly string[] | undefined): string {
  return (globs ?? []).join(', ');
}

/** Why `value` fails `filter`, or undefined when it passes. `what` e.g. `branch`, `label` e.g. `push filter 1`. */
function globFilterFailure(
  filter: GlobFilter,
  value: string,
  what: string,
  label: string,
): string | undefined {
  const includes = filter.includes ?? [];
  const excludes = filter.excludes ?? [];
  if (includes.length > 0 && !includes.some((g) => globMatch(g, value))) {
    return `${what} "${value}" is not included by ${label} (includes: ${list(includes)})`;
  }
  const excludedBy = excludes.find((g) => globMatch(g, value));
  if (excludedBy !== undefined) return `${what} "${value}" is excluded by ${label} (excludes: ${excludedBy})`;
  return undefined;
}

function filePathsFailure(
  filter: GlobFilter,
  files: readonly string[] | undefined,
  label: string,
): string | undefined {
  if (files === undefined) {
    return `${label} filters file paths but the event does not list its changed files`;
  }
  const includes = filter.includes ?? [];
  const excludes = filter.excludes ?? [];
  const hit = files.some(
    (f) =>
      (includes.length === 0 || includes.some((g) => globMatch(g, f))) &&
      !excludes.some((g) => globMatch(g, f)),
  );
  if (hit) return undefined;
  const shown =
    files.length > 5 ? `${files.slice(0, 5).join(', ')}, … (${files.length} files)` : files.join(', ');
  const criteria = [
    includes.length > 0 ? `includes: ${list(includes)}` : '',
    excludes.length > 0 ? `excludes: ${list(excludes)}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return files.length === 0
    ? `no file changed, and ${label} filters file paths (${criteria})`
    : `no changed file (${shown}) is included and not excluded by ${label} (${criteria})`;
}

function pushFilterFailure(filter: GitPushFilter, event: GitPushEvent, label: string): string | undefined {
  const ref = parseRef(event.ref);
  if (ref.type === 'other') return `${label} matches branches and tags; "${event.ref}" is neither`;
  if (ref.type === 'tag') {
    if (filter.tags === undefined)
      return `${label} has no tags criterion, so tag "${ref.name}" does not match`;
    const f = globFilterFailure(filter.tags, ref.name, 'tag', label);
    if (f) return f;
  } else {
    if (filter.tags !== undefined && filter.branches === undefined) {
      return `${label} matches tags only; branch "${ref.name}" does not match`;
    }
    if (filter.branches !== undefined) {
      const f = globFilterFailure(filter.branches, ref.name, 'branch', label);
      if (f) return f;
    }
  }
  return filter.filePaths ? filePathsFailure(filter.filePaths, event.changedFiles, label) : undefined;
}

function pullRequestFilterFailure(
  filter: GitPullRequestFilter,
  event: GitPullRequestEvent,
  label: string,
): string | undefined {
  const events = filter.events && filter.events.length > 0 ? filter.events : undefined;
  if (events && !events.includes(event.action)) {
    return `pull request event ${event.action} is not among the events of ${label} (${events.join(', ')})`;
  }
  if (filter.branches) {
    const f = globFilterFailure(
      filter.branches,
      parseRef(event.destinationBranch).name,
      'destination branch',
      label,
    );
    if (f) return f;
  }
  return filter.filePaths ? filePathsFailure(filter.filePaths, event.changedFiles, label) : undefined;
}

function firstMatch<F>(
  filters: readonly F[],
  kind: string,
  failure: (f: F, label: string) => string | undefined,
): TriggerMatch {
  const reasons: string[] = [];
  for (const [i, f] of filters.entries()) {
    const reason = failure(f, `${kind} filter ${i + 1}`);
    if (reason === undefined) return { matched: true };
    reasons.push(reason);
  }
  return { matched: false, reason: reasons.join('; ') };
}

/**
 * Whether `event` starts the pipeline through `trigger`, and if not, why.
 *
 * @example
 * ```ts
 * const trigger: Trigger = {
 *   providerType: 'CodeStarSourceConnection',
 *   gitConfiguration: { sourceActionName: 'Source', push: [{ branches: { includes: ['main', 'release/*'] } }] },
 * };
 * matchTrigger(trigger, { kind: 'push', ref: 'refs/heads/feature/x' });
 * // { matched: false, reason: 'branch "feature/x" is not included by push filter 1 (includes: main, release/*)' }
 * ```
 */
export function matchTrigger(
  trigger: Trigger,
  event: GitEvent,
  options: MatchTriggerOptions = {},
): TriggerMatch {
  if (trigger.providerType !== 'CodeStarSourceConnection') {
    return { matched: false, reason: `a ${trigger.providerType} trigger is not started by git events` };
  }
  const { push, pullRequest } = trigger.gitConfiguration;
  const hasPush = push !== undefined && push.length > 0;
  const hasPullRequest = pullRequest !== undefined && pullRequest.length > 0;
  if (event.kind === 'push') {
    if (hasPush) return firstMatch(push, 'push', (f, label) => pushFilterFailure(f, event, label));
    if (hasPullRequest)
      return { matched: false, reason: 'the trigger has pull request filters only; this is a push' };
    const ref = parseRef(event.ref);
    if (ref.type !== 'branch')
      return { matched: false, reason: `the trigger watches branch pushes; "${event.ref}" is not a branch` };
    if (options.defaultBranch !== undefined && parseRef(options.defaultBranch).name !== ref.name) {
      return {
        matched: false,
        reason: `the trigger has no filters, so it watches the source action's branch "${options.defaultBranch}"; this push is to "${ref.name}"`,
      };
    }
    return { matched: true };
  }
  if (hasPullRequest) {
    return firstMatch(pullRequest, 'pull request', (f, label) => pullRequestFilterFailure(f, event, label));
  }
  return {
    matched: false,
    reason: hasPush
      ? 'the trigger has push filters only; this is a pull request'
      : 'the trigger has no pull request filters; pull requests do not start the pipeline',
  };
}
