import { parseArgs } from 'node:util';
import { type Command, commandHelp } from './command.ts';
import { approveCommand, rejectCommand } from './commands/approve.ts';
import { compileCommand } from './commands/compile.ts';
import { costCommand } from './commands/cost.ts';
import { eventsCommand } from './commands/events.ts';
import { executionsCommand } from './commands/executions.ts';
import { logsCommand } from './commands/logs.ts';
import { planCommand } from './commands/plan.ts';
import { replayFailedCommand } from './commands/replay-failed.ts';
import { retryCommand } from './commands/retry.ts';
import { rollbackCommand } from './commands/rollback.ts';
import { runCommand } from './commands/run.ts';
import { serveCommand } from './commands/serve.ts';
import { showCommand } from './commands/show.ts';
import { startCommand } from './commands/start.ts';
import { stopCommand } from './commands/stop.ts';
import { transitionsCommand } from './commands/transitions.ts';
import { usersCommand } from './commands/users.ts';
import { validateCommand } from './commands/validate.ts';
import { CliError, EXIT, UsageError } from './errors.ts';
import type { Io } from './io.ts';

const COMMANDS: readonly Command[] = [
  runCommand,
  serveCommand,
  startCommand,
  stopCommand,
  retryCommand,
  rollbackCommand,
  transitionsCommand,
  approveCommand,
  rejectCommand,
  executionsCommand,
  showCommand,
  eventsCommand,
  logsCommand,
  validateCommand,
  compileCommand,
  costCommand,
  usersCommand,
  planCommand,
  replayFailedCommand,
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "pipewright — continuous delivery with AWS CodePipeline's model, on your machine or serverless in your AWS account.",
    '',
    'Usage: pipewright <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --help and --json. Exit codes: 0 ok, 1 invalid pipeline or failed run, 2 wrong usage or unreadable input.',
    '',
    'Examples:',
    '  pipewright run examples/web-app/pipeline.yaml --approve',
    '  pipewright validate examples/web-app/pipeline.yaml',
    '  pipewright compile examples/web-app/pipeline.yaml --out web-app.asl.json',
    '  pipewright cost examples/web-app/pipeline.yaml --action-minutes 3',
    '  pipewright plan --dir pipelines --stage production',
    '',
  ].join('\n');
}

/**
 * Runs the `pipewright` command line and returns the exit code. Never throws: errors are
 * printed as one clear line (no stack trace) and mapped to exit codes.
 *
 * @example
 * ```ts
 * const code = await main(['validate', 'pipeline.yaml'], { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
 * ```
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.stdout.write(topic ? commandHelp(topic) : mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write('pipewright 0.1.0\n');
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (!command) {
      throw new UsageError(
        `unknown command "${name}"; the commands are: ${COMMANDS.map((c) => c.name).join(', ')}. Run pipewright --help.`,
      );
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(
        `${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}`,
        command.usage,
      );
    }
    return await command.run(parsed as never, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`pipewright: ${error.message}\n`);
      if (error instanceof UsageError && error.usage) io.stderr.write(`usage: ${error.usage}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(
      `pipewright: internal error: ${message}\nThis is a bug in Pipewright; please report it with the command you ran. Set PIPEWRIGHT_DEBUG=1 for details.\n`,
    );
    if (io.env.PIPEWRIGHT_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT.failed;
  }
}
