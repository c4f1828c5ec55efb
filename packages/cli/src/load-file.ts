import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import {
  type Diagnostic,
  hasErrors,
  type LoadedPipeline,
  loadPipelines,
  type PipelineFormat,
  validatePipeline,
} from '@pipewright/core';
import { InputFileError } from './errors.ts';

/** One file read, loaded and validated. */
export interface CheckedFile {
  /** The file as the user named it (relative to the working directory). */
  file: string;
  pipelines: LoadedPipeline[];
  diagnostics: Diagnostic[];
  valid: boolean;
}

const MAX_BYTES = 5 * 1024 * 1024;

/**
 * The text of a regular file of at most {@link MAX_BYTES}. Anything else is refused before it
 * is read (a FIFO would block for ever, `/dev/zero` never ends), and no more than the limit is
 * ever read, even from a file that grows while it is read.
 */
function readLimited(absolute: string, shown: string): string {
  const stat = statSync(absolute);
  if (stat.isDirectory())
    throw new InputFileError(
      shown,
      `${shown} is a directory; name a pipeline file (.yaml, .yml or .json) inside it`,
    );
  if (!stat.isFile())
    throw new InputFileError(
      shown,
      `${shown} is not a regular file; name a pipeline file (.yaml, .yml or .json)`,
    );
  const tooLarge = (size: string) =>
    new InputFileError(shown, `${shown} is ${size} bytes; pipeline files are limited to ${MAX_BYTES} bytes`);
  if (stat.size > MAX_BYTES) throw tooLarge(String(stat.size));
  const fd = openSync(absolute, 'r');
  try {
    const buffer = Buffer.allocUnsafe(MAX_BYTES + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) {
      read = readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > MAX_BYTES) throw tooLarge(`more than ${MAX_BYTES}`);
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a pipeline file, loads every pipeline in it and validates each.
 *
 * @example
 * ```ts
 * const checked = checkFile('examples/web-app/pipeline.yaml', process.cwd());
 * if (!checked.valid) for (const d of checked.diagnostics) console.error(formatDiagnostic(d));
 * ```
 */
export function checkFile(file: string, cwd: string, format?: PipelineFormat): CheckedFile {
  const absolute = resolve(cwd, file);
  const shown = relative(cwd, absolute) || file;
  let text: string;
  try {
    text = readLimited(absolute, shown);
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : String((error as Error).message);
    throw new InputFileError(shown, `cannot read ${shown}: ${why}`, { cause: error });
  }
  const loaded = loadPipelines(text, format ? { file: shown, format } : { file: shown });
  const diagnostics = [...loaded.diagnostics];
  for (const pipeline of loaded.pipelines) diagnostics.push(...validatePipeline(pipeline));
  return { file: shown, pipelines: loaded.pipelines, diagnostics, valid: !hasErrors(diagnostics) };
}
