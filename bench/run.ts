/**
 * `npm run bench`: runs every `bench/*.bench.ts` in its own Node process, one after another,
 * and prints their figures. Benchmarks print numbers; nothing here asserts on time.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `Pipewright benchmarks — node ${process.version}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
);
let failed = 0;
for (const file of files) {
  console.log(`\n## ${file}`);
  const result = spawnSync(process.execPath, ['--expose-gc', join(here, file)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    console.log(`(${file} exited with ${result.status ?? result.signal})`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
