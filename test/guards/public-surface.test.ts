/**
 * Narrow public surfaces (DESIGN.md §2): a package's root export is what other packages, the
 * tests, the benches and infra use — nothing more. The rest stays internal or behind a subpath
 * (`@pipewright/core/deploy`, `@pipewright/engine/testing`). `states` is left out: it is a
 * standalone ASL runtime whose root export is its public API for any Step Functions user.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.ts';

const CHECKED = ['core', 'engine', 'providers', 'aws', 'local', 'web'] as const;

/** Exported though no other code names them, each with the reason. */
const NEEDED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  engine: {
    RollbackStageInput: "local's server app dependencies are typed by inference and name it",
    RollbackStarted: "local's server app dependencies are typed by inference and name it",
  },
};
const SEARCHED = ['packages', 'test', 'bench', 'infra'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(name) ? [path] : [];
  });
}

function names(list: string): string[] {
  return list
    .split(',')
    .map((part) => part.trim().replace(/^type\s+/, ''))
    .filter((part) => part !== '');
}

/** The names a package's `src/index.ts` re-exports. */
function exportedNames(pkg: string): string[] {
  const text = readFileSync(join(REPO_ROOT, 'packages', pkg, 'src/index.ts'), 'utf8');
  return [...text.matchAll(/export\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'[^']+'/g)].flatMap((m) =>
    names(m[1] ?? '').map((part) => part.split(/\s+as\s+/).at(-1) ?? part),
  );
}

const FILES = SEARCHED.flatMap((dir) => sourceFiles(join(REPO_ROOT, dir))).map((file) => ({
  file: relative(REPO_ROOT, file),
  text: readFileSync(file, 'utf8'),
}));

/**
 * The names other code imports from (or re-exports of) `@pipewright/<pkg>`; in a file that
 * imports the package dynamically (`await import(…)`), every identifier it mentions.
 */
function usedNames(pkg: string): Set<string> {
  const used = new Set<string>(Object.keys(NEEDED[pkg] ?? {}));
  const pattern = new RegExp(
    `(?:import|export)\\s*(?:type\\s*)?\\{([^}]*)\\}\\s*from\\s*'@pipewright/${pkg}'`,
    'g',
  );
  for (const { file, text } of FILES) {
    if (file.startsWith(`packages/${pkg}/`)) continue;
    for (const m of text.matchAll(pattern)) {
      for (const part of names(m[1] ?? '')) used.add(part.split(/\s+as\s+/)[0] ?? part);
    }
    if (text.includes(`import('@pipewright/${pkg}')`)) {
      for (const m of text.matchAll(/\b[A-Za-z_$][\w$]*\b/g)) used.add(m[0]);
    }
  }
  return used;
}

describe('public surfaces', () => {
  it.each(CHECKED)('@pipewright/%s exports at its root only what other code uses', (pkg) => {
    const used = usedNames(pkg);
    const unused = exportedNames(pkg).filter((name) => !used.has(name));
    expect(unused, `remove these from packages/${pkg}/src/index.ts (or move them behind a subpath)`).toEqual(
      [],
    );
  });
});
