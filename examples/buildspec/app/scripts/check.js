// The library's static check: every .js file parses (`node --check`), and every function
// exported from src/ is named in at least one test. Prints file:line: problem for each finding
// and exits 1 if any.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../', import.meta.url));
const findings = [];

async function jsFiles(dir) {
  const entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const sources = await jsFiles('src');
const tests = await jsFiles('test');
const files = [...sources, ...tests, ...(await jsFiles('scripts'))];

await Promise.all(
  files.map(async (file) => {
    try {
      await run(process.execPath, ['--check', file]);
    } catch (error) {
      const line = /:(\d+)\n/.exec(error.stderr ?? '')?.[1] ?? '1';
      const reason = (error.stderr ?? '').split('\n').find((l) => /Error/.test(l)) ?? 'does not parse';
      findings.push(`${relative(root, file)}:${line}: ${reason.trim()}`);
    }
  }),
);

const testText = (await Promise.all(tests.map((f) => readFile(f, 'utf8')))).join('\n');
for (const file of sources) {
  const lines = (await readFile(file, 'utf8')).split('\n');
  lines.forEach((line, i) => {
    const name = /^export (?:async )?function\*? ?([A-Za-z_$][\w$]*)/.exec(line)?.[1];
    if (name && !new RegExp(`\\b${name}\\b`).test(testText)) {
      findings.push(
        `${relative(root, file)}:${i + 1}: exported function ${name} has no test; add one under test/`,
      );
    }
  });
}

if (findings.length > 0) {
  console.error(findings.sort().join('\n'));
  console.error(`check: ${findings.length} problem${findings.length === 1 ? '' : 's'}`);
  process.exit(1);
}
console.log(`check: ${files.length} files parse, every exported function has a test`);
