/**
 * A pipeline's execution history (`/pipelines/:name/history`): every execution, newest first,
 * filtered by status, trigger type and branch, a page at a time (`before`: the last execution
 * of the previous page), with the duration trend of the executions the filters keep.
 *
 * The first page is live (region `history`); later pages are not (they would shift under
 * the reader).
 *
 * @example
 * ```ts
 * const query = parseHistoryQuery(c.req.query());
 * const regions = await historyRegions(ctx, pipeline, query);
 * ```
 */
import { EXECUTION_STATUSES, type ExecutionView, type Pipeline, TRIGGER_TYPES } from '@pipewright/core';
import * as z from 'zod';
import { WebError } from '../errors.ts';
import { html, raw, type SafeHtml } from '../html/escape.ts';
import { type DashboardContext, type Regions, region } from './dashboard-context.ts';
import { executionFacts } from './execution-facts.ts';
import { executionLink, formatDuration, pipelinePath, statusBadge, statusLabel, timeTag } from './format.ts';
import { pipelineNav } from './pipeline-page.ts';
import { type TrendPoint, trendChart } from './trend-chart.ts';

/** Executions per page. */
export const HISTORY_PAGE = 25;
/** Executions the trend shows at most. */
export const TREND_POINTS = 60;
/** Executions looked at per request at most (a filter that matches few stops here). */
export const HISTORY_SCAN = 2_000;

/** The history's query. @example `{ status: 'Failed', trigger: 'WebhookV2', branch: 'main', before: '7f0c' }` */
export const HistoryQuerySchema = z.object({
  status: z.enum([...EXECUTION_STATUSES, '']).optional(),
  trigger: z.enum([...TRIGGER_TYPES, '']).optional(),
  branch: z.string().trim().max(200).optional(),
  before: z.string().trim().max(128).optional(),
});

/** A parsed history query (empty strings are no filter). @example `{ status: 'Failed' }` */
export interface HistoryQuery {
  status?: string;
  trigger?: string;
  branch?: string;
  before?: string;
}

/**
 * Parses the query string; a `ValidationError` names a bad field.
 *
 * @example
 * ```ts
 * parseHistoryQuery({ status: 'Failed', branch: '' }); // { status: 'Failed' }
 * ```
 */
