/**
 * Secrets by reference: a pipeline names a secret, and the value is read at run time from SSM
 * Parameter Store or Secrets Manager — never stored in events or definitions. References:
 *
 * - `ssm:/path/name` (also `ssm:/path/name:3` for a version, or a parameter ARN) — GetParameter
 *   with decryption, so `SecureString`s come back in clear;
 * - `secretsmanager:<name-or-arn>[:json-key[:version-stage[:version-id]]]` — GetSecretValue,
 *   then the JSON key of the secret string when given (CodeBuild's `SECRETS_MANAGER` syntax);
 * - CloudFormation's dynamic references: `{{resolve:ssm:/path}}`, `{{resolve:ssm-secure:/path[:version]}}`,
 *   `{{resolve:secretsmanager:<name-or-arn>[:SecretString[:json-key[:version-stage[:version-id]]]]}}`.
 *
 * No error message ever contains a secret's value.
 *
 * @example
 * ```ts
 * const secrets = new AwsSecretStore({ ssm: new SSMClient({}), secretsManager: new SecretsManagerClient({}) });
 * const token = await secrets.get('secretsmanager:prod/deploy:token');
 * ```
 */
import {
  GetSecretValueCommand,
  type GetSecretValueCommandInput,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { AwsAdapterError } from './errors.ts';
import { isRetryableSdkError, sdkErrorName, sdkErrorSummary } from './sdk-error.ts';

/**
 * Resolves a secret reference to its value. Rejects when the reference is malformed or the
 * secret cannot be read; never with the value in the message.
 *
 * @example
 * ```ts
 * const secrets: SecretStore = { get: async (reference) => process.env[reference] ?? '' };
 * await secrets.get('ssm:/pipewright/prod/api-token');
 * ```
 */
export interface SecretStore {
  get(reference: string): Promise<string>;
}

/** Options of {@link AwsSecretStore}. @example `{ ssm: new SSMClient({}), secretsManager: new SecretsManagerClient({}), cacheTtlMs: 60_000 }` */
export interface AwsSecretStoreOptions {
  ssm: SSMClient;
  secretsManager: SecretsManagerClient;
  /** How long a value read is reused (default 5 minutes; 0 reads every time). */
  cacheTtlMs?: number;
}

/**
 * A parsed secret reference.
 *
 * @example
 * ```ts
 * const ref: SecretReference = { service: 'secretsmanager', secretId: 'prod/deploy', jsonKey: 'token' };
 * ```
 */
export type SecretReference =
  | { service: 'ssm'; name: string }
  | {
      service: 'secretsmanager';
      secretId: string;
      jsonKey?: string;
      versionStage?: string;
      versionId?: string;
    };

const DEFAULT_CACHE_TTL_MS = 5 * 60 * 1000;
const FORMS =
  'ssm:/path/name, secretsmanager:<name-or-arn>[:json-key], {{resolve:ssm-secure:/path}} or {{resolve:secretsmanager:<id>:SecretString:<json-key>}}';

/**
 * {@link SecretStore} over SSM Parameter Store and Secrets Manager, with a per-instance cache
 * (values are kept in memory for `cacheTtlMs`; concurrent reads of one secret make one call;
 * failures are not cached). Several JSON keys of one secret cost one GetSecretValue.
 *
 * @example
 * ```ts
 * const secrets = new AwsSecretStore({ ssm, secretsManager, cacheTtlMs: 60_000 });
 * await secrets.get('{{resolve:secretsmanager:prod/db:SecretString:password}}');
 * ```
 */
export class AwsSecretStore implements SecretStore {
  readonly #ssm: SSMClient;
  readonly #secretsManager: SecretsManagerClient;
  readonly #ttlMs: number;
  readonly #cache = new Map<string, { value: Promise<string>; expiresAt: number }>();

  constructor(options: AwsSecretStoreOptions) {
    this.#ssm = options.ssm;
    this.#secretsManager = options.secretsManager;
    this.#ttlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
  }

  async get(reference: string): Promise<string> {
    const parsed = parseSecretReference(reference);
    if (parsed.service === 'ssm') {
      return this.#cached(`ssm\0${parsed.name}`, () => this.#readParameter(parsed.name, reference));
    }
    const { secretId, versionStage, versionId, jsonKey } = parsed;
    const text = await this.#cached(
      `secretsmanager\0${secretId}\0${versionStage ?? ''}\0${versionId ?? ''}`,
      () => this.#readSecret(parsed, reference),
    );
    return jsonKey === undefined ? text : jsonValue(text, jsonKey, secretId, reference);
  }

  /** Forgets every cached value (e.g. after rotating a secret). */
  clear(): void {
    this.#cache.clear();
  }

  async #cached(key: string, read: () => Promise<string>): Promise<string> {
    const now = Date.now();
    const hit = this.#cache.get(key);
    if (hit !== undefined && hit.expiresAt > now) return hit.value;
    const value = read();
    if (this.#ttlMs > 0) {
      const entry = { value, expiresAt: now + this.#ttlMs };
      this.#cache.set(key, entry);
      value.catch(() => {
        if (this.#cache.get(key) === entry) this.#cache.delete(key);
      });
    }
    return value;
  }

  async #readParameter(name: string, reference: string): Promise<string> {
    try {
      const output = await this.#ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      const value = output.Parameter?.Value;
      if (value === undefined) throw notFound(`SSM parameter ${name} has no value`, reference);
      return value;
    } catch (cause) {
      if (cause instanceof AwsAdapterError) throw cause;
      const errorName = sdkErrorName(cause);
      if (errorName === 'ParameterNotFound' || errorName === 'ParameterVersionNotFound') {
        throw notFound(
          `SSM parameter ${name} does not exist in this account and region${errorName === 'ParameterVersionNotFound' ? ' in that version' : ''}`,
          reference,
          `create it (aws ssm put-parameter --type SecureString --name ${name.split(':')[0]} --value …) or fix the reference`,
          cause,
        );
      }
      throw readFailed(
        `SSM parameter ${name}`,
        reference,
        cause,
        'grant ssm:GetParameter on the parameter and kms:Decrypt on its key',
      );
    }
  }

  async #readSecret(
    ref: Extract<SecretReference, { service: 'secretsmanager' }>,
    reference: string,
  ): Promise<string> {
    const input: GetSecretValueCommandInput = { SecretId: ref.secretId };
    if (ref.versionStage !== undefined) input.VersionStage = ref.versionStage;
    if (ref.versionId !== undefined) input.VersionId = ref.versionId;
    try {
      const output = await this.#secretsManager.send(new GetSecretValueCommand(input));
      if (output.SecretString !== undefined) return output.SecretString;
      if (output.SecretBinary !== undefined) return new TextDecoder('utf-8').decode(output.SecretBinary);
      throw notFound(`secret ${ref.secretId} has no value`, reference);
    } catch (cause) {
      if (cause instanceof AwsAdapterError) throw cause;
      if (sdkErrorName(cause) === 'ResourceNotFoundException') {
        const version =
          ref.versionId !== undefined
            ? ` with version ${ref.versionId}`
            : ref.versionStage !== undefined
              ? ` with a version labelled ${ref.versionStage}`
              : '';
        throw notFound(
          `Secrets Manager secret ${ref.secretId}${version} does not exist in this account and region`,
          reference,
          `create it (aws secretsmanager create-secret --name ${ref.secretId} …) or fix the reference`,
          cause,
        );
      }
      throw readFailed(
        `Secrets Manager secret ${ref.secretId}`,
        reference,
        cause,
        'grant secretsmanager:GetSecretValue on the secret and kms:Decrypt on its key',
      );
    }
  }
}

