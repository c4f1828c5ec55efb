/**
 * `sst.config.ts` pins what a deploy runs: the SST version (`version`) and the AWS provider
 * (`providers.aws.version`) equal the exact versions of `sst` and `@pulumi/aws` in the root
 * package.json, so `npx sst deploy` never runs another SST or provider than `npm ci` installed
 * and `npm run typecheck` checked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.ts';

interface AppConfig {
  version?: string;
  providers?: { aws?: { version?: string } };
}

/** The app configuration `sst.config.ts` returns for `stage` (SST's `$config` is the identity). */
async function appConfig(stage: string): Promise<AppConfig> {
  const globals = globalThis as { $config?: (config: unknown) => unknown };
  globals.$config = (config) => config;
  try {
    const { default: config } = (await import('../../sst.config.ts')) as unknown as {
      default: { app(input: { stage: string }): AppConfig };
    };
    return config.app({ stage });
  } finally {
    delete globals.$config;
  }
}

const rootPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};
const exactVersion = /^\d+\.\d+\.\d+$/;

describe('sst.config.ts', () => {
  it('pins SST to the exact 4.x version of the root devDependencies', async () => {
    // Prepare
    const sst = rootPackage.devDependencies.sst;
    // Act
    const app = await appConfig('dev');
    // Assess
    expect(sst).toMatch(exactVersion);
    expect(sst).toMatch(/^4\./);
    expect(app.version).toBe(sst);
  });

  it('pins the AWS provider to the exact @pulumi/aws version infra/ is typed against', async () => {
    // Prepare
    const pulumiAws = rootPackage.devDependencies['@pulumi/aws'];
    // Act
    const app = await appConfig('production');
    // Assess
    expect(pulumiAws).toMatch(exactVersion);
    expect(app.providers?.aws?.version).toBe(pulumiAws);
  });
});
