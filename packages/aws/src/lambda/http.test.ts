import { describe, expect, it } from 'vitest';

describe('the HTTP function', () => {
  it('answers 503 saying what is missing when its environment is incomplete, and tries again on the next request', async () => {
    // Prepare: the function as Lambda loads it, without the environment infra sets.
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    delete process.env.TABLE_NAME;
    const { handler } = await import('./http.ts');
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/healthz',
      rawQueryString: '',
      headers: { host: 'abc.lambda-url.us-east-1.on.aws' },
      requestContext: {
        http: {
          method: 'GET',
          path: '/healthz',
          protocol: 'HTTP/1.1',
          sourceIp: '203.0.113.9',
          userAgent: 't',
        },
        domainName: 'abc.lambda-url.us-east-1.on.aws',
        requestId: 'r-1',
      },
      isBase64Encoded: false,
    };
    // Act
    const first = (await handler(event as never, {} as never)) as { statusCode: number; body: string };
    const second = (await handler(event as never, {} as never)) as { statusCode: number; body: string };
    // Assess
    expect(first.statusCode).toBe(503);
    expect(JSON.parse(first.body)).toMatchObject({
      error: 'ServiceUnavailable',
      message: expect.stringMatching(/PW6501.*TABLE_NAME.*sst deploy/),
    });
    expect(second.statusCode).toBe(503);
  });
});
