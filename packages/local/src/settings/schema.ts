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
 * webhooks:
 *   web-app: { secretEnv: WEB_APP_WEBHOOK_SECRET }
 * smtp:
 *   host: smtp.example.com
 *   port: 587
 *   from: Pipewright <pipewright@example.com>
 * aws:
 *   profile: dev
 *   region: eu-west-1
 * ```
 */
import * as z from 'zod';

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

const webhookSchema = z
  .strictObject(
    {
      secret: z
        .string({ error: 'must be the webhook secret (a string)' })
        .min(16, {
          error: 'must be at least 16 characters; GitHub signs with it, so use a long random value',
        })
        .optional(),
      secretEnv: z
        .string({ error: 'must be the name of an environment variable' })
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
          error: 'must be an environment variable name, e.g. WEB_APP_WEBHOOK_SECRET',
        })
        .optional(),
    },
    { error: 'must be a mapping with secret or secretEnv, e.g. { secretEnv: WEB_APP_WEBHOOK_SECRET }' },
  )
  .refine((w) => (w.secret === undefined) !== (w.secretEnv === undefined), {
    error:
      'give exactly one of secret and secretEnv (prefer secretEnv: secrets do not belong in files kept in git)',
  });

const smtpSchema = z
  .strictObject(
    {
      host: requiredString(
        'is missing; add host: smtp.example.com (the SMTP server that sends notification emails)',
        'must be the SMTP server name or address, e.g. smtp.example.com',
      ),
      port: z
        .int({ error: 'must be a port number, e.g. 587 (STARTTLS) or 465 (TLS)' })
        .min(1, { error: 'must be a port number from 1 to 65535' })
        .max(65535, { error: 'must be a port number from 1 to 65535' }),
      secure: z.preprocess(
        nullIsAbsent,
        z
          .boolean({
            error:
              'must be true (TLS from the first byte, usually port 465) or false (STARTTLS when offered)',
          })
          .optional(),
      ),
      from: requiredString(
        'is missing; add from: pipewright@example.com (the sender of notification emails)',
        'must be the sender address, e.g. "Pipewright <pipewright@example.com>"',
      ),
      user: z.preprocess(
        nullIsAbsent,
        z.string({ error: 'must be the SMTP user name' }).min(1, { error: 'must not be empty' }).optional(),
      ),
      password: z.preprocess(
        nullIsAbsent,
        z.string({ error: 'must be the SMTP password' }).min(1, { error: 'must not be empty' }).optional(),
      ),
    },
    {
      error:
        'must be a mapping with host, port and from, e.g. { host: smtp.example.com, port: 587, from: … }',
    },
  )
  .refine((s) => s.password === undefined || s.user !== undefined, {
    error: 'a password needs a user; add user: or remove password:',
    path: ['user'],
  });

/** The AWS opt-in: AWS-only actions run from this machine against the account these credentials reach. */
const awsSchema = z.strictObject(
  {
    profile: z.preprocess(
      nullIsAbsent,
      z
        .string({ error: 'must be the name of a profile in ~/.aws/config, e.g. dev' })
        .trim()
        .min(1, { error: 'must not be empty; remove it to use the default credential chain' })
        .optional(),
    ),
    region: z.preprocess(
      nullIsAbsent,
      z
        .string({ error: 'must be an AWS region, e.g. eu-west-1' })
        .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be an AWS region, e.g. eu-west-1' })
        .optional(),
    ),
  },
  {
    error:
      'must be a mapping with profile and region (each optional), e.g. aws: { profile: dev, region: eu-west-1 }',
  },
);

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
    smtp: z.preprocess(nullIsAbsent, smtpSchema.optional()),
    // `aws:` with nothing under it still opts in (default credential chain and region).
    aws: z.preprocess((value) => (value === null ? {} : value), awsSchema.optional()),
    webhooks: z.preprocess(
      nullIsAbsent,
      z
        .record(z.string().min(1, { error: 'must not be empty; use the pipeline name' }), webhookSchema, {
          error:
            'must be a mapping of pipeline names to { secret } or { secretEnv }, e.g. web-app: { secretEnv: WEB_APP_WEBHOOK_SECRET }',
        })
        .optional(),
    ),
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

/** Where the secret of a pipeline's webhook comes from: the value itself, or an environment variable. */
export interface WebhookSetting {
  secret?: string;
  secretEnv?: string;
}

/** The SMTP server notification emails go through (nodemailer's SMTP transport). */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465). Default: false, upgrading with STARTTLS when the server offers it. */
  secure?: boolean;
  /** Sender: `pipewright@example.com` or `Pipewright <pipewright@example.com>`. */
  from: string;
  user?: string;
  password?: string;
}

/** The AWS account AWS-only actions reach from this machine. @example `const aws: AwsSettings = { profile: 'dev', region: 'eu-west-1' }` */
export interface AwsSettings {
  profile?: string;
  region?: string;
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
  /** Where notification emails go out; absent: pipelines' email targets are not served. */
  smtp?: SmtpSettings;
  /**
   * The AWS opt-in: AWS-only actions (ECR and S3 sources, CloudFormation, …) run from this
   * machine against the real account, with `profile` (default: the default credential chain)
   * and `region` (default: the profile's or `AWS_REGION`). Absent: `run` refuses such pipelines.
   */
  aws?: AwsSettings;
  /** Pipeline name → its webhook secret (`POST /webhooks/github/<pipeline>`); absent: a generated one. */
  webhooks?: Record<string, WebhookSetting>;
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
  if (path.length === 0) return ['repositories', 'functions', 'setup', 'webhooks', 'smtp', 'aws'];
  if (path.length === 1 && path[0] === 'aws') return ['profile', 'region'];
  if (path.length === 2 && path[0] === 'webhooks') return ['secret', 'secretEnv'];
  if (path.length === 1 && path[0] === 'setup') return ['repositories'];
  if (path.length === 1 && path[0] === 'smtp') return ['host', 'port', 'secure', 'from', 'user', 'password'];
  if (path.length === 3 && path[0] === 'setup' && path[1] === 'repositories') {
    return ['path', 'from', 'branch', 'message'];
  }
  return [];
}