export function parseHistoryQuery(query: Record<string, string>): HistoryQuery {
  const parsed = HistoryQuerySchema.safeParse(query);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`);
    throw new WebError('ValidationError', `${problems.join('; ')}; choose a value the form offers`);
  }
  const out: HistoryQuery = {};
  for (const key of ['status', 'trigger', 'branch', 'before'] as const) {
    const value = parsed.data[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/**
 * The query as a query string (the filters; `before` only when `withPage`).
 *
 * @example
 * ```ts
 * historySearch({ status: 'Failed', before: '7f0c' }, false); // 'status=Failed'
 * ```
 */
export function historySearch(query: HistoryQuery, withPage: boolean): string {
  const params = new URLSearchParams();
  if (query.status !== undefined) params.set('status', query.status);
  if (query.trigger !== undefined) params.set('trigger', query.trigger);
  if (query.branch !== undefined) params.set('branch', query.branch);
  if (withPage && query.before !== undefined) params.set('before', query.before);
  return params.toString();
}

function matches(ctx: DashboardContext, view: ExecutionView, query: HistoryQuery): boolean {
  if (query.status !== undefined && view.status !== query.status) return false;
  if (query.trigger !== undefined && view.trigger?.triggerType !== query.trigger) return false;
  if (query.branch !== undefined && executionFacts(view, ctx.now()).branch !== query.branch) return false;
  return true;
}

/** What one request of the history found. */
interface HistoryScan {
  rows: ExecutionView[];
  trend: TrendPoint[];
  nextBefore?: string;
  scanned: number;
  /** The scan stopped at {@link HISTORY_SCAN} executions before the end of the list. */
  cut: boolean;
}

async function scan(ctx: DashboardContext, pipeline: string, query: HistoryQuery): Promise<HistoryScan> {
  const { entries } = await ctx.reader.executions(pipeline);
  let start = 0;
  if (query.before !== undefined) {
    const at = entries.findIndex((e) => e.executionId === query.before);
    if (at === -1) {
      throw new WebError(
        'NotFound',
        `execution ${query.before} is not in the history of ${pipeline}; start from the first page`,
      );
    }
    start = at + 1;
  }
  const rows: ExecutionView[] = [];
  const trend: TrendPoint[] = [];
  let nextBefore: string | undefined;
  let i = start;
  const end = Math.min(entries.length, start + HISTORY_SCAN);
  const BATCH = 50;
  scanning: while (i < end) {
    const batch = entries.slice(i, Math.min(end, i + BATCH));
    const views = new Map(
      (await ctx.reader.views(batch.map((e) => e.executionId))).map((v) => [v.pipelineExecutionId, v]),
    );
    for (const entry of batch) {
      i++;
      const view = views.get(entry.executionId);
      if (view === undefined || !matches(ctx, view, query)) continue;
      if (rows.length < HISTORY_PAGE) rows.push(view);
      else nextBefore ??= rows.at(-1)?.pipelineExecutionId;
      const facts = executionFacts(view, ctx.now());
      if (facts.ended && facts.durationMs !== undefined && trend.length < TREND_POINTS) {
        trend.push({ id: view.pipelineExecutionId, status: view.status, durationMs: facts.durationMs });
      }
      if (nextBefore !== undefined && trend.length >= TREND_POINTS) break scanning;
    }
  }
  // Stopped at the scan limit: the next page goes on from the last execution looked at.
  const cut = nextBefore === undefined && i < entries.length;
  if (cut) nextBefore = entries[i - 1]?.executionId;
  const result: HistoryScan = { rows, trend: trend.reverse(), scanned: i - start, cut };
  if (nextBefore !== undefined) result.nextBefore = nextBefore;
  return result;
}

function rowsTable(ctx: DashboardContext, pipeline: string, rows: readonly ExecutionView[]): SafeHtml {
  return html`<div class="table-wrap" role="region" tabindex="0" aria-label="Executions"><table>
<caption class="sr-only">Executions of ${pipeline}, newest first</caption>
<thead><tr><th scope="col">Status</th><th scope="col">Execution</th><th scope="col">Trigger</th><th scope="col">Branch</th><th scope="col">Commit</th><th scope="col">Started</th><th scope="col" class="num">Duration</th></tr></thead>
<tbody>${rows.map((v) => {
    const facts = executionFacts(v, ctx.now());
    return html`<tr>
<td>${statusBadge(v.status)}</td>
<td>${executionLink(pipeline, v.pipelineExecutionId)}${v.executionType === 'ROLLBACK' ? html` <span class="muted">rollback</span>` : ''}</td>
<td>${facts.triggerType ?? '—'}${facts.who === undefined ? '' : html` <span class="muted">(${facts.who})</span>`}</td>
<td>${facts.branch ?? '—'}</td>
<td>${facts.commit?.revisionId === undefined ? '—' : html`<code>${facts.commit.revisionId.slice(0, 12)}</code> ${facts.commit.revisionSummary ?? ''}`}</td>
<td>${timeTag(v.startedAt)}</td>
<td class="num">${formatDuration(facts.durationMs)}</td>
</tr>`;
  })}</tbody></table></div>`;
}

/**
 * The page's regions: `trend` and `history` (the table and paging).
 *
 * @example
 * ```ts
 * const { history } = await historyRegions(ctx, pipeline, { status: 'Failed' });
 * ```
 */
export async function historyRegions(
  ctx: DashboardContext,
  pipeline: Pipeline,
  query: HistoryQuery,
): Promise<Regions> {
  const found = await scan(ctx, pipeline.name, query);
  const filters = historySearch(query, false);
  const base = pipelinePath(pipeline.name, '/history');
  const older =
    found.nextBefore === undefined
      ? ''
      : html`<a href="${base}?${filters === '' ? '' : `${filters}&`}before=${encodeURIComponent(found.nextBefore)}" rel="next">Older executions</a>`;
  const newest =
    query.before === undefined
      ? ''
      : html`<a href="${base}${filters === '' ? '' : `?${filters}`}">Newest executions</a>`;
  const table =
    found.rows.length === 0
      ? html`<p>No execution matches${filters === '' ? '' : ' these filters'}${found.cut ? html` among the ${found.scanned} looked at` : ''}.</p>`
      : rowsTable(ctx, pipeline.name, found.rows);
  return {
    trend: trendChart(found.trend),
    history: html`${table}<nav class="pager" aria-label="Pages">${newest}${older}</nav>`,
  };
}

function option(value: string, label: string, selected: string | undefined): SafeHtml {
  return html`<option value="${value}"${selected === value ? raw(' selected') : ''}>${label}</option>`;
}

/**
 * The page body.
 *
 * @example
 * ```ts
 * historyPage(pipeline, query, regions);
 * ```
 */
export function historyPage(pipeline: Pipeline, query: HistoryQuery, regions: Regions): SafeHtml {
  return html`<nav class="crumbs" aria-label="Breadcrumb"><ol><li><a href="/">Pipelines</a></li><li><a href="${pipelinePath(pipeline.name)}">${pipeline.name}</a></li><li aria-current="page">History</li></ol></nav>
<h1>History of ${pipeline.name}</h1>
${pipelineNav(pipeline.name, 'history')}
<form method="get" action="${pipelinePath(pipeline.name, '/history')}" class="filters" role="search" aria-label="Filter executions">
<div class="field"><label for="f-status">Status</label><select id="f-status" name="status">${option('', 'Any status', query.status)}${EXECUTION_STATUSES.map((s) => option(s, statusLabel(s), query.status))}</select></div>
<div class="field"><label for="f-trigger">Trigger</label><select id="f-trigger" name="trigger">${option('', 'Any trigger', query.trigger)}${TRIGGER_TYPES.map((t) => option(t, t, query.trigger))}</select></div>
<div class="field"><label for="f-branch">Branch</label><input id="f-branch" name="branch" value="${query.branch ?? ''}" maxlength="200" autocomplete="off"></div>
<button type="submit">Filter</button>
</form>
<section aria-labelledby="trend-title"><h2 id="trend-title">Duration trend</h2>${region('trend', regions)}</section>
<section aria-labelledby="list-title"><h2 id="list-title">Executions</h2>${region('history', regions)}</section>`;
}
