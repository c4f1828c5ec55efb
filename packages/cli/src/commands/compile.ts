import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compilePipeline, formatDiagnostic } from '@pipewright/core';
import type { Command } from '../command.ts';
import { EXIT, InputFileError, UsageError } from '../errors.ts';
import { checkFile } from '../load-file.ts';
import { diagnosticJson, formatOption, parseFormat, pickPipeline } from './shared.ts';

/** Function names the local runtime registers; infra substitutes Lambda ARNs. */
export const DEFAULT_RESOURCES = {
  actionRunner: 'pipewright-action-runner',
  stageGate: 'pipewright-stage-gate',
};

/** `pipewright compile <file>`: the Step Functions definition (ASL, JSONata) of a pipeline. */
export const compileCommand: Command = {
  name: 'compile',
  summary: 'Compile a pipeline into its AWS Step Functions state machine (ASL, JSONata)',
  usage:
    'pipewright compile <file> [--out FILE] [--pipeline NAME] [--action-runner ARN] [--stage-gate ARN] [--json]',
  optionHelp: [
    '--out FILE           write the definition to FILE instead of printing it',
    '--pipeline NAME      which pipeline, when a CloudFormation template holds several',
    `--action-runner ARN  function invoked for each action (default ${DEFAULT_RESOURCES.actionRunner})`,
    `--stage-gate ARN     function invoked for stage gates and decisions (default ${DEFAULT_RESOURCES.stageGate})`,
    '--format F           read the file as native, codepipeline or cloudformation',
    '--json               with --out, print { file, pipeline, states } instead of a sentence',
  ],
  examples: [
    'pipewright compile examples/web-app/pipeline.yaml',
    'pipewright compile examples/seed/template.yaml --pipeline MyPipeline --out seed.asl.json',
    'pipewright compile pipeline.yaml --action-runner arn:aws:lambda:us-east-1:123456789012:function:runner',
  ],
  options: {
    out: { type: 'string' },
    pipeline: { type: 'string' },
    'action-runner': { type: 'string' },
    'stage-gate': { type: 'string' },
    format: formatOption,
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) {
      throw new UsageError(`compile takes exactly one pipeline file; got ${positionals.length}`, this.usage);
    }
    const checked = checkFile(positionals[0] as string, io.cwd, parseFormat(values.format));
    if (!checked.valid) {
      if (values.json) {
        io.stdout.write(
          `${JSON.stringify({ valid: false, diagnostics: checked.diagnostics.map(diagnosticJson) }, null, 2)}\n`,
        );
      } else {
        for (const d of checked.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
        io.stderr.write(`pipewright: ${checked.file} is invalid; fix the errors above, then compile again\n`);
      }
      return EXIT.failed;
    }
    const loaded = pickPipeline(checked, values.pipeline as string | undefined);
    const definition = compilePipeline(loaded.pipeline, {
      resources: {
        actionRunner: (values['action-runner'] as string | undefined) ?? DEFAULT_RESOURCES.actionRunner,
        stageGate: (values['stage-gate'] as string | undefined) ?? DEFAULT_RESOURCES.stageGate,
      },
    });
    const text = `${JSON.stringify(definition, null, 2)}\n`;
    const out = values.out as string | undefined;
    if (out === undefined) {
      io.stdout.write(text);
      return EXIT.ok;
    }
    try {
      writeFileSync(resolve(io.cwd, out), text);
    } catch (error) {
      throw new InputFileError(out, `cannot write ${out}: ${(error as Error).message}`, { cause: error });
    }
    const states = Object.keys((definition as { States: object }).States).length;
    io.stdout.write(
      values.json
        ? `${JSON.stringify({ file: out, pipeline: loaded.pipeline.name, states })}\n`
        : `wrote ${out}: state machine for ${loaded.pipeline.name} (${states} top-level states)\n`,
    );
    return EXIT.ok;
  },
};
