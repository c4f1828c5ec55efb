/**
 * Source providers backed by the system `git`:
 *
 * - `Source/Git` (Pipewright): `RepositoryUrl` is a local path (relative to the pipeline's
 *   directory) or any URL git can clone; `BranchName`, optional `CommitId` pin.
 * - `Source/CodeCommit` (`RepositoryName`), `Source/CodeStarSourceConnection`
 *   (`FullRepositoryId`), `Source/GitHub` (`Owner`/`Repo`): mapped to a local path or URL by
 *   the `repositories` option; an unmapped repository is a configuration error that says how
 *   to map it.
 *
 * The output artifact is the tree at the commit, without `.git` (with `.git` when
 * `OutputArtifactFormat` is `CODEBUILD_CLONE_REF`). Output variables use CodePipeline's names.
 *
 * @example
 * ```ts
 * const git = gitSourceProvider({});
 * await git.run(run); // run.action.configuration = { RepositoryUrl: '.', BranchName: 'main' }
 * ```
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { ActionOutcome, ActionProvider, ActionRun } from '@pipewright/engine';
import { runGit } from './git/run-git.ts';
import type { LocalProvidersOptions } from './options.ts';
import { configurationError, guardOutcome, ProviderFailure, requireConfig } from './outcome.ts';

/** Where a source action reads from, once its configuration is interpreted. */
interface SourceTarget {
  url: string;
  branch: string | undefined;
  commit: string | undefined;
  variables: Record<string, string>;
}

/**
 * `Source/Git`: clones `RepositoryUrl` at `BranchName` (or `CommitId`).
 *
 * @example
 * ```ts
 * gitSourceProvider({ gitCacheDir: '.pipewright/git' }).provider; // 'Git'
 * ```
 */
export function gitSourceProvider(options: LocalProvidersOptions): ActionProvider {
  return {
    categories: ['Source'],
    provider: 'Git',
    run: (run) =>
      guardOutcome(async () => {
        const config = run.action.configuration;
        const url = resolveRepository(requireConfig(config, 'RepositoryUrl', 'Source/Git'), run.projectDir);
        return fetchSource(run, options, {
          url,
          branch: config.BranchName,
          commit: config.CommitId,
          variables: { RepositoryName: repositoryName(url) },
        });
      }),
  };
}

/** The cloud source providers and how each names its repository. */
const MAPPED = {
  CodeCommit: {
    key: (c: Record<string, string>) => requireConfig(c, 'RepositoryName', 'Source/CodeCommit'),
    branch: 'BranchName',
    field: 'RepositoryName',
  },
  CodeStarSourceConnection: {
    key: (c: Record<string, string>) =>
      requireConfig(c, 'FullRepositoryId', 'Source/CodeStarSourceConnection'),
    branch: 'BranchName',
    field: 'FullRepositoryId',
  },
  GitHub: {
    key: (c: Record<string, string>) =>
      `${requireConfig(c, 'Owner', 'Source/GitHub')}/${requireConfig(c, 'Repo', 'Source/GitHub')}`,
    branch: 'Branch',
    field: 'Owner/Repo',
  },
} as const;

/** A CodePipeline source provider run locally through the repository mapping. */
export type MappedSourceProvider = keyof typeof MAPPED;

/**
 * `Source/CodeCommit`, `Source/CodeStarSourceConnection` or `Source/GitHub`, read from the
 * local repository the `repositories` option maps it to.
 *
 * @example
 * ```ts
 * mappedSourceProvider('CodeCommit', { repositories: { MyRepo: './repos/my-repo' } });
 * ```
 */
export function mappedSourceProvider(
  provider: MappedSourceProvider,
  options: LocalProvidersOptions,
): ActionProvider {
  const spec = MAPPED[provider];
  return {
    categories: ['Source'],
    provider,
    run: (run) =>
      guardOutcome(async () => {
        const config = run.action.configuration;
        const key = spec.key(config);
        const mapped = options.repositories?.[key];
        if (mapped === undefined) {
          configurationError(
            `Source/${provider} action "${run.action.name}" reads repository "${key}" (${spec.field}), which has no local mapping; ` +
              `map it to a local path or a git URL in pipewright.local.yaml beside the pipeline file, ` +
              `e.g. repositories: { ${JSON.stringify(key)}: "./path/to/${key.split('/').pop() ?? key}" }, or use a Source/Git action with RepositoryUrl`,
          );
        }
        const url = resolveRepository(mapped, run.projectDir);
        const variables: Record<string, string> =
          provider === 'CodeStarSourceConnection'
            ? { FullRepositoryName: key, ConnectionArn: config.ConnectionArn ?? '' }
            : { RepositoryName: provider === 'GitHub' ? (config.Repo ?? key) : key };
        return fetchSource(run, options, {
          url,
          branch: config[spec.branch],
          commit: undefined,
          variables,
        }).then((outcome) => {
          if (provider === 'GitHub' && outcome.status === 'Succeeded') {
            outcome.outputVariables.CommitUrl = `https://github.com/${key}/commit/${outcome.outputVariables.CommitId}`;
          }
          return outcome;
        });
      }),
  };
}

/** A path (relative to the project) or a URL git understands. */
function resolveRepository(location: string, projectDir: string): string {
  const trimmed = location.trim();
  if (trimmed.startsWith('-'))
    configurationError(`repository ${JSON.stringify(location)} may not start with "-"`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || /^[^/\s]+@[^/\s]+:/.test(trimmed)) return trimmed;
  return isAbsolute(trimmed) ? trimmed : resolve(projectDir, trimmed);
}

