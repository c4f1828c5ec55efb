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
  const fail = (node: Node | null | undefined, path: string, message: string): never => {
    const offset = node?.range?.[0];
    const line = offset === undefined ? '' : `:${lineCounter.linePos(offset).line}`;
    throw new BuildspecError(`${file}${line}: ${path}: ${message}`);
  };
  const firstError = doc.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0]?.line;
    throw new BuildspecError(
      `${file}${line ? `:${line}` : ''}: not valid YAML: ${firstError.message.split('\n')[0]}`,
    );
  }
  const root = doc.contents;
  if (!isMap(root)) return fail(root, '(root)', 'must be a mapping with version and phases');

  const field = (map: Node, key: string): Node | undefined =>
    isMap(map) ? (map.get(key, true) as Node | undefined) : undefined;
  const checkKeys = (map: Node, path: string, allowed: readonly string[]) => {
    if (!isMap(map)) return;
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!allowed.includes(key)) {
        fail(
          pair.key as Node,
          `${path}${key}`,
          `is not a buildspec 0.2 key; expected one of ${allowed.join(', ')}`,
        );
      }
    }
  };
  const scalar = (node: Node | undefined, path: string): string => {
    if (!isScalar(node) || node.value === null || typeof node.value === 'object') {
      return fail(node, path, 'must be a string');
    }
    return String(node.value);
  };
  const strings = (node: Node | undefined, path: string): string[] => {
    if (node === undefined || (isScalar(node) && node.value === null)) return [];
    if (isScalar(node)) return [scalar(node, path)];
    if (!isSeq(node)) return fail(node, path, 'must be a list of strings');
    return node.items.map((item, i) => scalar(item as Node, `${path}[${i}]`));
  };
  const stringMap = (node: Node | undefined, path: string): Record<string, string> => {
    if (node === undefined) return {};
    if (!isMap(node)) return fail(node, path, 'must be a mapping of names to values');
    const out: Record<string, string> = {};
    for (const pair of node.items) {
      const key = scalar(pair.key as Node, path);
      out[key] = scalar(pair.value as Node, `${path}.${key}`);
    }
    return out;
  };
  const yesNo = (node: Node | undefined, path: string): boolean => {
    if (node === undefined) return false;
    const value = scalar(node, path).toLowerCase();
    if (['yes', 'true'].includes(value)) return true;
    if (['no', 'false'].includes(value)) return false;
    return fail(node, path, 'must be yes or no');
  };

  checkKeys(root, '', TOP_LEVEL);
  const version = field(root, 'version');
  if (version === undefined) fail(root, 'version', 'is missing; add version: 0.2');
  if (scalar(version, 'version') !== '0.2') {
    fail(version, 'version', `is ${scalar(version, 'version')}; Pipewright runs buildspec version 0.2`);
  }

  const env = field(root, 'env');
  if (env !== undefined && !isMap(env)) fail(env, 'env', 'must be a mapping');
  if (env) checkKeys(env, 'env.', ENV_KEYS);
  const exportedVariables = env ? strings(field(env, 'exported-variables'), 'env.exported-variables') : [];
  for (const [i, name] of exportedVariables.entries()) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      fail(
        field(env as Node, 'exported-variables'),
        `env.exported-variables[${i}]`,
        `${name} is not a variable name`,
      );
    }
  }
  const variables = env ? stringMap(field(env, 'variables'), 'env.variables') : {};
  for (const name of Object.keys(variables)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      fail(
        field(env as Node, 'variables'),
        `env.variables.${name}`,
        'is not a valid environment variable name',
      );
    }
  }

  const phasesNode = field(root, 'phases');
  if (phasesNode !== undefined && !isMap(phasesNode))
    fail(phasesNode, 'phases', 'must be a mapping of phases');
  const phases: Partial<Record<BuildspecPhaseName, BuildspecPhase>> = {};
  if (phasesNode) {
    checkKeys(phasesNode, 'phases.', BUILDSPEC_PHASES);
    for (const name of BUILDSPEC_PHASES) {
      const node = field(phasesNode, name);
      if (node === undefined || (isScalar(node) && node.value === null)) continue;
      const path = `phases.${name}`;
      if (!isMap(node)) fail(node, path, 'must be a mapping with commands');
      checkKeys(node, `${path}.`, PHASE_KEYS);
      const onFailureNode = field(node, 'on-failure');
      const onFailure = onFailureNode === undefined ? undefined : scalar(onFailureNode, `${path}.on-failure`);
      if (onFailure !== undefined && onFailure !== 'ABORT' && onFailure !== 'CONTINUE') {
        fail(onFailureNode, `${path}.on-failure`, `is ${onFailure}; use ABORT or CONTINUE`);
      }
      phases[name] = {
        commands: strings(field(node, 'commands'), `${path}.commands`),
        finally: strings(field(node, 'finally'), `${path}.finally`),
        onFailure: onFailure as 'ABORT' | 'CONTINUE' | undefined,
      };
    }
  }

  const artifactsOf = (
    node: Node,
    path: string,
    keys: readonly string[] = ARTIFACT_KEYS,
  ): BuildspecArtifacts => {
    if (!isMap(node)) return fail(node, path, 'must be a mapping with files');
    checkKeys(node, `${path}.`, keys);
    const base = field(node, 'base-directory');
    const name = field(node, 'name');
    return {
      files: strings(field(node, 'files'), `${path}.files`),
      baseDirectory: base === undefined ? undefined : scalar(base, `${path}.base-directory`),
      discardPaths: yesNo(field(node, 'discard-paths'), `${path}.discard-paths`),
      name: name === undefined ? undefined : scalar(name, `${path}.name`),
    };
  };
  const artifactsNode = field(root, 'artifacts');
  let artifacts: BuildspecArtifacts | undefined;
  const secondaryArtifacts: Record<string, BuildspecArtifacts> = {};
  if (artifactsNode !== undefined) {
    if (!isMap(artifactsNode)) fail(artifactsNode, 'artifacts', 'must be a mapping with files');
    checkKeys(artifactsNode, 'artifacts.', [...ARTIFACT_KEYS, 'secondary-artifacts']);
    const secondary = field(artifactsNode, 'secondary-artifacts');
    if (secondary !== undefined) {
      if (!isMap(secondary))
        return fail(secondary, 'artifacts.secondary-artifacts', 'must map identifiers to artifacts');
      for (const pair of secondary.items) {
        const id = scalar(pair.key as Node, 'artifacts.secondary-artifacts');
        secondaryArtifacts[id] = artifactsOf(pair.value as Node, `artifacts.secondary-artifacts.${id}`);
      }
    }
    if (field(artifactsNode, 'files') !== undefined) {
      artifacts = artifactsOf(artifactsNode, 'artifacts', [...ARTIFACT_KEYS, 'secondary-artifacts']);
    }
  }

  return {
    shell: env && field(env, 'shell') !== undefined ? scalar(field(env, 'shell'), 'env.shell') : undefined,
    variables,
    parameterStore: env ? stringMap(field(env, 'parameter-store'), 'env.parameter-store') : {},
    secretsManager: env ? stringMap(field(env, 'secrets-manager'), 'env.secrets-manager') : {},
    exportedVariables,
    phases,
    artifacts,
    secondaryArtifacts,
  };
}
