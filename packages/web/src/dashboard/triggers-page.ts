/**
 * A pipeline's trigger log (`/pipelines/:name/triggers`): every trigger the pipeline received
 * — webhooks, polls, schedules, bus events — newest first, with why it did or did not start an
 * execution (the `TriggerReceived` events of the pipeline's stream, also the filtered ones),
 * filtered by outcome, a page at a time. The first page is live (region `triggers`).
 *
 * @example
 * ```ts
 * const regions = await triggerRegions(ctx, pipeline, { outcome: 'filtered' });
 * ```
 */
import type { Pipeline, TriggerView } from '@pipewright/core';
import type { MissedDeliveries } from '@pipewright/engine';
import * as z from 'zod';
import { WebError } from '../errors.ts';
import { html, raw, type SafeHtml } from '../html/escape.ts';
import { type DashboardContext, type Regions, region } from './dashboard-context.ts';
import { executionLink, pipelinePath, statusBadge, timeTag } from './format.ts';
import { pipelineNav } from './pipeline-page.ts';

/** Triggers per page. */
export const TRIGGER_PAGE = 50;

/** The trigger log's query. @example `{ outcome: 'filtered', page: '2' }` */
export const TriggerQuerySchema = z.object({
  outcome: z.enum(['', 'started', 'filtered']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});

/** A parsed trigger-log query. @example `{ outcome: 'started', page: 1 }` */
export interface TriggerQuery {
  outcome?: 'started' | 'filtered';
  page: number;
}

/**
 * Parses the query string; a `ValidationError` names a bad field.
 *
 * @example
 * ```ts
 * parseTriggerQuery({ outcome: 'filtered' }); // { outcome: 'filtered', page: 1 }
 * ```
 */
export function parseTriggerQuery(query: Record<string, string>): TriggerQuery {
  const parsed = TriggerQuerySchema.safeParse(query);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`);
    throw new WebError('ValidationError', `${problems.join('; ')}; choose a value the form offers`);
  }
  const outcome = parsed.data.outcome;
  return outcome === undefined || outcome === ''
    ? { page: parsed.data.page ?? 1 }
    : { outcome, page: parsed.data.page ?? 1 };
}

function row(pipeline: string, t: TriggerView): SafeHtml {
  return html`<tr>
<td>${timeTag(t.at)}</td>
<td>${t.trigger.triggerType}</td>
<td>${t.source ?? t.trigger.triggerDetail ?? '—'}</td>
<td>${t.matched ? statusBadge('Succeeded', 'Started') : statusBadge('Skipped', 'Filtered out')}${
    t.pipelineExecutionId === undefined ? '' : html` ${executionLink(pipeline, t.pipelineExecutionId)}`
  }</td>
<td>${t.reason}</td>
<td><code>${t.triggerId}</code></td>
</tr>`;
}

/**
 * The page's region `triggers`: the table and paging.
 *
 * @example
 * ```ts
 * const { triggers } = await triggerRegions(ctx, pipeline, { page: 1 });
 * ```
 */
export async function triggerRegions(
  ctx: DashboardContext,
  pipeline: Pipeline,
  query: TriggerQuery,
): Promise<Regions> {
  const digest = await ctx.reader.digest(pipeline.name);
  const missed = missedNote(ctx.deps.triggers?.missedDeliveries?.(pipeline.name) ?? []);
  const all = digest.triggers.filter(
    (t) => query.outcome === undefined || t.matched === (query.outcome === 'started'),
  );
  const newestFirst = all.slice().reverse();
  const from = (query.page - 1) * TRIGGER_PAGE;
  const shown = newestFirst.slice(from, from + TRIGGER_PAGE);
  const base = pipelinePath(pipeline.name, '/triggers');
  const search = (page: number) => {
    const params = new URLSearchParams();
    if (query.outcome !== undefined) params.set('outcome', query.outcome);
    if (page > 1) params.set('page', String(page));
    const text = params.toString();
    return text === '' ? base : `${base}?${text}`;
  };
  const pager = html`<nav class="pager" aria-label="Pages">${query.page > 1 ? html`<a href="${search(query.page - 1)}" rel="prev">Newer triggers</a>` : ''}${
    from + TRIGGER_PAGE < newestFirst.length
      ? html`<a href="${search(query.page + 1)}" rel="next">Older triggers</a>`
      : ''
  }</nav>`;
  if (shown.length === 0) {
    return {
      triggers: html`${missed}<p>${digest.triggers.length === 0 ? 'This pipeline has received no trigger yet.' : 'No trigger matches this filter on this page.'}</p>${pager}`,
    };
  }
  return {
    triggers: html`${missed}<p class="muted">${newestFirst.length} trigger(s)${query.outcome === undefined ? '' : ` ${query.outcome === 'started' ? 'that started an execution' : 'filtered out'}`}; showing ${from + 1}–${from + shown.length}.</p>
<div class="table-wrap" role="region" tabindex="0" aria-label="Triggers"><table>
<caption class="sr-only">Triggers received by ${pipeline.name}, newest first</caption>
<thead><tr><th scope="col">Received</th><th scope="col">Type</th><th scope="col">Source</th><th scope="col">Outcome</th><th scope="col">Why</th><th scope="col">Delivery id</th></tr></thead>
<tbody>${shown.map((t) => row(pipeline.name, t))}</tbody></table></div>${pager}`,
  };
}

/** The bus events counted instead of recorded (they matched none of the pipeline's patterns), per source. */
function missedNote(missed: readonly MissedDeliveries[]): SafeHtml {
  if (missed.length === 0) return html``;
  return html`<ul class="muted" aria-label="Bus events not recorded">${missed.map(
    (m) =>
      html`<li>${m.count} bus event(s) from <code>${m.source}</code> matched none of this pipeline's patterns and were counted, not recorded (${timeTag(m.firstAt)} to ${timeTag(m.lastAt)}; the last: ${m.lastReason})</li>`,
  )}</ul>`;
}

/**
 * The page body.
 *
 * @example
 * ```ts
 * triggersPage(pipeline, query, regions);
 * ```
 */
export function triggersPage(pipeline: Pipeline, query: TriggerQuery, regions: Regions): SafeHtml {
  const option = (value: string, label: string) =>
    html`<option value="${value}"${(query.outcome ?? '') === value ? raw(' selected') : ''}>${label}</option>`;
  return html`<nav class="crumbs" aria-label="Breadcrumb"><ol><li><a href="/">Pipelines</a></li><li><a href="${pipelinePath(pipeline.name)}">${pipeline.name}</a></li><li aria-current="page">Triggers</li></ol></nav>
<h1>Triggers of ${pipeline.name}</h1>
${pipelineNav(pipeline.name, 'triggers')}
<p>Every webhook, poll, schedule and bus event this pipeline received, and why it did or did not start an execution. Manual starts (<code>pipewright start</code>, the API, Release change) are not triggers: they are in the history.</p>
<form method="get" action="${pipelinePath(pipeline.name, '/triggers')}" class="filters" role="search" aria-label="Filter triggers">
<div class="field"><label for="f-outcome">Outcome</label><select id="f-outcome" name="outcome">${option('', 'Any outcome')}${option('started', 'Started an execution')}${option('filtered', 'Filtered out')}</select></div>
<button type="submit">Filter</button>
</form>
${region('triggers', regions)}`;
}