function repositoryName(url: string): string {
  return basename(url.replace(/\/+$/, '')).replace(/\.git$/, '');
}

async function fetchSource(
  run: ActionRun,
  options: LocalProvidersOptions,
  target: SourceTarget,
): Promise<ActionOutcome> {
  const { signal } = run;
  if (target.commit !== undefined && !/^[0-9a-f]{4,40}$/i.test(target.commit)) {
    configurationError(`CommitId ${JSON.stringify(target.commit)} is not a commit hash (4–40 hex digits)`);
  }
  if (target.branch !== undefined && (target.branch.startsWith('-') || target.branch.trim() === '')) {
    configurationError(`BranchName ${JSON.stringify(target.branch)} is not a branch name`);
  }
  if (!/:\/\/|@/.test(target.url) && !(await stat(target.url).catch(() => undefined))) {
    configurationError(`repository ${target.url} does not exist; check the repository path`);
  }
  run.log.write('system', `fetching ${target.url}${target.branch ? ` (${target.branch})` : ''}\n`);
  const mirror = await openMirror(target.url, options, signal);
  try {
    const gitDir = mirror.dir;
    const git = (args: string[], env?: Record<string, string>) =>
      runGit(['--git-dir', gitDir, ...args], { signal, ...(env ? { env } : {}) });
    let branch = target.branch;
    if (branch === undefined) {
      branch = (await git(['symbolic-ref', '--short', 'HEAD']).catch(() => '')).trim() || undefined;
    }
    const wanted = target.commit ?? (branch === undefined ? 'HEAD' : `refs/heads/${branch}`);
    const sha = (
      await git(['rev-parse', '--verify', '--quiet', `${wanted}^{commit}`]).catch(() => '')
    ).trim();
    if (sha === '') {
      throw new ProviderFailure(
        target.commit ? 'RevisionUnavailable' : 'ConfigurationError',
        target.commit
          ? `commit ${target.commit} is not in ${target.url}; push it or pin another CommitId`
          : `branch ${branch ?? '(default)'} does not exist in ${target.url}; check BranchName`,
      );
    }
    const meta = (await git(['show', '-s', '--format=%aI%x00%cI%x00%B', sha])).split('\0');
    const [authorDate = '', committerDate = '', message = ''] = meta;
    if (run.action.configuration.OutputArtifactFormat === 'CODEBUILD_CLONE_REF') {
      await runGit(['clone', '--quiet', '--no-checkout', '--', gitDir, run.workspace], { signal });
      await runGit(['-C', run.workspace, 'checkout', '--quiet', '--detach', sha], { signal });
      await runGit(['-C', run.workspace, 'remote', 'set-url', 'origin', target.url], { signal });
    } else {
      const index = join(mirror.scratch, 'index');
      const env = { GIT_INDEX_FILE: index, GIT_WORK_TREE: run.workspace };
      await mkdir(run.workspace, { recursive: true });
      await git(['read-tree', sha], env);
      await git(['checkout-index', '--all', '--force'], env);
    }
    const outputs = run.action.outputArtifacts;
    const artifacts = [];
    for (const output of outputs) {
      artifacts.push(await run.artifacts.putDirectory(run.workspace, { name: output.name }));
    }
    const firstLine = message.trim().split('\n')[0] ?? '';
    return {
      status: 'Succeeded',
      outputArtifacts: artifacts,
      outputVariables: {
        ...target.variables,
        CommitId: sha,
        ...(branch === undefined ? {} : { BranchName: branch }),
        CommitMessage: message.replace(/\n+$/, ''),
        AuthorDate: authorDate,
        CommitterDate: committerDate,
      },
      summary: `${branch ?? 'HEAD'} @ ${sha.slice(0, 7)}: ${firstLine}`,
      externalExecutionId: sha,
    };
  } finally {
    await mirror.release();
  }
}

/** A bare repository holding the source's refs: a cached mirror, or a throwaway clone. */
async function openMirror(
  url: string,
  options: LocalProvidersOptions,
  signal: AbortSignal,
): Promise<{ dir: string; scratch: string; release(): Promise<void> }> {
  const scratch = await mkdtemp(join(tmpdir(), 'pipewright-git-'));
  const release = () => rm(scratch, { recursive: true, force: true });
  try {
    if (options.gitCacheDir === undefined) {
      const dir = join(scratch, 'repo.git');
      await runGit(['clone', '--bare', '--quiet', '--', url, dir], { signal });
      return { dir, scratch, release };
    }
    const dir = join(
      resolve(options.gitCacheDir),
      `${createHash('sha256').update(url).digest('hex').slice(0, 16)}.git`,
    );
    if (await stat(join(dir, 'HEAD')).catch(() => undefined)) {
      await runGit(
        [
          '--git-dir',
          dir,
          'fetch',
          '--quiet',
          '--prune',
          '--force',
          '--',
          url,
          '+refs/heads/*:refs/heads/*',
          '+refs/tags/*:refs/tags/*',
        ],
        { signal },
      );
    } else {
      await mkdir(options.gitCacheDir, { recursive: true });
      const tmp = join(scratch, 'mirror.git');
      await runGit(['clone', '--mirror', '--quiet', '--', url, tmp], { signal });
      await rm(dir, { recursive: true, force: true });
      await rename(tmp, dir);
    }
    return { dir, scratch, release };
  } catch (error) {
    await release();
    throw error;
  }
}
