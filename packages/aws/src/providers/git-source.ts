/**
 * Git source actions in AWS, each one build on the runner project whose generated buildspec
 * fetches the commit, exports CodePipeline's source variables (`env.exported-variables`) and
 * uploads the tree as the output artifact (without `.git`, or with it for
 * `OutputArtifactFormat: CODEBUILD_CLONE_REF`).
 *
 * - `Source/Git` (`RepositoryUrl`: a URL, or the absolute path of a file system mounted on the
 *   runner), `Source/CodeCommit` (CodeBuild's git credential helper signs the HTTPS clone with
 *   the build's role) and `Source/GitHub` (`OAuthToken` as a `{{resolve:secretsmanager:…}}` or
 *   `{{resolve:ssm:…}}` reference that CodeBuild resolves; a git credential helper reads it
 *   from the environment) clone with `git`. The repository, branch and commit reach the shell
 *   only as environment variables (`$PW_REPOSITORY_URL`, `$PW_BRANCH`, `$PW_SOURCE_REVISION`,
 *   the pinned `CommitId`): the commands are fixed text (DESIGN.md §1.6).
 * - `Source/CodeStarSourceConnection`: a connection's credentials cannot be read in a shell,
 *   so CodeBuild fetches the repository itself (`sourceAuthOverride` CODECONNECTIONS, the
 *   branch as `sourceVersion`); the repository is taken to be on GitHub.
 *
 * @example
 * ```ts
 * await awsSourceProvider('CodeCommit', options).run(run); // { status: 'Waiting', summary: 'CodeBuild build …' }
 * ```
 */
import type { EnvironmentVariable } from '@aws-sdk/client-codebuild';
import { findProvider } from '@pipewright/core';
import type { ActionProvider, ActionRun } from '@pipewright/engine';
import { guardOutcome } from '@pipewright/providers';
import { checkedConfiguration, configurationError, required } from './checked-configuration.ts';
import {
  buildspecText,
  type RunnerBuildOptions,
  type RunnerBuildSpec,
  startRunnerBuild,
} from './runner-build.ts';

/**
 * The git source providers the runner carries out.
 *
 * @example
 * ```ts
 * const provider: AwsSourceProvider = 'CodeCommit';
 * ```
 */
export type AwsSourceProvider = 'Git' | 'CodeCommit' | 'CodeStarSourceConnection' | 'GitHub';

/** Shell commands that set each variable CodePipeline's git sources export, in the checkout. */
const COMPUTED: Readonly<Record<string, string>> = {
  CommitId: 'export CommitId="$(git rev-parse HEAD)"',
  CommitMessage: 'export CommitMessage="$(git log -1 --format=%B)"',
  AuthorDate: 'export AuthorDate="$(git log -1 --format=%aI)"',
  CommitterDate: 'export CommitterDate="$(git log -1 --format=%cI)"',
  CommitUrl: 'export CommitUrl="$PW_COMMIT_URL_BASE$CommitId"',
};

/** A credential helper answering git's `get` with the token in `$PW_GIT_TOKEN` (never in the command text). */
const TOKEN_HELPER =
  'git config --global credential.helper \'!f() { test "$1" = get && echo username=x-access-token && echo "password=$PW_GIT_TOKEN"; }; f\'';

