/**
 * Parsing and checking a CodeBuild buildspec (version 0.2) for local runs. Every problem names
 * the field and its line: `buildspec.yml:12: phases.build.commands[1]: must be a string`.
 * Keys that only matter in AWS (`run-as`, `proxy`, `batch`, `reports`, `cache`,
 * `runtime-versions`, `git-credential-helper`) are accepted and ignored.
 *
 * @example
 * ```ts
 * const spec = parseBuildspec('version: 0.2\nphases:\n  build:\n    commands: [make]\n', 'buildspec.yml');
 * spec.phases.build?.commands; // ['make']
 * ```
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

/** CodeBuild's phases, in the order they run. */
export const BUILDSPEC_PHASES = ['install', 'pre_build', 'build', 'post_build'] as const;
export type BuildspecPhaseName = (typeof BUILDSPEC_PHASES)[number];

/** One phase. `onFailure` is `undefined` when the buildspec does not set it. */
export interface BuildspecPhase {
  commands: string[];
  finally: string[];
  onFailure: 'ABORT' | 'CONTINUE' | undefined;
}

/** `artifacts` or one `secondary-artifacts` entry. */
export interface BuildspecArtifacts {
  files: string[];
  baseDirectory: string | undefined;
  discardPaths: boolean;
  name: string | undefined;
}

/** The parts of a buildspec a local run uses. */
export interface Buildspec {
  shell: string | undefined;
  variables: Record<string, string>;
  parameterStore: Record<string, string>;
  secretsManager: Record<string, string>;
  exportedVariables: string[];
  phases: Partial<Record<BuildspecPhaseName, BuildspecPhase>>;
  artifacts: BuildspecArtifacts | undefined;
  secondaryArtifacts: Record<string, BuildspecArtifacts>;
}

/** A buildspec problem: the message says the file, line, field and what to do. */
export class BuildspecError extends Error {
  override readonly name = 'BuildspecError';
}

const TOP_LEVEL = ['version', 'run-as', 'env', 'proxy', 'batch', 'phases', 'reports', 'artifacts', 'cache'];
const ENV_KEYS = [
  'shell',
  'variables',
  'parameter-store',
  'secrets-manager',
  'exported-variables',
  'git-credential-helper',
];
const PHASE_KEYS = ['run-as', 'on-failure', 'runtime-versions', 'commands', 'finally'];
const ARTIFACT_KEYS = [
  'files',
  'name',
  'discard-paths',
  'base-directory',
  'exclude-paths',
  'enable-symlinks',
  's3-prefix',
];

/**
 * Parses a buildspec; throws {@link BuildspecError} naming the field and line.
 *
 * @example
 * ```ts
 * parseBuildspec('version: 0.1', 'buildspec.yml'); // throws: buildspec.yml:1: version: …
 * ```
 */
export function parseBuildspec(text: string, file: string): Buildspec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0]?.line;
    throw new BuildspecError(
      `${file}${line ? `:${line}` : ''}: not valid YAML: ${firstError.message.split('\n')[0]}`,
    );
  }
  const y = new BuildspecFields(file, lineCounter);
  const root = doc.contents;
  if (!isMap(root)) return y.fail(root, '(root)', 'must be a mapping with version and phases');

  y.checkKeys(root, '', TOP_LEVEL);
  const version = y.field(root, 'version');
  if (version === undefined) y.fail(root, 'version', 'is missing; add version: 0.2');
  if (y.scalar(version, 'version') !== '0.2') {
    y.fail(version, 'version', `is ${y.scalar(version, 'version')}; Pipewright runs buildspec version 0.2`);
  }
  const env = y.field(root, 'env');
  const { exportedVariables, variables } = parseEnvNames(y, env);
  const phases = parsePhases(y, y.field(root, 'phases'));
  const { artifacts, secondaryArtifacts } = parseArtifacts(y, y.field(root, 'artifacts'));
  return {
    shell:
      env && y.field(env, 'shell') !== undefined ? y.scalar(y.field(env, 'shell'), 'env.shell') : undefined,
    variables,
    parameterStore: env ? y.stringMap(y.field(env, 'parameter-store'), 'env.parameter-store') : {},
    secretsManager: env ? y.stringMap(y.field(env, 'secrets-manager'), 'env.secrets-manager') : {},
    exportedVariables,
    phases,
    artifacts,
    secondaryArtifacts,
  };
}

/** Reads typed values out of the buildspec's YAML nodes; `fail` names the file, line and field. */
class BuildspecFields {
  readonly #file: string;
  readonly #lineCounter: LineCounter;

  constructor(file: string, lineCounter: LineCounter) {
    this.#file = file;
    this.#lineCounter = lineCounter;
  }

  fail(node: Node | null | undefined, path: string, message: string): never {
    const offset = node?.range?.[0];
    const line = offset === undefined ? '' : `:${this.#lineCounter.linePos(offset).line}`;
    throw new BuildspecError(`${this.#file}${line}: ${path}: ${message}`);
  }

  field(map: Node, key: string): Node | undefined {
    return isMap(map) ? (map.get(key, true) as Node | undefined) : undefined;
  }