/**
 * Parses a secret reference (see the module documentation for the forms); throws
 * `AwsAdapterError` `PW6310` naming the accepted forms for anything else.
 *
 * @example
 * ```ts
 * parseSecretReference('secretsmanager:prod/db:password'); // { service: 'secretsmanager', secretId: 'prod/db', jsonKey: 'password' }
 * parseSecretReference('{{resolve:ssm-secure:/prod/token}}'); // { service: 'ssm', name: '/prod/token' }
 * ```
 */
export function parseSecretReference(reference: string): SecretReference {
  const invalid = (why: string): never => {
    throw new AwsAdapterError(
      'PW6310',
      `secret reference ${JSON.stringify(reference)} ${why}; write it as ${FORMS}`,
    );
  };
  const dynamic = /^\{\{resolve:(.*)\}\}$/s.exec(reference);
  const body = dynamic?.[1] ?? reference;
  const colon = body.indexOf(':');
  const scheme = colon < 0 ? '' : body.slice(0, colon);
  const rest = colon < 0 ? '' : body.slice(colon + 1);

  if (scheme === 'ssm' || (dynamic !== null && scheme === 'ssm-secure')) {
    if (rest === '' || /\s/.test(rest)) return invalid('names no SSM parameter');
    return { service: 'ssm', name: rest };
  }
  if (scheme !== 'secretsmanager') return invalid('has no known form');

  const parts = rest.split(':');
  let secretId: string;
  let fields: string[];
  if (parts[0] === 'arn') {
    if (parts.length < 7 || parts[2] !== 'secretsmanager' || parts[5] !== 'secret' || parts[6] === '') {
      return invalid('has a malformed secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)');
    }
    secretId = parts.slice(0, 7).join(':');
    fields = parts.slice(7);
  } else {
    secretId = parts[0] ?? '';
    fields = parts.slice(1);
  }
  if (secretId === '') return invalid('names no secret');
  if (dynamic !== null) {
    const [kind = '', ...more] = fields;
    if (kind !== '' && kind !== 'SecretString') return invalid('asks for something other than SecretString');
    fields = more;
  } else if (fields.length > 0 && fields.every((f) => f === '')) {
    return invalid('ends with an empty JSON key');
  }
  if (fields.length > 3) return invalid('has too many parts');
  const [jsonKey = '', versionStage = '', versionId = ''] = fields;
  if (versionStage !== '' && versionId !== '') {
    return invalid('gives both a version stage and a version id (give one)');
  }
  return {
    service: 'secretsmanager',
    secretId,
    ...(jsonKey === '' ? {} : { jsonKey }),
    ...(versionStage === '' ? {} : { versionStage }),
    ...(versionId === '' ? {} : { versionId }),
  };
}

