/**
 * `Build|Test/CodeBuild` run locally: the project's buildspec (configuration `BuildspecPath`,
 * default `buildspec.yml`, relative to the primary source) version 0.2 runs in ONE shell
 * process (`env.shell`: `bash`, the default, or `sh`) in the primary source directory, with
 * CodeBuild's phase-failure semantics (see `codebuild/buildspec-script.ts`). Environment, lowest
 * precedence first: the machine's, the workspace variables (`CODEBUILD_SRC_DIR`, …), pipeline
 * variables as `PW_<Namespace>_<Name>`, the buildspec's `env.variables`, the action's
 * `EnvironmentVariables` configuration. Output artifacts come from `artifacts` (the first
 * output) or `secondary-artifacts` (by output artifact name); output variables from
 * `env.exported-variables`.
 *
 * @example
 * ```ts
 * await codeBuildProvider({}).run(run); // run.action.configuration = { ProjectName: 'app' }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ActionProvider, ActionRun, StoredArtifact } from '@pipewright/engine';
import { type Buildspec, BuildspecError, parseBuildspec } from './codebuild/buildspec.ts';
import { buildspecScript } from './codebuild/buildspec-script.ts';
import type { LocalProvidersOptions } from './options.ts';
import { configurationError, guardOutcome, ProviderFailure, succeeded } from './outcome.ts';
import { type DeclaredVariable, resolveActionEnvironment } from './shell/action-environment.ts';
import { type RunScriptResult, runScript, withPrivateDir } from './shell/run-script.ts';
import { parseNulPairs } from './shell/shell-quote.ts';
import { variableEnvironment } from './shell/variable-environment.ts';
import { workspaceEnvironment } from './shell/workspace-env.ts';

/**
 * The CodeBuild provider for Build and Test.
 *
 * @example
 * ```ts
 * codeBuildProvider({}).categories; // ['Build', 'Test']
 * ```
 */
export function codeBuildProvider(options: LocalProvidersOptions): ActionProvider {
  return {
    categories: ['Build', 'Test'],
    provider: 'CodeBuild',
    run: (run) => guardOutcome(() => runBuildspec(run, options)),
  };
}

async function runBuildspec(run: ActionRun, options: LocalProvidersOptions) {
  const { primary, sourceDir, buildspecPath, spec } = await loadBuildspec(run);
  const shell = shellOf(spec.shell);
  if (Object.keys(spec.parameterStore).length > 0) {
    configurationError(
      `${buildspecPath}: env.parameter-store needs AWS Systems Manager; locally use env.variables`,
    );
  }
  const { env, mask } = await buildEnvironment(
    run,
    options,
    spec,
    run.action.configuration.EnvironmentVariables,
  );
  env.CODEBUILD_SRC_DIR = sourceDir;
  for (const input of run.inputs) {
    if (input !== primary) env[`CODEBUILD_SRC_DIR_${input.name}`] = input.dir;
  }
  const outputs = planOutputs(run, spec, buildspecPath);

  return withPrivateDir(async (dir) => {
    const statusFile = join(dir, 'status');
    const varsFile = join(dir, 'vars');
    run.log.write('system', `running ${buildspecPath} in ${sourceDir}\n`);
    const outcome = await runScript({
      ...shell,
      script: buildspecScript(spec, { statusFile, varsFile }),
      cwd: sourceDir,
      env,
      log: run.log,
      signal: run.signal,
      mask,
      privateDir: dir,
      ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
    });
    if (outcome.aborted)
      throw new ProviderFailure('JobFailed', 'the build was stopped before it finished', outcome.tail);
    await checkPhases(outcome, statusFile, buildspecPath);
    const outputVariables = await exportedVariables(run, spec, varsFile);
    const artifacts: StoredArtifact[] = [];
    for (const output of outputs) {
      artifacts.push(
        await run.artifacts.putDirectory(sourceDir, {
          name: output.name,
          files: output.files,
          discardPaths: output.discardPaths,
          ...(output.baseDirectory === undefined ? {} : { baseDirectory: output.baseDirectory }),
        }),
      );
    }
    return succeeded(artifacts, outputVariables);
  });
}

