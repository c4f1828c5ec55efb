// Lints the sources: no trailing whitespace or tabs anywhere, no console.log in src/ (the app
// must not log in the browser). Prints file:line: problem for each finding; exits 1 if any.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const findings = [];

async function* jsFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* jsFiles(path);
    else if (entry.name.endsWith('.js')) yield path;
  }
}

for (const dir of ['src', 'test', 'scripts']) {
  for await (const file of jsFiles(join(root, dir))) {
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.forEach((line, i) => {
      const where = `${relative(root, file)}:${i + 1}`;
      if (/[ \t]+$/.test(line)) findings.push(`${where}: trailing whitespace`);
      if (line.includes('\t')) findings.push(`${where}: tab; indent with spaces`);
      if (dir === 'src' && /\bconsole\.log\s*\(/.test(line))
        findings.push(`${where}: console.log in app code`);
    });
  }
}

if (findings.length > 0) {
  console.error(findings.join('\n'));
  console.error(`lint: ${findings.length} problem${findings.length === 1 ? '' : 's'}`);
  process.exit(1);
}
console.log('lint: no problems');
