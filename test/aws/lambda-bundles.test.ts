/**
 * Each Lambda function, bundled as SST builds it, stays within 1 MiB minified (issue 6), and its
 * bundle loads on its own in a fresh Node process: the module initialises without touching AWS
 * (clients and parts open on the first invocation) and exports a `handler` function.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { bundleLambdas, MAX_BUNDLE_BYTES } from '../support/lambda-bundles.ts';
import { tempDir } from '../support/temp-dirs.ts';

const cleanups = cleanupsAfter(afterEach);

describe('the Lambda bundles', () => {
  it('are each at most 1 MiB minified, and each loads alone and exports a handler', async () => {
    // Prepare
    const out = await tempDir(cleanups, 'pw-bundles-');
    // Act
    const bundles = await bundleLambdas(out);
    // Assess
    expect(bundles.map((b) => b.name)).toEqual([
      'action-runner',
      'stage-gate',
      'callback',
      'trigger',
      'projector',
      'http',
    ]);
    for (const bundle of bundles) {
      expect({
        name: bundle.name,
        withinLimit:
          bundle.bytes <= MAX_BUNDLE_BYTES && bundle.chunkBytes.every((b) => b <= MAX_BUNDLE_BYTES),
        bytes: bundle.bytes,
      }).toMatchObject({
        withinLimit: true,
      });
      const loaded = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(bundle.file)}); console.log(typeof m.handler);`,
        ],
        {
          cwd: out,
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '', AWS_ENDPOINT_URL: process.env.AWS_ENDPOINT_URL ?? '' },
        },
      );
      expect(loaded.trim()).toBe('function');
    }
  }, 120_000);
});
