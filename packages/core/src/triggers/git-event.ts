/**
 * Provider-neutral git events that git triggers are matched against. Adapters (GitHub
 * webhooks, CodeCommit/EventBridge, a local `git` hook) map their payloads onto this shape.
 */
import type { PullRequestEvent } from '../model/pipeline.ts';

/** A push of a branch (`refs/heads/…`) or a tag (`refs/tags/…`). */
export interface GitPushEvent {
  kind: 'push';
  /** Full repository id, e.g. `my-org/my-repo` (informational; matching is per trigger). */
  repository?: string;
  /** Full ref, e.g. `refs/heads/main` or `refs/tags/v1.0.0`. */
  ref: string;
  commitId?: string;
  /** Message of the head commit, shown as the execution's source revision summary. */
  commitMessage?: string;
  /** Paths (relative to the repository root, `/`-separated) changed by the push; needed by `filePaths` filters. */
  changedFiles?: string[];
}

/** A pull request opened, updated (new revision) or closed. */
export interface GitPullRequestEvent {
  kind: 'pullRequest';
  repository?: string;
  action: PullRequestEvent;
  /** Branch the changes come from (bare name or `refs/heads/…`). */
  sourceBranch: string;
  /** Branch the pull request targets (bare name or `refs/heads/…`); pull-request filters match this one. */
  destinationBranch: string;
  /** The head commit of the source branch. */
  commitId?: string;
  /** The pull request's number and title, for people. */
  number?: number;
  title?: string;
  /** Files the pull request changes; absent when the provider's event does not list them. */
  changedFiles?: string[];
}

/** A git event a git trigger can match. */
export type GitEvent = GitPushEvent | GitPullRequestEvent;

/** What a ref names: a branch, a tag, or something else (notes, …). */
export type ParsedRef = { type: 'branch' | 'tag' | 'other'; name: string };

/**
 * Splits a full ref into its type and short name. A bare name is taken as a branch.
 *
 * @example
 * ```ts
 * parseRef('refs/tags/v1.2'); // { type: 'tag', name: 'v1.2' }
 * parseRef('main'); // { type: 'branch', name: 'main' }
 * ```
 */
export function parseRef(ref: string): ParsedRef {
  if (ref.startsWith('refs/heads/')) return { type: 'branch', name: ref.slice('refs/heads/'.length) };
  if (ref.startsWith('refs/tags/')) return { type: 'tag', name: ref.slice('refs/tags/'.length) };
  if (ref.startsWith('refs/')) return { type: 'other', name: ref };
  return { type: 'branch', name: ref };
}