const BRANCH = /^(?!-)(?!.*\.\.)[^\s~^:?*[\\]+$/;

/**
 * A git source provider running on the runner project.
 *
 * @example
 * ```ts
 * awsSourceProvider('GitHub', options).provider; // 'GitHub'
 * ```
 */
export function awsSourceProvider(provider: AwsSourceProvider, options: RunnerBuildOptions): ActionProvider {
  return {
    categories: ['Source'],
    provider,
    run: (run) => guardOutcome(async () => startRunnerBuild(run, options, await sourceBuild(run, options))),
  };
}

/**
 * The runner build of a git source action (its buildspec, environment and, for connections, source).
 *
 * @example
 * ```ts
 * (await sourceBuild(run, options)).environment; // [{ name: 'PW_REPOSITORY_URL', … }, …]
 * ```
 */
export async function sourceBuild(
  run: ActionRun,
  options: Pick<RunnerBuildOptions, 'codebuild'>,
): Promise<RunnerBuildSpec> {
  const config = checkedConfiguration(run);
  const provider = run.action.actionTypeId.provider as AwsSourceProvider;
  const exported = findProvider(run.action.actionTypeId)?.outputVariables;
  const variables = Array.isArray(exported) ? [...exported] : [];
  const cloneRef = config.OutputArtifactFormat === 'CODEBUILD_CLONE_REF';
  const output = run.action.outputArtifacts[0];
  if (output === undefined) configurationError('a source action needs one output artifact');
  const env = new Map<string, EnvironmentVariable>();
  const plain = (name: string, value: string) => env.set(name, { name, value, type: 'PLAINTEXT' });
  const commands: string[] = [];
  let source: RunnerBuildSpec['source'];
  let credentialHelper = false;

  if (provider === 'CodeStarSourceConnection') {
    const repository = required(config, 'FullRepositoryId');
    const branch = checkBranch(required(config, 'BranchName'));
    source = {
      type: 'GITHUB',
      location: `https://github.com/${repository}.git`,
      auth: { type: 'CODECONNECTIONS', resource: required(config, 'ConnectionArn') },
      version: branch,
      gitCloneDepth: cloneRef ? 0 : 1,
    };
    plain('BranchName', branch);
    plain('FullRepositoryName', repository);
    plain('ConnectionArn', required(config, 'ConnectionArn'));
  } else {
    let url: string;
    let branch: string;
    if (provider === 'Git') {
      url = remoteUrl(required(config, 'RepositoryUrl'));
      branch = checkBranch(required(config, 'BranchName'));
      plain('RepositoryName', repositoryName(url));
    } else if (provider === 'CodeCommit') {
      const name = required(config, 'RepositoryName');
      const region = run.action.region ?? (await options.codebuild.config.region());
      url = `https://git-codecommit.${region}.amazonaws.com/v1/repos/${encodeURIComponent(name)}`;
      branch = checkBranch(required(config, 'BranchName'));
      credentialHelper = true;
      plain('RepositoryName', name);
    } else if (provider === 'GitHub') {
      const owner = required(config, 'Owner');
      const repo = required(config, 'Repo');
      url = `https://github.com/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}.git`;
      branch = checkBranch(required(config, 'Branch'));
      env.set('PW_GIT_TOKEN', { name: 'PW_GIT_TOKEN', ...secretReference(required(config, 'OAuthToken')) });
      plain('PW_COMMIT_URL_BASE', `https://github.com/${owner}/${repo}/commit/`);
      plain('RepositoryName', repo);
      commands.push(TOKEN_HELPER);
    } else {
      return configurationError(`Source/${provider} is not a git source Pipewright runs in AWS`);
    }
    plain('PW_REPOSITORY_URL', url);
    plain('PW_BRANCH', branch);
    plain('BranchName', branch);
    const revision = config.CommitId;
    if (revision !== undefined) {
      plain('PW_SOURCE_REVISION', revision);
      commands.push(
        'git clone --quiet --no-checkout -- "$PW_REPOSITORY_URL" src',
        'git -C src checkout --quiet --detach "$PW_SOURCE_REVISION"',
      );
    } else {
      commands.push(
        `git clone --quiet${cloneRef ? '' : ' --depth 1'} --branch "$PW_BRANCH" -- "$PW_REPOSITORY_URL" src`,
      );
    }
    commands.push('cd src');
  }

  for (const name of variables) {
    const command = COMPUTED[name];
    if (command !== undefined) commands.push(command);
    else if (!env.has(name))
      configurationError(`Source/${provider} exports ${name}, which Pipewright cannot compute`);
  }
  const spec = {
    version: '0.2',
    env: {
      shell: 'bash',
      ...(credentialHelper ? { 'git-credential-helper': 'yes' } : {}),
      'exported-variables': variables,
    },
    phases: { build: { commands } },
    artifacts: {
      ...(source === undefined ? { 'base-directory': 'src' } : {}),
      files: ['**/*'],
      ...(cloneRef ? {} : { 'exclude-paths': ['.git/**/*'] }),
    },
  };
  return {
    buildspec: buildspecText(spec),
    environment: [...env.values()],
    ...(source === undefined ? {} : { source }),
  };
}

function checkBranch(branch: string): string {
  if (!BRANCH.test(branch)) configurationError(`branch ${JSON.stringify(branch)} is not a valid branch name`);
  return branch;
}

/**
 * A location the runner can clone: a network URL, or a `file://` URL / absolute path of a file
 * system mounted on the runner project. A relative path only exists beside a pipeline file on a laptop.
 */
function remoteUrl(location: string): string {
  const url = location.trim();
  if (
    /^(https?|ssh|git|file):\/\//i.test(url) ||
    /^[^/\s-][^/\s]*@[^/\s]+:/.test(url) ||
    url.startsWith('/')
  ) {
    return url;
  }
  return configurationError(
    `RepositoryUrl ${JSON.stringify(location)} is a path relative to the pipeline file; in AWS the runner clones it, so use an https:// or ssh:// URL (or file:// of a file system mounted on the runner project)`,
  );
}

function repositoryName(url: string): string {
  return (
    url
      .replace(/\/+$/, '')
      .split(/[/:]/)
      .pop()
      ?.replace(/\.git$/, '') ?? url
  );
}

/**
 * A secret that CodeBuild resolves, from a CloudFormation-style dynamic reference. A plain
 * token is refused: it would travel in StartBuild and in every build event.
 */
function secretReference(value: string): Pick<EnvironmentVariable, 'value' | 'type'> {
  const match = /^\{\{resolve:(secretsmanager|ssm|ssm-secure):(.+)\}\}$/.exec(value.trim());
  if (match?.[1] === 'secretsmanager' && match[2]) {
    const parts = match[2].split(':');
    const idParts = parts[0] === 'arn' ? 7 : 1;
    const id = parts.slice(0, idParts).join(':');
    const rest = parts.slice(idParts);
    if (rest[0] === 'SecretString') rest.shift();
    return { value: [id, ...rest].join(':'), type: 'SECRETS_MANAGER' };
  }
  if (match?.[2]) return { value: match[2], type: 'PARAMETER_STORE' };
  return configurationError(
    'OAuthToken must reference a secret, e.g. {{resolve:secretsmanager:github-token}} or {{resolve:ssm:/ci/github-token}}; ' +
      'a plain token would appear in the build request and its events',
  );
}
