/**
 * Live progress of `pipewright run`: a line per stage and action as their events are
 * appended, with the time since the execution started and how long each took; a failing
 * action's last log lines under it.
 *
 * @example
 * ```ts
 * const printer = new ProgressPrinter(write, colors);
 * engineOptions.onEvents = (records) => printer.feed(records);
 * ```
 */
import type { EventRecord } from '@pipewright/core';
import type { palette } from '../io.ts';

type Colors = ReturnType<typeof palette>;

interface Data {
  stageName?: string;
  actionName?: string;
  stageAttempt?: number;
  attempt?: number;
  outputVariables?: Record<string, string>;
  error?: { code: string; message: string };
  status?: string;
  summary?: string;
  retryMode?: string;
  automatic?: boolean;
}

/** How many log lines a failed action shows. */
export const FAILED_TAIL_LINES = 20;

/** Prints progress lines from event records, each record once, in `seq` order. */
export class ProgressPrinter {
  readonly #write: (line: string) => void;
  readonly #c: Colors;
  #start: number | undefined;
  #lastSeq = 0;
  readonly #began = new Map<string, number>();

  constructor(write: (line: string) => void, colors: Colors) {
    this.#write = write;
    this.#c = colors;
  }

  /** The highest `seq` printed so far. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Prints the records not printed yet. */
  feed(records: readonly EventRecord[]): void {
    for (const r of [...records].sort((a, b) => a.seq - b.seq)) {
      if (r.seq <= this.#lastSeq) continue;
      this.#lastSeq = r.seq;
      this.#print(r);
    }
  }

  #print(r: EventRecord): void {
    const t = Date.parse(r.at);
    this.#start ??= t;
    const d = r.data as Data;
    const c = this.#c;
    const stamp = c.dim(`${((t - this.#start) / 1000).toFixed(1).padStart(6)}s`);
    const line = (text: string) => this.#write(`${stamp}  ${text}`);
    const who = `${d.stageName}/${d.actionName}`;
    const took = (key: string) => {
      const began = this.#began.get(key);
      return began === undefined ? '' : c.dim(` (${((t - began) / 1000).toFixed(1)}s)`);
    };
    const attempt = d.stageAttempt ? c.dim(` [attempt ${d.stageAttempt + 1}]`) : '';
    switch (r.type) {
      case 'StageStarted':
        this.#began.set(`s:${d.stageName}`, t);
        line(`${c.bold(`▶ ${d.stageName}`)}${attempt}`);
        return;
      case 'StageSucceeded':
        line(`${c.green('✔')} ${c.bold(d.stageName ?? '')} Succeeded${took(`s:${d.stageName}`)}`);
        return;
      case 'StageFailed':
        line(`${c.red('✘')} ${c.bold(d.stageName ?? '')} Failed${took(`s:${d.stageName}`)}`);
        return;
      case 'StageSkipped':
        line(`${c.dim('↷')} ${d.stageName} Skipped`);
        return;
      case 'StageRetried':
        line(`${c.yellow('↻')} ${d.stageName} retried (${d.retryMode}${d.automatic ? ', automatic' : ''})`);
        return;
      case 'ActionStarted':
        this.#began.set(`a:${who}`, t);
        line(`  ${c.dim('▸')} ${who} InProgress`);
        return;
      case 'ActionSucceeded': {
        const vars = d.outputVariables ?? {};
        const detail =
          vars.CommitId !== undefined
            ? ` ${c.dim(`${vars.CommitId.slice(0, 7)} ${firstLine(vars.CommitMessage ?? '')}`)}`
            : d.summary
              ? ` ${c.dim(firstLine(d.summary))}`
              : '';
        line(`  ${c.green('✔')} ${who} Succeeded${took(`a:${who}`)}${detail}`);
        return;
      }
      case 'ActionFailed': {
        const [headline = '', ...rest] = (d.error?.message ?? '').split('\n');
        line(`  ${c.red('✘')} ${who} Failed${took(`a:${who}`)}: ${headline}`);
        for (const l of rest.slice(-FAILED_TAIL_LINES)) this.#write(`${' '.repeat(13)}${c.dim('│')} ${l}`);
        return;
      }
      case 'ActionAbandoned':
        line(`  ${c.yellow('■')} ${who} Abandoned${took(`a:${who}`)}`);
        return;
      case 'ApprovalRequested':
        line(`  ${c.yellow('⏸')} ${who} waiting for approval`);
        return;
      case 'ApprovalDecided': {
        const by = r.actor?.id ?? 'someone';
        const said = d.summary ? `: ${d.summary}` : '';
        line(
          d.status === 'Approved'
            ? `  ${c.green('✔')} ${who} approved by ${by}${said}`
            : `  ${c.red('✘')} ${who} rejected by ${by}${said}`,
        );
        return;
      }
      default:
        return;
    }
  }
}

function firstLine(text: string): string {
  const [first = ''] = text.split('\n');
  return first.length > 72 ? `${first.slice(0, 71)}…` : first;
}
