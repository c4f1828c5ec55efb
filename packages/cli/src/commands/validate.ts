import { formatDiagnostic } from '@pipewright/core';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { palette } from '../io.ts';
import { type CheckedFile, checkFile } from '../load-file.ts';
import { expandPipelineFiles } from '../pipeline-files.ts';
import { diagnosticJson, formatOption, parseFormat } from './shared.ts';

/** `pipewright validate <files…>`: every problem of every file at once. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check pipeline files and report every problem at once',
  usage: 'pipewright validate <file|dir>… [--format native|codepipeline|cloudformation] [--json]',
  optionHelp: [
    '--format F   read the files as this format instead of detecting it',
    '--json       print one JSON object: { valid, files: [{ file, valid, pipelines, diagnostics }] }',
  ],
  examples: [
    'pipewright validate examples/web-app/pipeline.yaml',
    'pipewright validate pipelines/',
    'aws codepipeline get-pipeline --name my-pipeline > p.json && pipewright validate p.json',
  ],
  options: { json: { type: 'boolean' }, format: formatOption },
  async run({ values, positionals }, io) {
    if (positionals.length === 0)
      throw new UsageError('name at least one pipeline file or directory', this.usage);
    const format = parseFormat(values.format);
    const results: CheckedFile[] = expandPipelineFiles(positionals, io.cwd).map((f) =>
      checkFile(f, io.cwd, format),
    );
    const valid = results.every((r) => r.valid);
    if (values.json) {
      const files = results.map((r) => ({
        file: r.file,
        valid: r.valid,
        pipelines: r.pipelines.map((p) => ({
          name: p.pipeline.name,
          format: p.format,
          ...(p.logicalId ? { logicalId: p.logicalId } : {}),
          stages: p.pipeline.stages.length,
          actions: p.pipeline.stages.reduce((n, s) => n + s.actions.length, 0),
        })),
        diagnostics: r.diagnostics.map(diagnosticJson),
      }));
      io.stdout.write(`${JSON.stringify({ valid, files }, null, 2)}\n`);
      return valid ? EXIT.ok : EXIT.failed;
    }
    const c = palette(io.stdout, io.env);
    for (const r of results) {
      for (const d of r.diagnostics) {
        const line = formatDiagnostic(d);
        io.stdout.write(`${d.severity === 'error' ? c.red(line) : c.yellow(line)}\n`);
      }
      const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = r.diagnostics.length - errors;
      const warned = warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : '';
      if (r.valid) {
        for (const p of r.pipelines) {
          const actions = p.pipeline.stages.reduce((n, s) => n + s.actions.length, 0);
          io.stdout.write(
            `${c.green('✓')} ${r.file}: ${p.pipeline.name} is valid (${p.pipeline.stages.length} stages, ${actions} actions${warned})\n`,
          );
        }
      } else {
        io.stdout.write(`${c.red('✗')} ${r.file}: ${errors} error${errors === 1 ? '' : 's'}${warned}\n`);
      }
    }
    return valid ? EXIT.ok : EXIT.failed;
  },
};
