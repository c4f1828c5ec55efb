#!/usr/bin/env node
// The `pipewright` command. Sources are TypeScript run by Node's type stripping (Node >= 22.18).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `pipewright needs Node.js 22.18 or newer (24 LTS recommended); this is ${process.version}.\n` +
      'Install it (for example: npm install --prefix ~/.node24 node@24, then put ~/.node24/node_modules/.bin first on PATH) and try again.\n',
  );
  process.exit(2);
}
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
