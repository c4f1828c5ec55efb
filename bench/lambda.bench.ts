/**
 * The Lambda functions as `sst deploy` ships them: the size of each minified bundle (esbuild
 * with SST's options) and its module init time — a fresh Node process importing the bundle,
 * which is the part of a cold start the code decides (the runtime's own start is AWS's).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleLambdas, MAX_BUNDLE_BYTES } from '../test/support/lambda-bundles.ts';

const RUNS = 15;
const out = mkdtempSync(join(tmpdir(), 'pw-bench-lambda-'));
try {
  const bundles = await bundleLambdas(out);
  console.log(`Lambda bundles (esbuild as SST builds them, minified; limit ${MAX_BUNDLE_BYTES / 1024} KiB)`);
  console.log('function        size KiB   init median ms   init p95 ms');
  for (const bundle of bundles) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const ms = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const t = performance.now(); await import(${JSON.stringify(bundle.file)}); console.log(performance.now() - t);`,
        ],
        { encoding: 'utf8' },
      );
      times.push(Number(ms.trim()));
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
    const p95 = times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)] ?? Number.NaN;
    console.log(
      `${bundle.name.padEnd(15)} ${(bundle.bytes / 1024).toFixed(0).padStart(8)}   ${median.toFixed(1).padStart(14)}   ${p95.toFixed(1).padStart(11)}`,
    );
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
