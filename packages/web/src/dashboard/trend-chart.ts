/**
 * The duration trend of a pipeline's executions: an inline SVG bar chart, oldest on the left,
 * one bar per ended execution (height: its duration; colour and a title: its status), with
 * the median as a line. Summarised in text (count, median, p95, latest) for everyone.
 *
 * @example
 * ```ts
 * trendChart([{ id: '7f0c', status: 'Succeeded', durationMs: 5120 }]);
 * ```
 */
import { html, type SafeHtml } from '../html/escape.ts';
import { formatDuration, statusLabel } from './format.ts';

/** One execution of the trend. @example `{ id: '7f0c', status: 'Failed', durationMs: 812 }` */
export interface TrendPoint {
  id: string;
  status: string;
  durationMs: number;
}

const W = 600;
const H = 120;

/**
 * The `q` quantile of sorted numbers (nearest rank).
 *
 * @example
 * ```ts
 * quantile([1, 2, 3, 4], 0.5); // 2
 * ```
 */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * The chart and its text summary (newest point last).
 *
 * @example
 * ```ts
 * trendChart(points).toString().includes('<svg'); // true when points is not empty
 * ```
 */
export function trendChart(points: readonly TrendPoint[]): SafeHtml {
  if (points.length === 0) return html`<p class="muted">No ended execution to chart yet.</p>`;
  const sorted = points.map((p) => p.durationMs).sort((a, b) => a - b);
  const max = Math.max(1, sorted.at(-1) ?? 1);
  const median = quantile(sorted, 0.5) ?? 0;
  const p95 = quantile(sorted, 0.95) ?? 0;
  // At least 30 slots, newest on the right, so a short history does not draw slabs.
  const slots = Math.max(points.length, 30);
  const slot = W / slots;
  const offset = slots - points.length;
  const bar = Math.max(1, slot * 0.7);
  const y = (ms: number) => H - (ms / max) * (H - 8);
  const summary = `Durations of the last ${points.length} ended executions, oldest first: median ${formatDuration(median)}, p95 ${formatDuration(p95)}, latest ${formatDuration(points.at(-1)?.durationMs)}.`;
  return html`<figure>
<svg class="trend" viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label="${summary}">
<line class="axis" x1="0" y1="${H - 0.5}" x2="${W}" y2="${H - 0.5}"></line>
${points.map((p, i) => {
  const top = y(p.durationMs);
  return html`<rect x="${((offset + i) * slot + (slot - bar) / 2).toFixed(1)}" y="${top.toFixed(1)}" width="${bar.toFixed(1)}" height="${Math.max(1, H - top).toFixed(1)}" class="bar-${p.status}"><title>${p.id.slice(0, 8)}: ${statusLabel(p.status)}, ${formatDuration(p.durationMs)}</title></rect>`;
})}
<line class="axis" x1="0" y1="${y(median).toFixed(1)}" x2="${W}" y2="${y(median).toFixed(1)}" stroke-dasharray="6 4"></line>
</svg>
<figcaption class="muted">${summary} The dashed line is the median.</figcaption>
</figure>`;
}
