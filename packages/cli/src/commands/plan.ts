import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { formatDiagnostic, PipelineInvalidError } from '@pipewright/core';
import {
  checkDeployment,
  DEPLOYMENT_PIPELINE_FILE,
  type DeploymentFile,
  type DeploymentSite,
  deploymentPipelines,
  deploymentPlan,
} from '@pipewright/core/deploy';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { formatPlanReport, planReport } from '../render/plan-report.ts';

/** The app name `sst.config.ts` deploys as. */
const APP = 'pipewright';
/** An account id of the right length: sizes depend on it, the values do not. */
const PLACEHOLDER_ACCOUNT = '000000000000';

function readDirectory(dir: string, cwd: string): DeploymentFile[] {
  const path = resolve(cwd, dir);
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    // reported below
  }
  if (!isDirectory) {
    throw new UsageError(
      `${dir} is not a directory: name the directory holding the pipeline files (e.g. --dir pipelines)`,
    );
  }
  const files = readdirSync(path)
    .filter((f) => DEPLOYMENT_PIPELINE_FILE.test(f) && statSync(join(path, f)).isFile())
    .sort();
  if (files.length === 0) throw new UsageError(`${dir} holds no pipeline file (*.yaml, *.yml, *.json)`);
  return files.map((f) => ({
    file: relative(cwd, join(path, f)) || f,
    text: readFileSync(join(path, f), 'utf8'),
  }));
}

function site(values: Record<string, unknown>, env: Record<string, string | undefined>): DeploymentSite {
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const account = text(values.account) ?? PLACEHOLDER_ACCOUNT;
  if (!/^\d{12}$/.test(account))
    throw new UsageError(`--account must be a 12-digit AWS account id; got "${account}"`);
  return {
    app: text(values.app) ?? APP,
    stage: text(values.stage) ?? env.SST_STAGE ?? 'dev',
    region: text(values.region) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    accountId: account,
    partition: 'aws',
  };
}

/** `pipewright plan --dir DIR`: what `sst deploy` would create for the pipelines of DIR, and whether it fits AWS's quotas. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'Show what sst deploy would create for a directory of pipelines, and check every AWS quota',
  usage: 'pipewright plan --dir DIR [--stage NAME] [--region R] [--account ID] [--app NAME] [--json]',
  optionHelp: [
    '--dir DIR      the pipelines directory sst deploy reads (pipelines/ of the project)',
    '--stage NAME   the SST stage (default $SST_STAGE, else dev): every name starts <app>-<stage>-',
    '--region R     the region (default $AWS_REGION, else us-east-1)',
    '--account ID   the 12-digit account (default 000000000000; sizes do not depend on it)',
    '--app NAME     the SST app name (default pipewright, as in sst.config.ts)',
    '--json         print one JSON object: { ok, pipelines, shared, quotas, problems, warnings }',
    'Exit codes: 0 deployable; 1 invalid pipelines, a quota exceeded or a wildcard grant; 2 wrong usage.',
  ],
  examples: [
    'pipewright plan --dir pipelines',
    'pipewright plan --dir pipelines --stage production --region eu-west-1 --json',
  ],
  options: {
    dir: { type: 'string' },
    stage: { type: 'string' },
    region: { type: 'string' },
    account: { type: 'string' },
    app: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (typeof values.dir !== 'string' || values.dir === '')
      throw new UsageError('name the pipelines directory with --dir', this.usage);
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`, this.usage);
    const files = readDirectory(values.dir, io.cwd);
    const where = site(values, io.env);
    let loaded: ReturnType<typeof deploymentPipelines>;
    try {
      loaded = deploymentPipelines(files);
    } catch (error) {
      if (!(error instanceof PipelineInvalidError)) throw error;
      if (values.json) {
        const problems = error.diagnostics.map((d) => ({ code: 'PW1001', message: formatDiagnostic(d) }));
        io.stdout.write(`${JSON.stringify({ ok: false, problems }, null, 2)}\n`);
      } else {
        for (const d of error.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
        io.stderr.write('pipewright: the pipelines are invalid; fix the problems above and run plan again\n');
      }
      return EXIT.failed;
    }
    const keyArn = `arn:aws:kms:${where.region}:${where.accountId}:key/00000000-0000-0000-0000-000000000000`;
    const plan = deploymentPlan(loaded.pipelines, { ...where, artifactKeyArn: keyArn });
    const report = planReport(loaded.pipelines, where, plan, checkDeployment(loaded.pipelines, plan));
    report.warnings.unshift(...loaded.warnings);
    io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatPlanReport(report));
    return report.ok ? EXIT.ok : EXIT.failed;
  },
};
