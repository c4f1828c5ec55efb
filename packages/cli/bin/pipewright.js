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
// Node 22 marks the built-in SQLite (the local event log) experimental and says so on every
// run; Node 24 does not. Keep that one notice off the user's terminal, and every other warning.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  const sqliteNotice =
    type === 'ExperimentalWarning' && String(warning).startsWith('SQLite is an experimental');
  if (!sqliteNotice) emitWarning.call(process, warning, ...rest);
};
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
