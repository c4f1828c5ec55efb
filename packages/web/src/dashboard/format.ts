/**
 * Small pieces of markup every dashboard page uses: times (machine-readable `datetime`, shown
 * in UTC; the client script shows them in the reader's time zone), durations, status badges
 * (a word and a shape, never colour alone) and links to pipelines and executions.
 *
 * @example
 * ```ts
 * html`${statusBadge('InProgress')} since ${timeTag(view.startedAt)} (${formatDuration(1500)})`;
 * ```
 */
import { html, type SafeHtml } from '../html/escape.ts';

const LABELS: Readonly<Record<string, string>> = {
  InProgress: 'In progress',
  NotStarted: 'Not started',
};

/**
 * A status as people read it: `InProgress` → `In progress`.
 *
 * @example
 * ```ts
 * statusLabel('NotStarted'); // 'Not started'
 * ```
 */
export function statusLabel(status: string): string {
  return LABELS[status] ?? status;
}

/**
 * A status badge.
 *
 * @example
 * ```ts
 * statusBadge('Failed').toString(); // '<span class="status s-Failed">Failed</span>'
 * ```
 */
export function statusBadge(status: string, label: string = statusLabel(status)): SafeHtml {
  return html`<span class="status s-${status.replace(/[^A-Za-z]/g, '')}">${label}</span>`;
}

/**
 * An ISO time as a `<time>` element showing UTC (`2026-01-09 10:00:05 UTC`).
 *
 * @example
 * ```ts
 * timeTag('2026-01-09T10:00:05.120Z').toString(); // '<time datetime="2026-01-09T10:00:05.120Z">2026-01-09 10:00:05 UTC</time>'
 * ```
 */
export function timeTag(iso: string | undefined): SafeHtml {
  if (iso === undefined) return html`<span class="muted">—</span>`;
  const shown = iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  return html`<time datetime="${iso}">${shown}</time>`;
}

/**
 * A duration for people: `850 ms`, `12.3 s`, `3 min 04 s`, `2 h 05 min`.
 *
 * @example
 * ```ts
 * formatDuration(184_000); // '3 min 04 s'
 * ```
 */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/**
 * The milliseconds between two ISO times (`end` absent: until `now`).
 *
 * @example
 * ```ts
 * spanMs('2026-01-09T10:00:00Z', '2026-01-09T10:00:02Z', new Date()); // 2000
 * ```
 */
export function spanMs(start: string | undefined, end: string | undefined, now: Date): number | undefined {
  if (start === undefined) return undefined;
  const ms = (end === undefined ? now.getTime() : Date.parse(end)) - Date.parse(start);
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}

/**
 * An execution id as shown in tables: its first 8 characters.
 *
 * @example
 * ```ts
 * shortId('7f0c2a1b-9d4e-4c1a-8e2f-1a2b3c4d5e6f'); // '7f0c2a1b'
 * ```
 */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}

/**
 * The path of a pipeline's page (`tail`: a sub-page such as `/history`).
 *
 * @example
 * ```ts
 * pipelinePath('web app', '/history'); // '/pipelines/web%20app/history'
 * ```
 */
export function pipelinePath(pipeline: string, tail = ''): string {
  return `/pipelines/${encodeURIComponent(pipeline)}${tail}`;
}

/**
 * The path of an execution's page.
 *
 * @example
 * ```ts
 * executionPath('web-app', '7f0c'); // '/pipelines/web-app/executions/7f0c'
 * ```
 */
export function executionPath(pipeline: string, executionId: string, tail = ''): string {
  return `${pipelinePath(pipeline)}/executions/${encodeURIComponent(executionId)}${tail}`;
}

/**
 * A link to an execution labelled with its short id (the full id for screen readers and on hover).
 *
 * @example
 * ```ts
 * executionLink('web-app', '7f0c2a1b-…');
 * ```
 */
export function executionLink(pipeline: string, executionId: string): SafeHtml {
  return html`<a href="${executionPath(pipeline, executionId)}" class="mono" title="${executionId}" aria-label="Execution ${executionId}">${shortId(executionId)}</a>`;
}
