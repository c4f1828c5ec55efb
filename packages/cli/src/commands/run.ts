/**
 * `pipewright run <pipeline>`: one execution, in this process, on the local runtime — the
 * compiled state machine run by the `states` runtime, actions by the local providers, every
 * fact in `.pipewright/events.db` — with live progress and a summary.
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import {
  type EventRecord,
  type ExecutionView,
  executionStream,
  formatDiagnostic,
  PipewrightError,
  summarizeExecution,
} from '@pipewright/core';
import {
  LOCAL_SETTINGS_FILE,
  type LocalRuntime,
  LocalSettingsError,
  loadLocalSettings,
  openLocalRuntime,
  prepareRepositories,
  resolveSettingsPaths,
} from '@pipewright/local';
import { createLocalProviders } from '@pipewright/providers';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { type Io, palette } from '../io.ts';
import { type CheckedFile, checkFile } from '../load-file.ts';
import { approvalPrompt } from '../run/approval-prompt.ts';
import { awsOptIn } from '../run/aws-opt-in.ts';
import { ProgressPrinter } from '../run/progress-printer.ts';
import { STATE_DIR_HELP, stateDirOf, stateDirOption } from '../state-dir.ts';
import { diagnosticJson, formatOption, parseFormat, pickPipeline } from './shared.ts';

/** Parses repeated `--var NAME=VALUE` options. */
export function parseVars(given: unknown): Record<string, string> {
  // No prototype: `--var __proto__=x` names a variable like any other (and is refused as undeclared).
  const out: Record<string, string> = Object.create(null);
  for (const item of Array.isArray(given) ? given : []) {
    const text = String(item);
    const eq = text.indexOf('=');
    if (eq <= 0) throw new UsageError(`--var takes NAME=VALUE; got "${text}"`);
    out[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return out;
}

function localUser(env: Record<string, string | undefined>): string {
  try {
    return env.USER ?? userInfo().username;
  } catch {
    return 'local-user';
  }
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a pipeline once on this machine, with live progress',
  usage: 'pipewright run <file> [--var NAME=VALUE]... [--approve | --reject] [--comment TEXT] [--json]',
  optionHelp: [
    '--var NAME=VALUE     value of a pipeline variable (repeatable)',
    '--approve            approve every manual approval of this execution as it is requested',
    '--reject             reject every manual approval of this execution as it is requested',
    '--comment TEXT       the comment recorded with --approve / --reject',
    '--logs               stream every action log line as it is written',
    '--pipeline NAME      which pipeline, when a CloudFormation template holds several',
    '--format F           read the file as native, codepipeline or cloudformation',
    STATE_DIR_HELP,
    '--json               progress on stderr; the last line of stdout is a JSON summary',
    '',
    'Without --approve or --reject, an approval prints its signed link and waits until someone',
    'runs "pipewright approve|reject <execution>" (in another terminal).',
    'Exit codes: 0 the execution Succeeded, 1 it did not, 2 invalid pipeline or wrong usage.',
  ],
  examples: [
    'pipewright run examples/web-app/pipeline.yaml --approve',
    'pipewright run examples/web-app/pipeline.yaml --var DEPLOY_ENV=prod',
    'pipewright run examples/seed/template.yaml --json',
  ],
  options: {
    var: { type: 'string', multiple: true },
    approve: { type: 'boolean' },
    reject: { type: 'boolean' },
    comment: { type: 'string' },
    logs: { type: 'boolean' },
    pipeline: { type: 'string' },
    format: formatOption,
    'state-dir': stateDirOption,
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) {
      throw new UsageError(`run takes exactly one pipeline file; got ${positionals.length}`, this.usage);
    }
    if (values.approve && values.reject)
      throw new UsageError('give --approve or --reject, not both', this.usage);
    const json = Boolean(values.json);
    const out = json ? io.stderr : io.stdout;
    const c = palette(out, io.env);
    const say = (line: string) => out.write(`${line}\n`);
    const variables = parseVars(values.var);

    const checked = checkFile(positionals[0] as string, io.cwd, parseFormat(values.format));
    if (!checked.valid) return reportInvalid(checked, json, io);
    const loaded = pickPipeline(checked, values.pipeline as string | undefined);
    const pipelineFile = resolve(io.cwd, checked.file);
    const projectDir = dirname(pipelineFile);
    const { settings, settingsFile, resolved } = await prepareProject(pipelineFile, projectDir, io, say);

    // AWS-only actions need the opt-in: refuse before any action (or the runtime) starts.
    const awsProviders = await awsOptIn(
      loaded.pipeline,
      settings.aws,
      relative(io.cwd, settingsFile ?? join(projectDir, LOCAL_SETTINGS_FILE)) || LOCAL_SETTINGS_FILE,
    );

    const user = localUser(io.env);
    const printer = new ProgressPrinter(say, c);
    let runtime: LocalRuntime | undefined;
    const pending: Promise<unknown>[] = [];
    const onApprovalRequested = approvalPrompt({
      say,
      c,
      ...(values.approve ? { decision: 'Approved' } : values.reject ? { decision: 'Rejected' } : {}),
      ...(values.comment === undefined ? {} : { comment: values.comment as string }),
      user,
      pending,
      runtime: () => runtime,
    });
    runtime = await openLocalRuntime({
      stateDir: stateDirOf(values, io),
      failurePolicy: 'fail',
      // A one-shot run is not queued behind other executions (a killed run would hold its
      // lock for ever); execution modes apply where a server runs executions.
      executionModes: false,
      providerOptions: { repositories: resolved.repositories, functions: resolved.functions },
      ...(awsProviders.length === 0
        ? {}
        : {
            providers: [
              ...awsProviders,
              ...createLocalProviders({ repositories: resolved.repositories, functions: resolved.functions }),
            ],
          }),
      onEvents: (records) => printer.feed(records),
      onApprovalRequested,
      ...outputCallbacks(io, out, c, Boolean(values.logs)),
    });
    const live = runtime;
    try {
      const session: RunSession = { live, say, c, user, printer, pending };
      const pipeline = await live.addPipeline(loaded.pipeline, projectDir);
      const executionId = randomUUID();
      say(
        `${c.bold(pipeline.name)} · execution ${executionId} · ${checked.file} (version ${pipeline.version})`,
      );
      const started = Date.now();
      const view = await executeOnce(session, pipeline.name, executionId, variables);
      const summary = summarizeExecution(view);
      const ms = Date.now() - started;
      printSummary(say, c, view, ms, executionId);
      if (json)
        io.stdout.write(`${JSON.stringify({ ...summary, durationMs: ms, stages: stageSummary(view) })}\n`);
      return view.status === 'Succeeded' ? EXIT.ok : EXIT.failed;
    } catch (e) {
      if (e instanceof PipewrightError && !(e.name === 'InternalError')) {
        io.stderr.write(`pipewright: ${e.message.replace(/^\[PW\d+\] /, '')}\n`);
        return e.name === 'VariableResolutionError' ? EXIT.usage : EXIT.failed;
      }
      throw e;
    } finally {
      await live.close();
    }
  },
};

/** What one run's steps share. */
interface RunSession {
  live: LocalRuntime;
  say: (line: string) => void;
  c: ReturnType<typeof palette>;
  user: string;
  printer: ProgressPrinter;
  /** Approval decisions in flight. */
  pending: Promise<unknown>[];
}

function reportInvalid(checked: CheckedFile, json: boolean, io: Io): number {
  if (json) {
    io.stdout.write(
      `${JSON.stringify({ status: 'Invalid', diagnostics: checked.diagnostics.map(diagnosticJson) })}\n`,
    );
  } else {
    for (const d of checked.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
  }
  io.stderr.write(`pipewright: ${checked.file} is invalid; fix the errors above, then run it again\n`);
  return EXIT.usage;
}

/** Loads `pipewright.local.yaml` and makes the example repositories it declares, saying which were new. */
async function prepareProject(pipelineFile: string, projectDir: string, io: Io, say: (line: string) => void) {
  const { settings, file: settingsFile } = await loadLocalSettings(pipelineFile).catch(settingsFailure);
  const resolved = resolveSettingsPaths(settings, projectDir);
  const prepared = await prepareRepositories(
    resolved.setup.repositories,
    projectDir,
    settingsFile === undefined ? {} : { file: settingsFile },
  ).catch(settingsFailure);
  for (const repo of prepared) {
    if (repo.created) {
      say(
        `Set up the example repository ${relative(io.cwd, repo.path) || '.'} (first run; commit ${repo.commitId.slice(0, 7)})`,
      );
    }
  }
  return { settings, settingsFile, resolved };
}

/** Warnings (with PIPEWRIGHT_DEBUG) and, with --logs, every action log line. */
function outputCallbacks(io: Io, out: Io['stdout'], c: ReturnType<typeof palette>, logs: boolean) {
  return {
    onWarning: (message: string) => {
      if (io.env.PIPEWRIGHT_DEBUG) io.stderr.write(`pipewright: warning: ${message}\n`);
    },
    ...(logs
      ? {
          onLog: (_ref: unknown, _stream: unknown, text: string) => {
            for (const l of text.replace(/\n$/, '').split('\n'))
              out.write(`${' '.repeat(13)}${c.dim('┆')} ${l}\n`);
          },
        }
      : {}),
  };
}

/** Starts the execution, follows it (Ctrl-C stops it) and returns its final view. */
async function executeOnce(
  session: RunSession,
  pipelineName: string,
  executionId: string,
  variables: Record<string, string>,
): Promise<ExecutionView> {
  const { live, user, printer } = session;
  await live.engine.start({
    pipeline: pipelineName,
    executionId,
    variables,
    trigger: { triggerType: 'StartPipelineExecution', triggerDetail: `${user} (pipewright run)` },
    actor: { kind: 'user', id: user },
  });
  const poll = setInterval(() => void watchDecisions(live, executionId, printer), 250);
  const interrupt = interruptHandler(session, executionId);
  process.on('SIGINT', interrupt.handle);
  process.on('SIGTERM', interrupt.handle);
  let view: ExecutionView;
  try {
    await live.waitForExecution(executionId);
    await Promise.allSettled(session.pending);
    await interrupt.stopped();
    view = await live.engine.view(executionId);
  } finally {
    clearInterval(poll);
    process.off('SIGINT', interrupt.handle);
    process.off('SIGTERM', interrupt.handle);
  }
  const tail = await live.store.read(executionStream(executionId), { fromSeq: printer.lastSeq + 1 });
  printer.feed(tail);
  return view;
}

/** Ctrl-C once stops the execution (abandoning running actions); twice quits at once. */
function interruptHandler(session: RunSession, executionId: string) {
  const { live, say, c, user } = session;
  let stopping: Promise<unknown> | undefined;
  return {
    handle: () => {
      if (stopping !== undefined) {
        say('Interrupted again: quitting at once (the execution stays recorded as it is).');
        process.exit(130);
      }
      say(
        `${c.yellow('■')} Stopping the execution: abandoning running actions (Ctrl-C again to quit at once)…`,
      );
      stopping = live.engine
        .stop(executionId, {
          abandon: true,
          reason: 'interrupted (Ctrl-C)',
          actor: { kind: 'user', id: user },
        })
        .catch((e: Error) => say(c.red(e.message)));
    },
    /** Waits for the stop, when there was one. */
    stopped: async (): Promise<void> => {
      if (stopping !== undefined) await stopping;
    },
  };
}

/** The first line of a status summary, without the action name the line already gives. */
function headline(summary: string): string {
  const [first = ''] = summary.split('\n');
  return first.replace(/^[A-Za-z0-9_.@-]+: /, '');
}

function settingsFailure(e: unknown): never {
  if (e instanceof LocalSettingsError) throw new UsageError(e.message.replace(/^\[PW\d+\] /, ''));
  throw e;
}

/** Decisions made by another process (pipewright approve) reach the waiting task. */
async function watchDecisions(
  runtime: LocalRuntime,
  executionId: string,
  printer: ProgressPrinter,
): Promise<void> {
  const records: EventRecord[] = await runtime.store.read(executionStream(executionId), {
    fromSeq: printer.lastSeq + 1,
  });
  if (records.length === 0) return;
  printer.feed(records);
  if (records.some((r) => r.type === 'ApprovalDecided')) await runtime.engine.settle(executionId);
}

function stageSummary(view: ExecutionView) {
  return view.stages.map((s) => ({
    name: s.stageName,
    status: s.status,
    actions: s.actions.map((a) => ({
      name: a.actionName,
      status: a.status,
      ...(a.attempts.at(-1)?.error ? { error: a.attempts.at(-1)?.error } : {}),
    })),
  }));
}

function printSummary(
  say: (line: string) => void,
  c: ReturnType<typeof palette>,
  view: ExecutionView,
  ms: number,
  executionId: string,
): void {
  const actions = view.stages.flatMap((s) => s.actions);
  const took = `${(ms / 1000).toFixed(1)}s`;
  say('');
  if (view.status === 'Succeeded') {
    say(
      `${c.green(c.bold('Succeeded'))} in ${took}: ${view.stages.length} stages, ${actions.length} actions.`,
    );
  } else {
    const failed = view.stages
      .flatMap((s) => s.actions.map((a) => ({ s, a })))
      .filter(({ a }) => a.status === 'Failed')
      .map(({ s, a }) => `${s.stageName}/${a.actionName}`);
    say(
      `${c.red(c.bold(String(view.status)))} in ${took}${failed.length ? ` at ${failed.join(', ')}` : ''}${view.statusSummary ? `: ${headline(view.statusSummary)}` : ''}`,
    );
    for (const name of failed) say(`  Logs: pipewright logs ${executionId} ${name}`);
  }
  say(c.dim(`  Details: pipewright show ${executionId}   Events: pipewright events ${executionId}`));
}
