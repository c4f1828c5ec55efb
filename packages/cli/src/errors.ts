/**
 * Errors of `@pipewright/cli`. Each maps to an exit code; none prints a stack trace.
 *
 * @example
 * ```ts
 * throw new UsageError('compile takes one file; got 2', 'pipewright compile <file> [--out f]');
 * ```
 */

/** Exit codes: 0 success, 1 the pipeline (or run) failed, 2 the command was used wrongly or input could not be read. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Base of CLI errors: a message for the user and the exit code. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode: number, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** The command line is wrong: unknown command or flag, missing argument. Exit 2. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  readonly usage: string | undefined;
  constructor(message: string, usage?: string) {
    super('PW4001', message, EXIT.usage);
    this.usage = usage;
  }
}

/** An input file cannot be read. Exit 2. */
export class InputFileError extends CliError {
  override readonly name = 'InputFileError';
  readonly file: string;
  constructor(file: string, message: string, options?: ErrorOptions) {
    super('PW4002', message, EXIT.usage, options);
    this.file = file;
  }
}
