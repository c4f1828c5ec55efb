/**
 * The timeline of an execution (a Gantt chart) from its events' timestamps: one row per stage
 * and one per action, each run drawn as a bar from its start to its end (still running: to
 * now), on one time axis from the execution's start. A retried action shows one bar per
 * attempt. Bars are inline SVG (no script, no style attribute); every row also says its
 * status, start offset and duration in text for screen readers and narrow screens.
 *
 * @example
 * ```ts
 * html`<h2>Timeline</h2>${ganttChart(view, new Date())}`;
 * ```
 */
import type { ExecutionView } from '@pipewright/core';
import { html, type SafeHtml } from '../html/escape.ts';
import { executionEnd } from './execution-facts.ts';
import { formatDuration, statusLabel } from './format.ts';

/** Width of the SVG coordinate space the bars are drawn in. */
const WIDTH = 1000;

interface Segment {
  start: number;
  end: number;
  status: string;
}

interface Row {
  label: string;
  kind: 'stage' | 'action';
  status: string;
  segments: Segment[];
}

function ms(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * The rows of the chart: stages and their actions, with their runs as time segments.
 *
 * @example
 * ```ts
 * ganttRows(view, Date.now()).map((r) => r.label); // ['Source', 'Checkout', 'Build', 'Compile']
 * ```
 */
export function ganttRows(view: ExecutionView, now: number): Row[] {
  const rows: Row[] = [];
  const ended = ms(executionEnd(view));
  const open = ended === undefined;
  const endOf = (end: string | undefined) => ms(end) ?? ended ?? now;
  for (const stage of view.stages) {
    const runs: Segment[] = [];
    const actionRows: Row[] = [];
    for (const action of stage.actions) {
      const segments = action.attempts.flatMap((a) => {
        const start = ms(a.startedAt);
        if (start === undefined) return [];
        const end =
          a.status === 'InProgress' ? (open ? now : endOf(a.endedAt)) : endOf(a.endedAt ?? a.updatedAt);
        return [{ start, end: Math.max(start, end), status: a.status }];
      });
      runs.push(...segments);
      actionRows.push({ label: action.actionName, kind: 'action', status: action.status, segments });
    }
    const first = Math.min(...runs.map((r) => r.start), ms(stage.startedAt) ?? Number.POSITIVE_INFINITY);
    const stageEnd =
      stage.status === 'InProgress' || stage.status === 'Stopping'
        ? now
        : Math.max(...runs.map((r) => r.end), ms(stage.endedAt) ?? Number.NEGATIVE_INFINITY);
    rows.push({
      label: stage.stageName,
      kind: 'stage',
      status: stage.status,
      segments:
        Number.isFinite(first) && Number.isFinite(stageEnd)
          ? [{ start: first, end: Math.max(first, stageEnd), status: stage.status }]
          : [],
    });
    rows.push(...actionRows);
  }
  return rows;
}

/**
 * The chart.
 *
 * @example
 * ```ts
 * ganttChart(view, new Date()).toString().includes('<svg'); // true once the execution started
 * ```
 */
export function ganttChart(view: ExecutionView, now: Date): SafeHtml {
  const t0 = ms(view.startedAt);
  if (t0 === undefined) return html`<p class="muted">The execution has not started.</p>`;
  const ended = ms(executionEnd(view));
  const open = ended === undefined;
  const t1 = ended ?? now.getTime();
  const rows = ganttRows(view, now.getTime());
  const span = Math.max(1, t1 - t0, ...rows.flatMap((r) => r.segments.map((s) => s.end - t0)));
  const x = (t: number) => Math.max(0, Math.min(WIDTH, ((t - t0) / span) * WIDTH));
  const body = rows.map((row) => {
    const first = row.segments[0];
    const last = row.segments.at(-1);
    const total = first === undefined || last === undefined ? undefined : last.end - first.start;
    const described =
      first === undefined
        ? `${row.label}: ${statusLabel(row.status)}`
        : `${row.label}: ${statusLabel(row.status)}, started ${formatDuration(first.start - t0)} after the execution, ran ${formatDuration(total)}${
            row.segments.length > 1 ? ` over ${row.segments.length} attempts` : ''
          }`;
    const bars = row.segments.map((s) => {
      const left = x(s.start);
      const width = Math.max(2, x(s.end) - left);
      return html`<rect x="${left.toFixed(1)}" y="${row.kind === 'stage' ? 0 : 2}" width="${width.toFixed(1)}" height="${row.kind === 'stage' ? 10 : 6}" rx="1" class="bar-${s.status}"></rect>`;
    });
    return html`<span class="${row.kind === 'stage' ? 'g-stage' : 'g-action'}">${row.label}</span>
<svg viewBox="0 0 ${WIDTH} 10" preserveAspectRatio="none" role="img" aria-label="${described}" focusable="false">${bars}</svg>
<span class="g-dur">${first === undefined ? statusLabel(row.status) : formatDuration(total)}</span>`;
  });
  return html`<div class="gantt">
<span class="muted">Stage / action</span><span class="muted">0 → ${formatDuration(span)}${open ? ' (running)' : ''}</span><span class="g-dur">Took</span>
${body}
</div>`;
}
