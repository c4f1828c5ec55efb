/**
 * The AWS SDK clients of one action. An action without `roleArn` or `region` uses the
 * function's own clients (its role, its region). An action naming a `roleArn` — a role in
 * another account, as CodePipeline's cross-account actions do — gets clients whose credentials
 * come from STS `AssumeRole` on that role, used for that action's calls only; its `region`
 * picks the region of the clients. Assumed credentials are cached per role until five minutes
 * before they expire; the session name says which execution and action assumed the role
 * (CloudTrail shows it), e.g. `pw-7f0c2b1e-Deploy`.
 *
 * @example
 * ```ts
 * const clients = new ActionClients({ sts: new STSClient({}), region: 'eu-west-1' });
 * const codebuild = await clients.client(CodeBuildClient, run); // assumed role when run.action.roleArn is set
 * ```
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { ProviderFailure } from '@pipewright/providers';
import { awsFailure } from './aws-failure.ts';
import type { ClientScope } from './client-source.ts';
import { type RetryOptions, retrying } from './retrying-send.ts';

/** Temporary credentials, as the SDK takes them. */
interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/**
 * What {@link ActionClients} is built from.
 *
 * @example
 * ```ts
 * const options: ActionClientsOptions = { sts, region: 'eu-west-1' };
 * ```
 */
export interface ActionClientsOptions {
  sts: STSClient;
  /** The function's region: clients of actions without `region` (absent: the SDK's default region). */
  region?: string;
  /** Extra client configuration (tests: an endpoint). */
  clientConfig?: Record<string, unknown>;
  /** Seconds the assumed credentials last (900–43200; default 3600). */
  durationSeconds?: number;
  now?: () => Date;
  retry?: RetryOptions;
}

/** A constructor of an AWS SDK v3 client. */
type ClientClass<C> = new (config: Record<string, unknown>) => C;

const REFRESH_BEFORE_MS = 5 * 60 * 1000;

/**
 * The clients of actions, shared by all the providers of one function.
 *
 * @example
 * ```ts
 * const ecr = await clients.client(ECRClient, run);
 * ```
 */
export class ActionClients {
  readonly #options: ActionClientsOptions;
  readonly #credentials = new Map<string, Promise<Credentials>>();
  readonly #clients = new Map<string, { client: unknown; expires: number }>();

  constructor(options: ActionClientsOptions) {
    this.#options = options;
  }

  /**
   * The client of class `Class` for `run`: the action's region, and the action's role when it
   * names one (assumed with STS), else the function's own credentials. `{ role: false }` keeps
   * the function's credentials in the action's region (Pipewright's own buckets there).
   *
   * @example
   * ```ts
   * const s3 = await clients.client(S3Client, run);
   * ```
   */
  async client<C>(Class: ClientClass<C>, run: ClientScope, use: { role?: boolean } = {}): Promise<C> {
    const region = run.action.region?.trim() || this.#options.region;
    const role = use.role === false ? undefined : run.action.roleArn?.trim() || undefined;
    const credentials = role === undefined ? undefined : await this.credentials(role, run);
    const key = `${Class.name}|${region}|${role ?? ''}|${credentials?.accessKeyId ?? ''}`;
    const cached = this.#clients.get(key);
    if (cached !== undefined && cached.expires > this.#now()) return cached.client as C;
    const client = new Class({
      ...(region === undefined ? {} : { region }),
      ...this.#options.clientConfig,
      ...(credentials === undefined ? {} : { credentials }),
    });
    this.#clients.set(key, {
      client,
      expires: credentials?.expiration.getTime() ?? Number.POSITIVE_INFINITY,
    });
    return client;
  }

  /**
   * Credentials of `roleArn` (cached until five minutes before they expire).
   *
   * @throws {ProviderFailure} `PermissionError` when the role cannot be assumed (its trust policy).
   * @example
   * ```ts
   * (await clients.credentials('arn:aws:iam::210987654321:role/deployer', run)).accessKeyId;
   * ```
   */
  async credentials(roleArn: string, run: ClientScope): Promise<Credentials> {
    const cached = this.#credentials.get(roleArn);
    if (cached !== undefined) {
      const held = await cached.catch(() => undefined);
      if (held !== undefined && held.expiration.getTime() - REFRESH_BEFORE_MS > this.#now()) return held;
      this.#credentials.delete(roleArn);
    }
    const assumed = this.#assume(roleArn, run);
    this.#credentials.set(roleArn, assumed);
    assumed.catch(() => this.#credentials.delete(roleArn));
    return assumed;
  }

  async #assume(roleArn: string, run: ClientScope): Promise<Credentials> {
    const input = {
      RoleArn: roleArn,
      RoleSessionName: sessionName(run),
      DurationSeconds: this.#options.durationSeconds ?? 3600,
    };
    const output = await retrying(() => this.#options.sts.send(new AssumeRoleCommand(input)), {
      ...this.#options.retry,
      ...(run.signal === undefined ? {} : { signal: run.signal }),
    }).catch((error: unknown) => {
      throw awsFailure(
        error,
        `assuming role ${roleArn} for action "${run.action.name}"`,
        `the role's trust policy must allow sts:AssumeRole by Pipewright's action-runner role (docs/aws.md, "Cross-account actions")`,
      );
    });
    const c = output.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw new ProviderFailure(
        'SystemUnavailable',
        `STS returned no credentials for ${roleArn}; retry the action`,
      );
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  }

  #now(): number {
    return (this.#options.now?.() ?? new Date()).getTime();
  }
}

/**
 * The STS session name of an action's calls: `pw-<execution id, 8 characters>-<action>`,
 * trimmed to STS's 64 characters of `[\w+=,.@-]`.
 *
 * @example
 * ```ts
 * sessionName({ executionId: '7f0c2b1e-…', action: { name: 'Deploy prod' } }); // 'pw-7f0c2b1e-Deploy-prod'
 * ```
 */
export function sessionName(run: { executionId: string; action: { name: string } }): string {
  const clean = (text: string) => text.replace(/[^\w+=,.@-]/g, '-');
  return `pw-${clean(run.executionId.slice(0, 8))}-${clean(run.action.name)}`.slice(0, 64);
}
