/**
 * Creating the git repositories a `pipewright.local.yaml` sets up (`setup.repositories`) on
 * the first run: the files of `from` become the first commit of a new repository at `path`.
 * The repository is built in a temporary directory beside `path` and renamed into place, so
 * two runs starting at once never both create it and a failed set-up leaves nothing behind.
 *
 * @example
 * ```ts
 * const [repo] = await prepareRepositories([{ path: './repo', from: './app', branch: 'main' }], exampleDir);
 * repo?.created; // true the first time, false afterwards
 * ```
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { LocalSettingsError } from '../errors.ts';
import type { SeedRepository } from './schema.ts';

/** The outcome of {@link prepareRepositories} for one seed. */
export interface PreparedRepository {
  /** Absolute path of the repository. */
  path: string;
  /** True when this call created it; false when it was already a git repository. */
  created: boolean;
  /** `HEAD` of the repository (empty when an existing repository has no commit yet). */
  commitId: string;
}

/** Options of {@link prepareRepositories}. */
export interface PrepareRepositoriesOptions {
  /** The settings file the seeds come from, named in error messages. */
  file?: string;
}

/** Identity and settings of the first commit, independent of the user's git configuration. */
const COMMIT_CONFIG = [
  '-c',
  'user.name=Pipewright',
  '-c',
  'user.email=examples@pipewright.invalid',
  '-c',
  'commit.gpgsign=false',
] as const;

/** Variables that would override the fixed identity or point git at another repository. */
const UNSET_GIT_ENV = [
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_DATE',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_CEILING_DIRECTORIES',
] as const;

/** Names never copied from `from` into the new repository. */
const SKIPPED_NAMES = new Set(['.git', 'node_modules']);

/**
 * Creates each seed repository whose `path` (relative to `baseDir` unless absolute) is not yet
 * a git repository, with the files of `from` (recursively, without `.git` and `node_modules`)
 * as its first commit on `branch`. An existing repository is left untouched. Seeds are
 * prepared in order. Throws {@link LocalSettingsError} when `path` is a non-empty directory
 * that is not a git repository, when `from` is not a directory, or when git fails.
 *
 * @example
 * ```ts
 * const prepared = await prepareRepositories(settings.setup.repositories, dirname(settingsFile));
 * for (const r of prepared) if (r.created) console.log(`created ${r.path} at ${r.commitId.slice(0, 7)}`);
 * ```
 */
export async function prepareRepositories(
  seeds: readonly SeedRepository[],
  baseDir: string,
  options: PrepareRepositoriesOptions = {},
): Promise<PreparedRepository[]> {
  const prepared: PreparedRepository[] = [];
  for (const [index, seed] of seeds.entries()) {
    prepared.push(
      await prepareRepository(
        seed,
        baseDir,
        `${options.file ? `${options.file}: ` : ''}setup.repositories[${index}]`,
      ),
    );
  }
  return prepared;
}

async function prepareRepository(
  seed: SeedRepository,
  baseDir: string,
  where: string,
): Promise<PreparedRepository> {
  const path = absolute(seed.path, baseDir);
  const from = absolute(seed.from, baseDir);
  if (await isGitRepository(path)) return { path, created: false, commitId: await headOf(path, where) };
  await refuseOccupied(path, seed.path, `${where}.path`);
  const fromStat = await stat(from).catch(() => undefined);
  if (!fromStat?.isDirectory()) {
    throw new LocalSettingsError(
      `${where}.from: ${seed.from} (${from}) is not a directory; point from at the directory whose files become the first commit`,
    );
  }
  if (isInside(path, from)) {
    throw new LocalSettingsError(
      `${where}.path: ${seed.path} is inside from (${seed.from}); put the repository outside the directory it is made from`,
    );
  }

  await mkdir(dirname(path), { recursive: true });
  const staging = await mkdtemp(join(dirname(path), `.${basename(path)}.pipewright-`));
  try {
    await cp(from, staging, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (source) => !SKIPPED_NAMES.has(basename(source)) || source === from,
    });
    await git(['init', '--quiet', '-b', seed.branch], staging, where);
    await git(['add', '--all'], staging, where);
    await git(
      [
        ...COMMIT_CONFIG,
        'commit',
        '--quiet',
        '--no-verify',
        '--allow-empty',
        '-m',
        seed.message ?? `Initial commit of ${basename(from)}`,
      ],
      staging,
      where,
    );
    const commitId = (await git(['rev-parse', 'HEAD'], staging, where)).trim();
    try {
      await rename(staging, path);
      return { path, created: true, commitId };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && (await isGitRepository(path))) {
        // Another run created it between our check and the rename: theirs wins.
        return { path, created: false, commitId: await headOf(path, where) };
      }
      await refuseOccupied(path, seed.path, `${where}.path`);
      throw new LocalSettingsError(
        `${where}.path: cannot move the new repository to ${path} (${(error as Error).message}); check the directory's permissions`,
        { cause: error },
      );
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function absolute(path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function isGitRepository(path: string): Promise<boolean> {
  return (await stat(join(path, '.git')).catch(() => undefined)) !== undefined;
}

/** Throws unless `path` is absent or an empty directory. */
async function refuseOccupied(path: string, written: string, where: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory()) {
    throw new LocalSettingsError(
      `${where}: ${written} (${path}) is a file, not a git repository; remove it or point path elsewhere`,
    );
  }
  if ((await readdir(path)).length > 0) {
    throw new LocalSettingsError(
      `${where}: ${written} (${path}) is a non-empty directory that is not a git repository; remove it or point path elsewhere`,
    );
  }
}

async function headOf(path: string, where: string): Promise<string> {
  return (
    await git(['rev-parse', '--verify', '--quiet', 'HEAD'], path, where, { allowFailure: true })
  ).trim();
}

function git(
  args: readonly string[],
  cwd: string,
  where: string,
  options: { allowFailure?: boolean } = {},
): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  for (const name of UNSET_GIT_ENV) delete env[name];
  return new Promise((resolvePromise, reject) => {
    execFile(
      'git',
      [...args],
      { cwd, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolvePromise(stdout);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(
            new LocalSettingsError(
              `${where}: git is not installed or not on PATH; install git to set up the repository`,
              {
                cause: error,
              },
            ),
          );
        }
        if (options.allowFailure) return resolvePromise('');
        const detail = stderr.trim().split('\n').slice(-3).join(' ') || error.message;
        reject(
          new LocalSettingsError(
            `${where}: git ${args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? ''} failed in ${cwd}: ${detail}`,
            {
              cause: error,
            },
          ),
        );
      },
    );
  });
}
