import type { ParseArgsConfig } from 'node:util';
import type { Io } from './io.ts';

/** Parsed flags and positionals as `node:util` parseArgs returns them. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * One `pipewright` sub-command: its help text and what it runs.
 *
 * @example
 * ```ts
 * const hello: Command = {
 *   name: 'hello', summary: 'Say hello', usage: 'pipewright hello', examples: ['pipewright hello'],
 *   options: {}, run: async (_args, io) => { io.stdout.write('hello\n'); return 0; },
 * };
 * ```
 */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Lines describing each option, shown by --help. */
  optionHelp?: string[];
  examples: string[];
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: ParsedArgs, io: Io): Promise<number>;
}

/** The --help text of a command. */
export function commandHelp(command: Command): string {
  const lines = [`${command.summary}`, '', `Usage: ${command.usage}`];
  if (command.optionHelp?.length) lines.push('', 'Options:', ...command.optionHelp.map((l) => `  ${l}`));
  lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`), '');
  return lines.join('\n');
}