/** The JSON key's value of a secret string; the text itself never reaches a message. */
function jsonValue(text: string, key: string, secretId: string, reference: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // No `cause`: the parser's message quotes the text.
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsAdapterError(
      'PW6312',
      `secret ${secretId} is not a JSON object, so it has no key ${JSON.stringify(key)} (reference ${JSON.stringify(reference)}); store the secret as JSON or drop the key from the reference`,
    );
  }
  if (!Object.hasOwn(parsed, key)) {
    throw new AwsAdapterError(
      'PW6312',
      `secret ${secretId} has no JSON key ${JSON.stringify(key)} (reference ${JSON.stringify(reference)}); add the key to the secret or fix the reference`,
    );
  }
  const value = (parsed as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function notFound(
  what: string,
  reference: string,
  todo = 'fix the reference',
  cause?: unknown,
): AwsAdapterError {
  return new AwsAdapterError(
    'PW6311',
    `${what} (reference ${JSON.stringify(reference)}); ${todo}`,
    cause === undefined ? {} : { cause },
  );
}

function readFailed(what: string, reference: string, cause: unknown, grant: string): AwsAdapterError {
  const retryable = isRetryableSdkError(cause);
  return new AwsAdapterError(
    'PW6313',
    `could not read ${what} (reference ${JSON.stringify(reference)}): ${sdkErrorSummary(cause)}; ${retryable ? 'the service is throttling or unavailable — try again later' : grant}`,
    { retryable, cause },
  );
}
