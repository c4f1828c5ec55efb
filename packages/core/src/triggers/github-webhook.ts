/**
 * GitHub webhook payloads as provider-neutral {@link GitEvent}s. Pure: the caller checks the
 * `X-Hub-Signature-256` signature before handing the payload over.
 *
 * - `push`: `ref` is the full ref (`refs/heads/…` or `refs/tags/…`); the changed files are the
 *   union of the commits' `added`, `modified` and `removed` lists; the commit is `head_commit`
 *   (or `after`). A push that deletes its ref starts nothing. GitHub lists at most 2,048 commits
 *   in a push payload: a push with that many leaves the changed files unknown, so a `filePaths`
 *   filter does not match it rather than matching on part of the files.
 * - `pull_request`: `opened` and `reopened` are `OPEN`, `synchronize` (new commits) is `UPDATED`,
 *   `closed` (merged or not) is `CLOSED`; other actions (`edited`, `labeled`, …) start nothing.
 *   The payload does not list the changed files, so the event leaves them unknown and pull-request
 *   filters with `filePaths` do not match it (`matchTrigger` says so).
 */
import * as z from 'zod';
import type { PullRequestEvent } from '../model/pipeline.ts';
import type { GitEvent } from './git-event.ts';

/** Result of {@link fromGitHubWebhook}: the git event, or why the payload is not one. */
export type GitHubWebhookResult = { ok: true; event: GitEvent } | { ok: false; reason: string };

/** GitHub's limit on the commits a push payload lists. */
export const GITHUB_PUSH_COMMIT_LIMIT = 2048;

const PULL_REQUEST_ACTIONS: Readonly<Record<string, PullRequestEvent>> = {
  opened: 'OPEN',
  reopened: 'OPEN',
  synchronize: 'UPDATED',
  closed: 'CLOSED',
};

const repositorySchema = z.looseObject({ full_name: z.string().min(1) });
const files = z.array(z.string()).optional();

const pushSchema = z.looseObject({
  ref: z.string().min(1),
  after: z.string().optional(),
  deleted: z.boolean().optional(),
  repository: repositorySchema.optional(),
  head_commit: z.looseObject({ id: z.string(), message: z.string().optional() }).nullable().optional(),
  commits: z
    .array(z.looseObject({ added: files, modified: files, removed: files }))
    .nullable()
    .optional(),
});

const branchSchema = z.looseObject({ ref: z.string().min(1), sha: z.string().optional() });

const pullRequestSchema = z.looseObject({
  action: z.string().min(1),
  number: z.number().int().optional(),
  repository: repositorySchema.optional(),
  pull_request: z.looseObject({
    number: z.number().int().optional(),
    title: z.string().optional(),
    head: branchSchema,
    base: branchSchema.extend({ repo: repositorySchema.optional() }),
  }),
});

function problems(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length === 0 ? 'payload' : i.path.join('.')}: ${i.message}`)
    .join('; ');
}

function fromPush(payload: unknown): GitHubWebhookResult {
  const parsed = pushSchema.safeParse(payload);
  if (!parsed.success) {
    return { ok: false, reason: `the push payload is not one GitHub sends (${problems(parsed.error)})` };
  }
  const p = parsed.data;
  if (p.deleted === true) return { ok: false, reason: `the push deletes ${p.ref}; deletions start nothing` };
  const commits = p.commits ?? [];
  let changedFiles: string[] | undefined;
  if (commits.length < GITHUB_PUSH_COMMIT_LIMIT) {
    const seen = new Set<string>();
    for (const c of commits)
      for (const f of [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]) {
        seen.add(f);
      }
    changedFiles = [...seen].sort();
  }
  const commitId = p.head_commit?.id ?? p.after;
  const commitMessage = p.head_commit?.message;
  return {
    ok: true,
    event: {
      kind: 'push',
      ...(p.repository ? { repository: p.repository.full_name } : {}),
      ref: p.ref,
      ...(commitId ? { commitId } : {}),
      ...(commitMessage === undefined ? {} : { commitMessage }),
      ...(changedFiles === undefined ? {} : { changedFiles }),
    },
  };
}

function fromPullRequest(payload: unknown): GitHubWebhookResult {
  const parsed = pullRequestSchema.safeParse(payload);
  if (!parsed.success) {
    return {
      ok: false,
      reason: `the pull_request payload is not one GitHub sends (${problems(parsed.error)})`,
    };
  }
  const p = parsed.data;
  const action = PULL_REQUEST_ACTIONS[p.action];
  if (action === undefined) {
    return {
      ok: false,
      reason: `pull request action "${p.action}" starts nothing; pipelines start on opened, reopened, synchronize and closed`,
    };
  }
  const pr = p.pull_request;
  const repository = p.repository?.full_name ?? pr.base.repo?.full_name;
  const number = pr.number ?? p.number;
  return {
    ok: true,
    event: {
      kind: 'pullRequest',
      ...(repository ? { repository } : {}),
      action,
      sourceBranch: pr.head.ref,
      destinationBranch: pr.base.ref,
      ...(pr.head.sha ? { commitId: pr.head.sha } : {}),
      ...(number === undefined ? {} : { number }),
      ...(pr.title === undefined ? {} : { title: pr.title }),
    },
  };
}

/**
 * Maps a GitHub webhook (the `X-GitHub-Event` header and the parsed JSON body) onto a git event.
 *
 * @example
 * ```ts
 * fromGitHubWebhook('push', {
 *   ref: 'refs/heads/main',
 *   repository: { full_name: 'acme/web' },
 *   head_commit: { id: '4f2a9c1', message: 'Fix login' },
 *   commits: [{ added: ['src/a.ts'], modified: [], removed: [] }],
 * });
 * // { ok: true, event: { kind: 'push', repository: 'acme/web', ref: 'refs/heads/main',
 * //   commitId: '4f2a9c1', commitMessage: 'Fix login', changedFiles: ['src/a.ts'] } }
 * ```
 */
export function fromGitHubWebhook(eventName: string, payload: unknown): GitHubWebhookResult {
  if (eventName === 'push') return fromPush(payload);
  if (eventName === 'pull_request') return fromPullRequest(payload);
  return {
    ok: false,
    reason: `GitHub event "${eventName}" starts nothing; pipelines start on push and pull_request events`,
  };
}
