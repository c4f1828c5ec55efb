import { compilePipeline, estimateCost, formatCostTable, formatDiagnostic } from '@pipewright/core';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { checkFile } from '../load-file.ts';
import { DEFAULT_RESOURCES } from './compile.ts';
import { diagnosticJson, formatOption, parseFormat, pickPipeline } from './shared.ts';

function positiveNumber(name: string, value: unknown, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `--${name} must be a positive ${integer ? 'whole ' : ''}number; got "${String(value)}"`,
    );
  }
  return n;
}

/** `pipewright cost <file>`: what one execution costs on Pipewright's serverless runtime, beside CodePipeline. */
export const costCommand: Command = {
  name: 'cost',
  summary: 'Estimate the AWS cost of running a pipeline on Pipewright, beside CodePipeline V1 and V2',
  usage: 'pipewright cost <file> [--action-minutes N] [--executions N] [--pipeline NAME] [--json]',
  optionHelp: [
    '--action-minutes N   minutes each action runs (CodePipeline V2 bills them; default 2)',
    '--executions N       executions per month for the monthly figures (default 100)',
    '--pipeline NAME      which pipeline, when a CloudFormation template holds several',
    '--format F           read the file as native, codepipeline or cloudformation',
    '--json               print the whole estimate as JSON',
  ],
  examples: [
    'pipewright cost examples/web-app/pipeline.yaml',
    'pipewright cost examples/web-app/pipeline.yaml --action-minutes 5 --executions 1000',
    'pipewright cost examples/seed/template.yaml --json',
  ],
  options: {
    'action-minutes': { type: 'string' },
    executions: { type: 'string' },
    pipeline: { type: 'string' },
    format: formatOption,
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) {
      throw new UsageError(`cost takes exactly one pipeline file; got ${positionals.length}`, this.usage);
    }
    const actionMinutes = positiveNumber('action-minutes', values['action-minutes'], false);
    const executionsPerMonth = positiveNumber('executions', values.executions, true);
    const checked = checkFile(positionals[0] as string, io.cwd, parseFormat(values.format));
    if (!checked.valid) {
      if (values.json) {
        io.stdout.write(
          `${JSON.stringify({ valid: false, diagnostics: checked.diagnostics.map(diagnosticJson) }, null, 2)}\n`,
        );
      } else {
        for (const d of checked.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
        io.stderr.write(`pipewright: ${checked.file} is invalid; fix the errors above first\n`);
      }
      return EXIT.failed;
    }
    const { pipeline } = pickPipeline(checked, values.pipeline as string | undefined);
    const definition = compilePipeline(pipeline, { resources: DEFAULT_RESOURCES });
    const estimate = estimateCost(pipeline, definition, {
      ...(actionMinutes !== undefined ? { actionMinutes } : {}),
      ...(executionsPerMonth !== undefined ? { executionsPerMonth } : {}),
    });
    io.stdout.write(
      values.json ? `${JSON.stringify(estimate, null, 2)}\n` : `${formatCostTable(estimate)}\n`,
    );
    return EXIT.ok;
  },
};
