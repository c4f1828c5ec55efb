/**
 * The dashboard's home (`/`): every served pipeline with its last execution (status, commit,
 * when, how long), the results of its recent executions at a glance, and how many run now.
 * One live region, `overview`, updated on any append.
 *
 * @example
 * ```ts
 * const regions = await overviewRegions(ctx);
 * return sendDashboardPage(c, 200, chrome, overviewPage(regions), csrf);
 * ```
 */
import type { ExecutionView } from '@pipewright/core';
import { html, type SafeHtml } from '../html/escape.ts';
import { type DashboardContext, type Regions, region } from './dashboard-context.ts';
import { executionFacts } from './execution-facts.ts';
import { executionLink, formatDuration, pipelinePath, statusBadge, statusLabel, timeTag } from './format.ts';

/** Executions shown per pipeline at a glance. */
export const GLANCE = 12;

function dots(pipeline: string, views: readonly ExecutionView[]): SafeHtml {
  if (views.length === 0) return html``;
  const oldestFirst = [...views].reverse();
  return html`<ol class="dots" aria-label="Recent results, oldest first">${oldestFirst.map(
    (v) =>
      html`<li class="d-${v.status}" title="${v.pipelineExecutionId}: ${statusLabel(v.status)}"><span class="sr-only">${statusLabel(v.status)}</span></li>`,
  )}</ol><p class="more"><a href="${pipelinePath(pipeline, '/history')}">History</a> · <a href="${pipelinePath(pipeline, '/triggers')}">Triggers</a></p>`;
}

function card(ctx: DashboardContext, name: string, views: readonly ExecutionView[]): SafeHtml {
  const last = views[0];
  const running = views.filter((v) => v.status === 'InProgress' || v.status === 'Stopping').length;
  const pipeline = ctx.deps.pipelines.get(name);
  const summary =
    last === undefined
      ? html`<p class="muted">No executions yet.</p>`
      : (() => {
          const facts = executionFacts(last, ctx.now());
          return html`<dl class="facts">
<dt>Last execution</dt><dd>${statusBadge(last.status)} ${executionLink(name, last.pipelineExecutionId)}</dd>
<dt>Started</dt><dd>${timeTag(last.startedAt)}</dd>
<dt>Duration</dt><dd>${formatDuration(facts.durationMs)}</dd>
${facts.commit === undefined ? '' : html`<dt>Commit</dt><dd><code>${(facts.commit.revisionId ?? '').slice(0, 12)}</code> ${facts.commit.revisionSummary ?? ''}</dd>`}
</dl>`;
        })();
  return html`<article class="card" aria-labelledby="p-${name}">
<h2 id="p-${name}"><a href="${pipelinePath(name)}">${name}</a></h2>
<p class="eyebrow">${pipeline?.executionMode ?? ''}${pipeline?.version === undefined ? '' : html` · version ${pipeline.version}`}${running > 0 ? html` · <strong>${running} running</strong>` : ''}</p>
${summary}
${dots(name, views)}
</article>`;
}

/**
 * The page's live regions.
 *
 * @example
 * ```ts
 * (await overviewRegions(ctx)).overview?.toString();
 * ```
 */
export async function overviewRegions(ctx: DashboardContext): Promise<Regions> {
  const names = ctx.deps.pipelines.names();
  const cards = await Promise.all(
    names.map(async (name) => {
      const { entries } = await ctx.reader.executions(name, GLANCE);
      return card(ctx, name, await ctx.reader.views(entries.map((e) => e.executionId)));
    }),
  );
  return {
    overview:
      names.length === 0
        ? html`<p>No pipelines are served here. Put pipeline files in the directory <code>pipewright serve --dir</code> names.</p>`
        : html`<div class="cards">${cards}</div>`,
  };
}

/**
 * The page body.
 *
 * @example
 * ```ts
 * overviewPage(await overviewRegions(ctx));
 * ```
 */
export function overviewPage(regions: Regions): SafeHtml {
  return html`<h1>Pipelines</h1>
${region('overview', regions)}`;
}