/** The primary source, and the buildspec read from it. */
async function loadBuildspec(run: ActionRun) {
  const config = run.action.configuration;
  const primaryName = config.PrimarySource;
  const primary = primaryName === undefined ? run.inputs[0] : run.inputs.find((i) => i.name === primaryName);
  if (primaryName !== undefined && !primary) {
    configurationError(`PrimarySource ${primaryName} is not one of the action's input artifacts`);
  }
  const sourceDir = primary?.dir ?? run.workspace;
  const buildspecPath = config.BuildspecPath ?? 'buildspec.yml';
  const file = resolve(sourceDir, buildspecPath);
  const text = await readFile(file, 'utf8').catch(() =>
    configurationError(
      `no ${buildspecPath} in the primary source${primary ? ` (${primary.name})` : ''}; add one, or set BuildspecPath in the action's configuration`,
    ),
  );
  let spec: Buildspec;
  try {
    spec = parseBuildspec(text, buildspecPath);
  } catch (error) {
    if (error instanceof BuildspecError) configurationError(error.message);
    throw error;
  }
  return { primary, sourceDir, buildspecPath, spec };
}

/** The build's environment (but the source directories) and the values to mask in its log. */
async function buildEnvironment(
  run: ActionRun,
  options: LocalProvidersOptions,
  spec: Buildspec,
  environmentVariables: string | undefined,
) {
  // The engine resolved the configuration's #{…} references (JSON-safely) before the run;
  // resolving the values again would expand a reference that a value merely contains.
  const declared: DeclaredVariable[] = [
    ...Object.entries(spec.secretsManager).map(([name, value]) => ({ name, value, type: 'SECRETS_MANAGER' })),
    ...parseEnvironmentVariables(environmentVariables),
  ];
  const { env: actionEnv, mask } = await resolveActionEnvironment(
    declared,
    run.variables,
    options,
    'EnvironmentVariables',
    false,
  );
  const { env: variableEnv } = variableEnvironment(run.variables);
  return { env: workspaceEnvironment(run, variableEnv, { ...spec.variables, ...actionEnv }), mask };
}

/** Fails the action when the script or one of its phases failed. */
async function checkPhases(
  outcome: RunScriptResult,
  statusFile: string,
  buildspecPath: string,
): Promise<void> {
  const [phasesLine = '', rcLine = ''] = (await readFile(statusFile, 'utf8').catch(() => '')).split('\n');
  const failedPhases = phasesLine.trim().split(/\s+/).filter(Boolean);
  if (outcome.exitCode !== 0 || failedPhases.length > 0) {
    const code = outcome.exitCode ?? rcLine;
    const where =
      failedPhases.length > 0
        ? `phase ${failedPhases.map((p) => p.toUpperCase()).join(', ')} failed`
        : 'the build failed';
    throw new ProviderFailure('JobFailed', `${buildspecPath}: ${where} (exit code ${code})`, outcome.tail);
  }
}

/** `env.exported-variables`, as the script left them. */
async function exportedVariables(
  run: ActionRun,
  spec: Buildspec,
  varsFile: string,
): Promise<Record<string, string>> {
  const values = parseNulPairs(await readFile(varsFile, 'utf8').catch(() => ''));
  const outputVariables: Record<string, string> = {};
  for (const name of spec.exportedVariables) {
    const value = values[name];
    if (value === undefined)
      run.log.write('system', `exported variable ${name} was not set by the buildspec\n`);
    else outputVariables[name] = value;
  }
  return outputVariables;
}

function shellOf(shell: string | undefined): { shell: string; args: string[] } {
  if (shell === undefined || shell === 'bash' || shell === '/bin/bash') {
    return { shell: 'bash', args: ['--noprofile', '--norc'] };
  }
  if (shell === 'sh' || shell === '/bin/sh') return { shell: '/bin/sh', args: [] };
  return configurationError(`env.shell ${shell} is not supported locally; use bash or sh`);
}

function parseEnvironmentVariables(json: string | undefined): DeclaredVariable[] {
  if (json === undefined || json.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return configurationError(
      'EnvironmentVariables must be a JSON array of {"name", "value", "type"} objects',
    );
  }
  if (
    !Array.isArray(value) ||
    !value.every(
      (v) => typeof v === 'object' && v !== null && typeof v.name === 'string' && typeof v.value === 'string',
    )
  ) {
    return configurationError(
      'EnvironmentVariables must be a JSON array of {"name", "value", "type"} objects',
    );
  }
  return value as DeclaredVariable[];
}

/** Which buildspec artifact section feeds each output artifact. */
function planOutputs(run: ActionRun, spec: Buildspec, buildspecPath: string) {
  return run.action.outputArtifacts.map((output, i) => {
    const section = spec.secondaryArtifacts[output.name] ?? (i === 0 ? spec.artifacts : undefined);
    if (!section) {
      return configurationError(
        i === 0
          ? `${buildspecPath} has no artifacts section for output artifact ${output.name}; add artifacts: files: ['**/*']`
          : `${buildspecPath} has no artifacts.secondary-artifacts.${output.name} for output artifact ${output.name}; name a secondary artifact after it`,
      );
    }
    return { ...section, name: output.name };
  });
}
