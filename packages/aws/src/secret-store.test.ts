import {
  DecryptionFailure,
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  GetParameterCommand,
  ParameterNotFound,
  ParameterVersionNotFound,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { AwsAdapterError } from './errors.ts';
import { AwsSecretStore, parseSecretReference } from './secret-store.ts';
import { UNREACHABLE } from './testing/mocked-client.ts';

const local = UNREACHABLE;
const ssmClient = new SSMClient(local);
const smClient = new SecretsManagerClient(local);
const ssm = mockClient(ssmClient);
const sm = mockClient(smClient);
afterEach(() => {
  ssm.reset();
  sm.reset();
  vi.useRealTimers();
});
afterAll(() => {
  ssm.restore();
  sm.restore();
  ssmClient.destroy();
  smClient.destroy();
});

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf';
const VALUE = 's3cr3t-Value!';
const JSON_SECRET = JSON.stringify({ username: 'app', password: VALUE, port: 5432, nested: { a: 1 } });

function store(cacheTtlMs?: number): AwsSecretStore {
  return new AwsSecretStore({
    ssm: ssmClient,
    secretsManager: smClient,
    ...(cacheTtlMs === undefined ? {} : { cacheTtlMs }),
  });
}

async function failure(promise: Promise<unknown>): Promise<AwsAdapterError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AwsAdapterError);
  return error as AwsAdapterError;
}

/** Neither the message nor any cause of an error may carry a secret value. */
function expectNoValue(error: unknown, ...values: string[]): void {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    for (const value of values) {
      expect(e.message).not.toContain(value);
      expect(String(e.stack)).not.toContain(value);
    }
  }
}

describe('AwsSecretStore with SSM', () => {
  it.each([
    ['ssm:/pipewright/prod/token', '/pipewright/prod/token'],
    ['{{resolve:ssm-secure:/pipewright/prod/token}}', '/pipewright/prod/token'],
    ['{{resolve:ssm-secure:/pipewright/prod/token:3}}', '/pipewright/prod/token:3'],
    ['{{resolve:ssm:plain-name}}', 'plain-name'],
  ])('resolves %s with GetParameter(WithDecryption)', async (reference, name) => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: name, Type: 'SecureString', Value: VALUE } });
    expect(await store().get(reference)).toBe(VALUE);
    expect(ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input)).toEqual([
      { Name: name, WithDecryption: true },
    ]);
  });

  it('says how to create a missing parameter', async () => {
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(new ParameterNotFound({ message: '', $metadata: {} }))
      .rejectsOnce(new ParameterVersionNotFound({ message: 'no version 9', $metadata: {} }));
    const missing = await failure(store().get('ssm:/prod/nope'));
    expect(missing.code).toBe('PW6311');
    expect(missing.message).toContain('SSM parameter /prod/nope does not exist');
    expect(missing.message).toContain('aws ssm put-parameter --type SecureString --name /prod/nope');
    const version = await failure(store().get('ssm:/prod/nope:9'));
    expect(version.message).toContain('in that version');
    expect(version.message).toContain('--name /prod/nope ');
  });
});

describe('AwsSecretStore with Secrets Manager', () => {
  it.each([
    ['secretsmanager:prod/db', { SecretId: 'prod/db' }, JSON_SECRET],
    ['secretsmanager:prod/db:password', { SecretId: 'prod/db' }, VALUE],
    ['secretsmanager:prod/db:port', { SecretId: 'prod/db' }, '5432'],
    ['secretsmanager:prod/db:nested', { SecretId: 'prod/db' }, '{"a":1}'],
    [`secretsmanager:${ARN}:password`, { SecretId: ARN }, VALUE],
    [
      'secretsmanager:prod/db:password:AWSPREVIOUS',
      { SecretId: 'prod/db', VersionStage: 'AWSPREVIOUS' },
      VALUE,
    ],
    ['secretsmanager:prod/db::AWSPENDING', { SecretId: 'prod/db', VersionStage: 'AWSPENDING' }, JSON_SECRET],
    ['{{resolve:secretsmanager:prod/db}}', { SecretId: 'prod/db' }, JSON_SECRET],
    ['{{resolve:secretsmanager:prod/db:SecretString:password}}', { SecretId: 'prod/db' }, VALUE],
    [`{{resolve:secretsmanager:${ARN}:SecretString:username}}`, { SecretId: ARN }, 'app'],
    [
      '{{resolve:secretsmanager:prod/db:SecretString:password::v-123}}',
      { SecretId: 'prod/db', VersionId: 'v-123' },
      VALUE,
    ],
  ])('resolves %s', async (reference, input, expected) => {
    sm.on(GetSecretValueCommand).resolves({ Name: 'prod/db', SecretString: JSON_SECRET });
    expect(await store().get(reference)).toBe(expected);
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([input]);
  });

  it('reads a binary secret as UTF-8 text', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new TextEncoder().encode('bin✓') });
    expect(await store().get('secretsmanager:bin')).toBe('bin✓');
  });

  it('reports a missing JSON key or a non-JSON secret without the value', async () => {
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON_SECRET })
      .resolvesOnce({ SecretString: VALUE });
    const noKey = await failure(store().get('secretsmanager:prod/db:apiKey'));
    expect(noKey.code).toBe('PW6312');
    expect(noKey.message).toContain('secret prod/db has no JSON key "apiKey"');
    expectNoValue(noKey, VALUE, JSON_SECRET);
    const notJson = await failure(store().get('secretsmanager:prod/plain:password'));
    expect(notJson.code).toBe('PW6312');
    expect(notJson.message).toContain('secret prod/plain is not a JSON object');
    expect(notJson.cause).toBeUndefined();
    expectNoValue(notJson, VALUE, VALUE.slice(0, 5));
  });

  it('says what to do when the secret is missing or cannot be decrypted', async () => {
    sm.on(GetSecretValueCommand)
      .rejectsOnce(
        new ResourceNotFoundException({
          message: "Secrets Manager can't find the specified secret.",
          $metadata: {},
        }),
      )
      .rejectsOnce(new DecryptionFailure({ message: 'KMS refused', $metadata: { httpStatusCode: 400 } }));
    const missing = await failure(store().get('secretsmanager:prod/gone:password:AWSPREVIOUS'));
    expect(missing.code).toBe('PW6311');
    expect(missing.message).toContain(
      'Secrets Manager secret prod/gone with a version labelled AWSPREVIOUS does not exist',
    );
    expect(missing.message).toContain('aws secretsmanager create-secret --name prod/gone');
    const denied = await failure(store().get('secretsmanager:prod/db'));
    expect(denied.code).toBe('PW6313');
    expect(denied.retryable).toBe(false);
    expect(denied.message).toContain('DecryptionFailure: KMS refused');
    expect(denied.message).toContain('grant secretsmanager:GetSecretValue on the secret and kms:Decrypt');
  });
});

