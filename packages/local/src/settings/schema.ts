/**
 * The local settings file, `pipewright.local.yaml`, beside a pipeline file: what a pipeline
 * definition in CodePipeline's format cannot carry for a local run (where a CodeCommit
 * repository lives, which module a Lambda function name means) and the git repositories an
 * example creates on its first run.
 *
 * @example
 * ```yaml
 * repositories:
 *   MyRepo: ./repo
 * functions:
 *   check-release: ./lambdas/check.ts#handler
 * setup:
 *   repositories:
 *     - path: ./repo
 *       from: ./app
 * ```
 */
import { z } from 'zod';

/** Name of the local settings file, read from the pipeline file's directory. */
export const LOCAL_SETTINGS_FILE = 'pipewright.local.yaml';

/** A JS/TS module with an optional export name: `./lambdas/check.ts#handler`. */
const FUNCTION_MODULE = /^[^#]+\.(?:m?[jt]s|c[jt]s)(?:#[A-Za-z_$][\w$]*)?$/;
/** A branch name git accepts (letters, digits, `_ . / + -`, within `git check-ref-format --branch`'s rules). */
const BRANCH_NAME = /^(?!-)(?!\/)(?!.*\.\.)(?!.*\/\/)(?!.*[/.]$)(?!.*\.lock$)[\w./+-]+$/;

/** `null` (a key with nothing under it, e.g. every entry commented out) counts as absent. */
const nullIsAbsent = (value: unknown) => (value === null ? undefined : value);

const requiredString = (missing: string, wrong: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? missing : wrong) })
    .trim()
    .min(1, { error: wrong });

const seedRepositorySchema = z.strictObject({
  path: requiredString(
    'is missing; add path: ./repo (where the repository is created, relative to this file)',
    'must be a non-empty path where the repository is created, relative to this file, e.g. ./repo',
  ),
  from: requiredString(
    'is missing; add from: ./app (the directory whose files become the first commit)',
    'must be a non-empty path to the directory whose files become the first commit, e.g. ./app',
  ),
  branch: z.preprocess(
    nullIsAbsent,
    z
      .string({ error: 'must be a branch name, e.g. main' })
      .regex(BRANCH_NAME, { error: 'is not a branch name git accepts; use e.g. main' })
      .default('main'),
  ),
  message: z.preprocess(
    nullIsAbsent,
    z
      .string({ error: 'must be a commit message (a string); remove it to use the default' })
      .min(1)
      .optional(),
  ),
});

const setupSchema = z.strictObject({
  repositories: z.preprocess(
    nullIsAbsent,
    z
      .array(seedRepositorySchema, {
        error: 'must be a list of { path, from, branch? } entries, e.g. - { path: ./repo, from: ./app }',
      })
      .default([]),
  ),
});

/**
 * The zod schema of `pipewright.local.yaml`; defaults are filled in, unknown keys are errors.
 *
 * @example
 * ```ts
 * localSettingsSchema.parse({}); // { repositories: {}, functions: {}, setup: { repositories: [] } }
 * ```
 */
export const localSettingsSchema = z
  .strictObject({
    repositories: z.preprocess(
      nullIsAbsent,
      z
        .record(
          z.string().min(1, { error: 'must not be empty; use the repository name' }),
          requiredString(
            'is missing; map the repository to a local path or git URL, e.g. MyRepo: ./repo',
            'must be a local path (relative to this file) or a git URL, e.g. MyRepo: ./repo',
          ),
          {
            error:
              'must be a mapping of repository names (CodeCommit RepositoryName, owner/repo) to local paths or git URLs, e.g. MyRepo: ./repo',
          },
        )
        .default({}),
    ),
    functions: z.preprocess(
      nullIsAbsent,
      z
        .record(
          z.string().min(1, { error: 'must not be empty; use the FunctionName' }),
          z
            .string({ error: 'must be a module path, e.g. ./lambdas/check.ts#handler' })
            .trim()
            .regex(FUNCTION_MODULE, {
              error:
                'must be a JS/TS module path relative to this file with an optional export, e.g. ./lambdas/check.ts#handler',
            }),
          {
            error:
              'must be a mapping of function names to local modules, e.g. check-release: ./lambdas/check.ts#handler',
          },
        )
        .default({}),
    ),
    setup: z.preprocess(nullIsAbsent, setupSchema.default({ repositories: [] })),
  })
  .superRefine((settings, ctx) => {
    const seen = new Map<string, number>();
    for (const [i, seed] of settings.setup.repositories.entries()) {
      const key = seed.path.replace(/\/+$/, '');
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['setup', 'repositories', i, 'path'],
          message: `${seed.path} is already set up by setup.repositories[${first}]; remove one of the two entries`,
        });
    }
  });

/** One repository created on first run: `path` becomes a git repository whose first commit holds the files of `from`. */
export interface SeedRepository {
  /** Where the repository is created (relative to the settings file unless absolute). */
  path: string;
  /** Directory whose files become the first commit (relative to the settings file unless absolute). */
  from: string;
  /** Branch of the first commit. Default `main`. */
  branch: string;
  /** Message of the first commit. */
  message?: string;
}

/** The contents of `pipewright.local.yaml`, defaults filled in. */
export interface LocalSettings {
  /** Repository name (CodeCommit `RepositoryName`, `owner/repo`) → local path or git URL. */
  repositories: Record<string, string>;
  /** Invoke/Lambda `FunctionName` → local module `./path.ts#export`. */
  functions: Record<string, string>;
  setup: {
    /** Repositories created on first run. */
    repositories: SeedRepository[];
  };
}

/**
 * Settings of a directory without `pipewright.local.yaml`.
 *
 * @example
 * ```ts
 * emptyLocalSettings().setup.repositories; // []
 * ```
 */
export function emptyLocalSettings(): LocalSettings {
  return { repositories: {}, functions: {}, setup: { repositories: [] } };
}

/**
 * Allowed keys of the mapping at a settings path (for "unknown key" messages).
 *
 * @example
 * ```ts
 * allowedKeysAt(['setup']); // ['repositories']
 * ```
 */
export function allowedKeysAt(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return ['repositories', 'functions', 'setup'];
  if (path.length === 1 && path[0] === 'setup') return ['repositories'];
  if (path.length === 3 && path[0] === 'setup' && path[1] === 'repositories') {
    return ['path', 'from', 'branch', 'message'];
  }
  return [];
}
