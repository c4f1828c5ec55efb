/**
 * Which source actions the local git poller watches: every `Source` action of a served
 * pipeline that reads a git repository on this machine — `Source/Git` with a local
 * `RepositoryUrl` (relative to the pipeline's directory), or `Source/CodeCommit`,
 * `Source/CodeStarSourceConnection` and `Source/GitHub` whose repository the `repositories`
 * setting maps to a local path. Remote URLs are left to webhooks; a branch or repository given
 * by a variable (`#{…}`) cannot be watched and is left out, as is a `Source/Git` pinned to a
 * `CommitId`.
 */
import { isAbsolute, resolve } from 'node:path';
import type { Action, Pipeline } from '@pipewright/core';
import { isRepositoryUrl } from '../settings/resolve-settings-paths.ts';

/** One branch of one local repository that a source action reads. */
export interface PolledSource {
  pipeline: string;
  actionName: string;
  /** The repository as the action names it: `RepositoryUrl` as written, or the `repositories` key (`RepositoryName`, `FullRepositoryId`, `Owner/Repo`). */
  repository: string;
  /** Absolute path of the local repository. */
  path: string;
  /** The branch; absent: the branch the repository's `HEAD` points at. */
  branch?: string;
}

/** A configuration value without variables, or undefined. */
function fixed(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed !== undefined && trimmed !== '' && !trimmed.includes('#{') ? trimmed : undefined;
}

/** `undefined`: the action cannot be watched. `branch: undefined`: the repository's HEAD branch. */
function locate(
  action: Action,
  repositories: Readonly<Record<string, string>>,
): { repository: string; location: string; branch: string | undefined } | undefined {
  const c = action.configuration;
  const branchOf = (key: string) => {
    const raw = c[key];
    return raw === undefined || raw.trim() === '' ? { branch: undefined } : { branch: fixed(raw) ?? null };
  };
  let repository: string | undefined;
  let location: string | undefined;
  let branch: { branch: string | undefined | null };
  switch (action.actionTypeId.provider) {
    case 'Git':
      if (c.CommitId !== undefined && c.CommitId.trim() !== '') return undefined;
      repository = fixed(c.RepositoryUrl);
      location = repository;
      branch = branchOf('BranchName');
      break;
    case 'CodeCommit':
      repository = fixed(c.RepositoryName);
      branch = branchOf('BranchName');
      break;
    case 'CodeStarSourceConnection':
      repository = fixed(c.FullRepositoryId);
      branch = branchOf('BranchName');
      break;
    case 'GitHub': {
      const owner = fixed(c.Owner);
      const repo = fixed(c.Repo);
      repository = owner && repo ? `${owner}/${repo}` : undefined;
      branch = branchOf('Branch');
      break;
    }
    default:
      return undefined;
  }
  if (repository === undefined || branch.branch === null) return undefined;
  location ??= repositories[repository];
  if (location === undefined || isRepositoryUrl(location)) return undefined;
  return { repository, location, branch: branch.branch };
}

/**
 * The local git sources of a pipeline the poller watches.
 *
 * @example
 * ```ts
 * polledSources(pipeline, '/srv/pipelines', { 'acme/web': '/srv/repos/web' });
 * // [{ pipeline: 'web-app', actionName: 'Source', repository: 'acme/web', path: '/srv/repos/web', branch: 'main' }]
 * ```
 */
export function polledSources(
  pipeline: Pipeline,
  projectDir: string,
  repositories: Readonly<Record<string, string>> = {},
): PolledSource[] {
  const out: PolledSource[] = [];
  for (const stage of pipeline.stages) {
    for (const action of stage.actions) {
      if (action.actionTypeId.category !== 'Source') continue;
      const found = locate(action, repositories);
      if (found === undefined) continue;
      const location = found.location.trim();
      out.push({
        pipeline: pipeline.name,
        actionName: action.name,
        repository: found.repository,
        path: isAbsolute(location) ? location : resolve(projectDir, location),
        ...(found.branch === undefined ? {} : { branch: found.branch }),
      });
    }
  }
  return out;
}