  checkKeys(map: Node, path: string, allowed: readonly string[]): void {
    if (!isMap(map)) return;
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!allowed.includes(key)) {
        this.fail(
          pair.key as Node,
          `${path}${key}`,
          `is not a buildspec 0.2 key; expected one of ${allowed.join(', ')}`,
        );
      }
    }
  }

  scalar(node: Node | undefined, path: string): string {
    if (!isScalar(node) || node.value === null || typeof node.value === 'object') {
      return this.fail(node, path, 'must be a string');
    }
    return String(node.value);
  }

  strings(node: Node | undefined, path: string): string[] {
    if (node === undefined || (isScalar(node) && node.value === null)) return [];
    if (isScalar(node)) return [this.scalar(node, path)];
    if (!isSeq(node)) return this.fail(node, path, 'must be a list of strings');
    return node.items.map((item, i) => this.scalar(item as Node, `${path}[${i}]`));
  }

  stringMap(node: Node | undefined, path: string): Record<string, string> {
    if (node === undefined) return {};
    if (!isMap(node)) return this.fail(node, path, 'must be a mapping of names to values');
    const out: Record<string, string> = {};
    for (const pair of node.items) {
      const key = this.scalar(pair.key as Node, path);
      out[key] = this.scalar(pair.value as Node, `${path}.${key}`);
    }
    return out;
  }

  yesNo(node: Node | undefined, path: string): boolean {
    if (node === undefined) return false;
    const value = this.scalar(node, path).toLowerCase();
    if (['yes', 'true'].includes(value)) return true;
    if (['no', 'false'].includes(value)) return false;
    return this.fail(node, path, 'must be yes or no');
  }
}

/** `env`'s keys, `exported-variables` and `variables`, with their names checked. */
function parseEnvNames(y: BuildspecFields, env: Node | undefined) {
  if (env !== undefined && !isMap(env)) y.fail(env, 'env', 'must be a mapping');
  if (env) y.checkKeys(env, 'env.', ENV_KEYS);
  const exportedVariables = env
    ? y.strings(y.field(env, 'exported-variables'), 'env.exported-variables')
    : [];
  for (const [i, name] of exportedVariables.entries()) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      y.fail(
        y.field(env as Node, 'exported-variables'),
        `env.exported-variables[${i}]`,
        `${name} is not a variable name`,
      );
    }
  }
  const variables = env ? y.stringMap(y.field(env, 'variables'), 'env.variables') : {};
  for (const name of Object.keys(variables)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      y.fail(
        y.field(env as Node, 'variables'),
        `env.variables.${name}`,
        'is not a valid environment variable name',
      );
    }
  }
  return { exportedVariables, variables };
}

function parsePhases(
  y: BuildspecFields,
  phasesNode: Node | undefined,
): Partial<Record<BuildspecPhaseName, BuildspecPhase>> {
  if (phasesNode !== undefined && !isMap(phasesNode))
    y.fail(phasesNode, 'phases', 'must be a mapping of phases');
  const phases: Partial<Record<BuildspecPhaseName, BuildspecPhase>> = {};
  if (!phasesNode) return phases;
  y.checkKeys(phasesNode, 'phases.', BUILDSPEC_PHASES);
  for (const name of BUILDSPEC_PHASES) {
    const node = y.field(phasesNode, name);
    if (node === undefined || (isScalar(node) && node.value === null)) continue;
    const path = `phases.${name}`;
    if (!isMap(node)) y.fail(node, path, 'must be a mapping with commands');
    y.checkKeys(node, `${path}.`, PHASE_KEYS);
    const onFailureNode = y.field(node, 'on-failure');
    const onFailure = onFailureNode === undefined ? undefined : y.scalar(onFailureNode, `${path}.on-failure`);
    if (onFailure !== undefined && onFailure !== 'ABORT' && onFailure !== 'CONTINUE') {
      y.fail(onFailureNode, `${path}.on-failure`, `is ${onFailure}; use ABORT or CONTINUE`);
    }
    phases[name] = {
      commands: y.strings(y.field(node, 'commands'), `${path}.commands`),
      finally: y.strings(y.field(node, 'finally'), `${path}.finally`),
      onFailure: onFailure as 'ABORT' | 'CONTINUE' | undefined,
    };
  }
  return phases;
}

function parseArtifacts(y: BuildspecFields, artifactsNode: Node | undefined) {
  let artifacts: BuildspecArtifacts | undefined;
  const secondaryArtifacts: Record<string, BuildspecArtifacts> = {};
  if (artifactsNode === undefined) return { artifacts, secondaryArtifacts };
  if (!isMap(artifactsNode)) y.fail(artifactsNode, 'artifacts', 'must be a mapping with files');
  y.checkKeys(artifactsNode, 'artifacts.', [...ARTIFACT_KEYS, 'secondary-artifacts']);
  const secondary = y.field(artifactsNode, 'secondary-artifacts');
  if (secondary !== undefined) {
    if (!isMap(secondary))
      return y.fail(secondary, 'artifacts.secondary-artifacts', 'must map identifiers to artifacts');
    for (const pair of secondary.items) {
      const id = y.scalar(pair.key as Node, 'artifacts.secondary-artifacts');
      secondaryArtifacts[id] = artifactsOf(y, pair.value as Node, `artifacts.secondary-artifacts.${id}`);
    }
  }
  if (y.field(artifactsNode, 'files') !== undefined) {
    artifacts = artifactsOf(y, artifactsNode, 'artifacts', [...ARTIFACT_KEYS, 'secondary-artifacts']);
  }
  return { artifacts, secondaryArtifacts };
}

function artifactsOf(
  y: BuildspecFields,
  node: Node,
  path: string,
  keys: readonly string[] = ARTIFACT_KEYS,
): BuildspecArtifacts {
  if (!isMap(node)) return y.fail(node, path, 'must be a mapping with files');
  y.checkKeys(node, `${path}.`, keys);
  const base = y.field(node, 'base-directory');
  const name = y.field(node, 'name');
  return {
    files: y.strings(y.field(node, 'files'), `${path}.files`),
    baseDirectory: base === undefined ? undefined : y.scalar(base, `${path}.base-directory`),
    discardPaths: y.yesNo(y.field(node, 'discard-paths'), `${path}.discard-paths`),
    name: name === undefined ? undefined : y.scalar(name, `${path}.name`),
  };
}
