/**
 * Bundles the Lambda entry points as SST v4 builds them for `sst deploy` (its esbuild options:
 * bundle, ESM, `keepNames`, target `esnext`, `module` before `main`, the `require` /
 * `__dirname` banner, minified; plus the externals infra passes as `nodejs.esbuild.external`),
 * for the bundle-size test and `npm run bench`.
 *
 * @example
 * ```ts
 * const bundles = await bundleLambdas(outDir);
 * bundles.map((b) => `${b.name} ${b.bytes}`);
 * ```
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LAMBDA_EXTERNAL_MODULES } from '@pipewright/aws';
import { build } from 'esbuild';
import { REPO_ROOT } from './paths.ts';

/** The functions infra deploys, by entry file under `packages/aws/src/lambda/`. */
export const LAMBDA_ENTRIES = [
  'action-runner',
  'stage-gate',
  'callback',
  'trigger',
  'projector',
  'http',
] as const;

/** One bundled function. */
export interface LambdaBundle {
  name: (typeof LAMBDA_ENTRIES)[number];
  file: string;
  /** The entry's size: what a cold start loads. */
  bytes: number;
  /** The lazily loaded chunks' sizes. */
  chunkBytes: number[];
}

/** The limit issue 6 sets on each minified bundle. */
export const MAX_BUNDLE_BYTES = 1024 * 1024;

/**
 * Bundles every entry into `outDir/<name>.mjs`.
 *
 * @example
 * ```ts
 * await bundleLambdas('/tmp/bundles');
 * ```
 */
export async function bundleLambdas(
  outDir: string,
  names: readonly LambdaBundle['name'][] = LAMBDA_ENTRIES,
): Promise<LambdaBundle[]> {
  const bundles: LambdaBundle[] = [];
  for (const name of names) {
    // As SST with `nodejs.splitting`: the entry, plus chunks for what is imported lazily
    // (the clients of the AWS deploy providers), each loaded only when first used.
    const dir = join(outDir, name);
    const file = join(dir, `${name}.mjs`);
    const result = await build({
      entryPoints: { [name]: join(REPO_ROOT, 'packages/aws/src/lambda', `${name}.ts`) },
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      bundle: true,
      minify: true,
      keepNames: true,
      platform: 'node',
      format: 'esm',
      target: 'esnext',
      mainFields: ['module', 'main'],
      external: [...LAMBDA_EXTERNAL_MODULES],
      banner: {
        js: [
          "import { createRequire as topLevelCreateRequire } from 'module';",
          'const require = topLevelCreateRequire(import.meta.url);',
          "import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from 'url';",
          'const __filename = topLevelFileUrlToPath(import.meta.url);',
          "const __dirname = topLevelFileUrlToPath(new topLevelURL('.', import.meta.url));",
        ].join('\n'),
      },
      logLevel: 'silent',
      metafile: true,
    });
    const chunkBytes = Object.entries(result.metafile.outputs)
      .filter(([path]) => path.includes('/chunks/') && path.endsWith('.mjs'))
      .map(([, output]) => output.bytes);
    bundles.push({ name, file, bytes: (await stat(file)).size, chunkBytes });
  }
  return bundles;
}
