import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 30_000,
    pool: 'forks',
    // No test reaches AWS: clients without a local endpoint or mock hit this guard (and fail the run).
    // DynamoDB tests share one DynamoDB Local per run, started on first use.
    globalSetup: ['test/guards/aws-endpoint-guard.ts', 'test/support/dynamodb-local-setup.ts'],
  },
});
