/**
 * Vitest global setup: no test reaches a real AWS endpoint. Every AWS SDK client in the suite
 * must be given a local endpoint (DynamoDB Local, s3rver) or be mocked (`aws-sdk-client-mock`).
 *
 * A client configured with neither resolves its endpoint from `AWS_ENDPOINT_URL`, which points
 * here: a server on 127.0.0.1 that answers every request with an error naming the mistake and
 * records it; the run then fails at teardown, even when the test swallowed the error. Fake
 * credentials and a disabled instance-metadata lookup keep the credential chain off the network.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * test: { globalSetup: ['test/guards/aws-endpoint-guard.ts'] }
 * ```
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request whose body carries this marker is the guard's own self-test, not a mistake. */
export const GUARD_SELF_TEST = 'pipewright-aws-endpoint-guard-self-test';

const CODE = 'PipewrightNoAwsInTests';
const MESSAGE =
  'A test sent an AWS SDK request without a local endpoint or a mock. Give the client `endpoint` ' +
  '(DynamoDB Local / s3rver on 127.0.0.1) or mock it with aws-sdk-client-mock: no test may reach AWS.';

export default async function setup(): Promise<() => Promise<void>> {
  const strays: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const target = req.headers['x-amz-target'] ?? '';
      if (!body.includes(GUARD_SELF_TEST)) strays.push(`${req.method} ${req.url} ${target}`.trim());
      // Answer in the request's protocol, so the SDK surfaces the message as the error's.
      const json = String(req.headers['content-type'] ?? '').includes('json') || target !== '';
      res.writeHead(400, {
        'content-type': json ? 'application/x-amz-json-1.0' : 'text/xml',
        'x-amzn-errortype': CODE,
      });
      res.end(
        json
          ? JSON.stringify({ __type: CODE, message: MESSAGE })
          : `<ErrorResponse><Error><Type>Sender</Type><Code>${CODE}</Code><Message>${MESSAGE}</Message></Error></ErrorResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_LOAD_CONFIG: '0',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (strays.length > 0)
      throw new Error(`${MESSAGE}\nRequests that reached the guard:\n  ${strays.join('\n  ')}`);
  };
}
