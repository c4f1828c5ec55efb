import { type Diagnostic, formatPath, type LoadedPipeline, type PipelineFormat } from '@pipewright/core';
import { UsageError } from '../errors.ts';
import type { CheckedFile } from '../load-file.ts';

const FORMATS: readonly PipelineFormat[] = ['native', 'codepipeline', 'cloudformation'];

/** The `--format` option shared by commands that read pipeline files. */
export const formatOption = { type: 'string' } as const;

/** Checks a `--format` value. */
export function parseFormat(value: unknown): PipelineFormat | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (FORMATS as readonly string[]).includes(value))
    return value as PipelineFormat;
  throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got "${String(value)}"`);
}

/** A diagnostic as `--json` prints it. */
export function diagnosticJson(d: Diagnostic) {
  return {
    severity: d.severity,
    code: d.code,
    path: formatPath(d.path),
    message: d.message,
    ...(d.location ? { file: d.location.file, line: d.location.line, col: d.location.col } : {}),
  };
}

/**
 * Picks the one pipeline a command works on from a checked file: the only one, or the one
 * named by `--pipeline` when a CloudFormation template holds several.
 */
export function pickPipeline(checked: CheckedFile, name: string | undefined): LoadedPipeline {
  const { pipelines } = checked;
  if (name !== undefined) {
    const found = pipelines.find((p) => p.pipeline.name === name || p.logicalId === name);
    if (!found) {
      throw new UsageError(
        `${checked.file} has no pipeline named "${name}"; it has: ${pipelines.map((p) => p.pipeline.name).join(', ') || 'none'}`,
      );
    }
    return found;
  }
  const [only, ...others] = pipelines;
  if (!only) throw new UsageError(`${checked.file} holds no pipeline`);
  if (others.length > 0) {
    throw new UsageError(
      `${checked.file} holds ${pipelines.length} pipelines (${pipelines.map((p) => p.pipeline.name).join(', ')}); choose one with --pipeline NAME`,
    );
  }
  return only;
}