describe('AwsSecretStore cache', () => {
  it('reads a secret once for many keys and concurrent gets, within the TTL', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON_SECRET });
    const secrets = store();
    const values = await Promise.all([
      secrets.get('secretsmanager:prod/db:username'),
      secrets.get('secretsmanager:prod/db:password'),
      secrets.get('{{resolve:secretsmanager:prod/db:SecretString:port}}'),
    ]);
    expect(values).toEqual(['app', VALUE, '5432']);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    await secrets.get('secretsmanager:prod/db:password:AWSPREVIOUS');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('reads again once the TTL has passed, and after clear()', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-05T10:00:00Z'));
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: VALUE } });
    const secrets = store(60_000);
    await secrets.get('ssm:/p');
    vi.setSystemTime(new Date('2026-01-05T10:00:59Z'));
    await secrets.get('ssm:/p');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    vi.setSystemTime(new Date('2026-01-05T10:01:01Z'));
    await secrets.get('ssm:/p');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
    secrets.clear();
    await secrets.get('ssm:/p');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(3);
  });

  it('does not cache failures, and does not cache at all with a TTL of 0', async () => {
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ Parameter: { Value: VALUE } });
    const secrets = store();
    const throttled = await failure(secrets.get('ssm:/p'));
    expect(throttled.code).toBe('PW6313');
    expect(throttled.retryable).toBe(true);
    expect(await secrets.get('ssm:/p')).toBe(VALUE);
    const uncached = store(0);
    await uncached.get('ssm:/p');
    await uncached.get('ssm:/p');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(4);
  });
});

describe('parseSecretReference', () => {
  it.each([
    ['', 'has no known form'],
    ['vault:kv/x', 'has no known form'],
    ['/just/a/path', 'has no known form'],
    ['ssm-secure:/x', 'has no known form'],
    ['ssm:', 'names no SSM parameter'],
    ['secretsmanager:', 'names no secret'],
    ['secretsmanager:prod/db:', 'ends with an empty JSON key'],
    ['secretsmanager:arn:aws:secretsmanager:eu-west-1:1:secret', 'malformed secret ARN'],
    ['secretsmanager:a:b:c:d:e', 'too many parts'],
    ['secretsmanager:a:b:AWSCURRENT:v1', 'both a version stage and a version id'],
    ['{{resolve:secretsmanager:a:SecretBinary}}', 'other than SecretString'],
    ['{{resolve:vault:x}}', 'has no known form'],
  ])('rejects %j (%s)', (reference, why) => {
    let error: unknown;
    try {
      parseSecretReference(reference);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AwsAdapterError);
    expect((error as AwsAdapterError).code).toBe('PW6310');
    expect((error as Error).message).toContain(why);
    expect((error as Error).message).toContain(
      'write it as ssm:/path/name, secretsmanager:<name-or-arn>[:json-key]',
    );
  });

  it('keeps an ARN whole and reads what follows it', () => {
    expect(parseSecretReference(`secretsmanager:${ARN}:password:AWSCURRENT`)).toEqual({
      service: 'secretsmanager',
      secretId: ARN,
      jsonKey: 'password',
      versionStage: 'AWSCURRENT',
    });
  });

  it('rejects a reference before calling AWS', async () => {
    const error = await failure(store().get('nope'));
    expect(error.code).toBe('PW6310');
    expect(ssm.calls()).toHaveLength(0);
    expect(sm.calls()).toHaveLength(0);
  });
});
