/**
 * The client configuration of a mocked AWS SDK client: a region, test credentials and an
 * endpoint on a closed local port, so a call the mock does not catch fails here and never
 * reaches AWS.
 *
 * @example
 * ```ts
 * const ecs = mockClient(new ECSClient(UNREACHABLE_AWS));
 * ```
 */
export const UNREACHABLE_AWS = {
  region: 'eu-west-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};
