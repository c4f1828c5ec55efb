/**
 * Test support (not exported from the package): AWS SDK clients mocked with
 * `aws-sdk-client-mock` for one test file. A mocked client never sends; were it ever to, its
 * configuration points at a closed port on 127.0.0.1, never at AWS.
 *
 * @example
 * ```ts
 * const client = new SNSClient(UNREACHABLE);
 * const sns = mockedClient(client); // reset after each test, restored after all
 * sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
 * ```
 */
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach } from 'vitest';

/** The configuration of a client that can reach nothing: region, a closed local port, fake credentials. */
export const UNREACHABLE = {
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};

/**
 * Mocks `client` for the calling file: its stub is reset after each test, restored and the
 * client destroyed after all of them.
 *
 * @example
 * ```ts
 * const events = mockedClient(new EventBridgeClient(UNREACHABLE));
 * ```
 */
export function mockedClient<C extends { destroy(): void }>(client: C): AwsClientStub<C> {
  const stub = mockClient(client as never) as unknown as AwsClientStub<C>;
  afterEach(() => stub.reset());
  afterAll(() => {
    stub.restore();
    client.destroy();
  });
  return stub;
}

/**
 * An error as the AWS SDK throws it for a service's answer: its name and HTTP status.
 *
 * @example
 * ```ts
 * codebuild.on(StartBuildCommand).rejectsOnce(awsError('ThrottlingException', 400));
 * ```
 */
export function awsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });
}
