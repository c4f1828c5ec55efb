/**
 * An execution's page (`/pipelines/:name/executions/:id`): its status and what started it
 * (trigger, who, branch, commit), a timeline of its stages and actions, each stage with its
 * actions' runs, retry buttons on a failed stage and the approvals waiting, the live log of
 * its actions, its artifacts and variables, and the raw event log it is the fold of — with
 * a Stop form while it runs.
 *
 * Live regions: `exec-status`, `summary`, `timeline`, `stages`, `logs`, `data`, `events`.
 *
 * @example
 * ```ts
 * const regions = await executionRegions(ctx, 'web-app', executionId);
 * ```
 */
import {
  type EventRecord,
  type ExecutionView,
  executionStream,
  type Pipeline,
  type StageView,
} from '@pipewright/core';
import { UnknownExecutionError } from '@pipewright/engine';
import { html, httpUrl, raw, type SafeHtml } from '../html/escape.ts';
import { type DashboardContext, inlineRegion, type Regions, region } from './dashboard-context.ts';
import { executionFacts } from './execution-facts.ts';
import { executionPath, formatDuration, shortId, spanMs, statusBadge, timeTag } from './format.ts';
import { approvalForm, domId, notHere, retryForm, stopForm } from './forms.ts';
import { ganttChart } from './gantt.ts';
import { pipelineNav } from './pipeline-page.ts';

/** Characters of an event's data shown before it folds into a disclosure. */
const DATA_INLINE = 160;

function link(text: string, url: string | undefined): SafeHtml {
  const href = url === undefined ? undefined : httpUrl(url);
  return href === undefined ? html`${text}` : html`<a href="${href}" rel="noopener noreferrer">${text}</a>`;
}

function summaryRegion(
  ctx: DashboardContext,
  view: ExecutionView,
  records: readonly EventRecord[],
): SafeHtml {
  const facts = executionFacts(view, ctx.now());
  const startedBy = records[0]?.actor;
  const running = view.status === 'InProgress';
  const stop = !running
    ? ''
    : ctx.deps.control === undefined
      ? notHere('stop it')
      : stopForm(view.pipelineName, view.pipelineExecutionId);
  return html`<dl class="facts">
<dt>Status</dt><dd>${statusBadge(view.status)}${view.statusSummary === undefined ? '' : html` ${view.statusSummary}`}</dd>
<dt>Trigger</dt><dd>${facts.triggerType ?? '—'}${facts.triggerDetail === undefined ? '' : html` <span class="muted">${facts.triggerDetail}</span>`}</dd>
<dt>Started by</dt><dd>${facts.who ?? startedBy?.id ?? '—'}${startedBy === undefined ? '' : html` <span class="muted">(${startedBy.kind} ${startedBy.id})</span>`}</dd>
<dt>Branch</dt><dd>${facts.branch ?? html`<span class="muted">—</span>`}</dd>
<dt>Commit</dt><dd>${
    view.sourceRevisions.length === 0
      ? html`<span class="muted">none recorded</span>`
      : view.sourceRevisions.map(
          (r) =>
            html`<div>${link(r.revisionId === undefined ? '(no revision id)' : r.revisionId.slice(0, 12), r.revisionUrl)}${
              r.revisionSummary === undefined ? '' : html` — ${r.revisionSummary}`
            } <span class="muted">(${r.actionName})</span></div>`,
        )
  }</dd>
<dt>Started</dt><dd>${timeTag(view.startedAt)}</dd>
<dt>Ended</dt><dd>${timeTag(view.endedAt)}</dd>
<dt>Duration</dt><dd>${formatDuration(facts.durationMs)}${facts.ended ? '' : ' so far'}</dd>
<dt>Mode</dt><dd>${view.executionMode ?? '—'} · ${view.executionType}${view.pipelineVersion === undefined ? '' : html` · pipeline version ${view.pipelineVersion}`}</dd>
${
  view.rollbackMetadata === undefined
    ? ''
    : html`<dt>Rolls back to</dt><dd><a href="${executionPath(view.pipelineName, view.rollbackMetadata.rollbackTargetPipelineExecutionId)}" class="mono">${shortId(view.rollbackMetadata.rollbackTargetPipelineExecutionId)}</a></dd>`
}
${
  view.stopTrigger === undefined
    ? ''
    : html`<dt>Stopped</dt><dd>${view.stopTrigger.abandon ? 'abandoned' : 'stopped'} by ${view.stopTrigger.actor?.id ?? 'unknown'} at ${timeTag(view.stopTrigger.at)}${
        view.stopTrigger.reason === undefined ? '' : html`: ${view.stopTrigger.reason}`
      }</dd>`
}
${
  view.supersededBy === undefined
    ? ''
    : html`<dt>Superseded by</dt><dd><a href="${executionPath(view.pipelineName, view.supersededBy)}" class="mono">${shortId(view.supersededBy)}</a></dd>`
}
</dl>
${stop}`;
}

function stageSection(ctx: DashboardContext, view: ExecutionView, stage: StageView): SafeHtml {
  const canRetry = stage.status === 'Failed' && view.endedAt === undefined && view.status !== 'Stopping';
  const approvals = view.approvals.filter((a) => a.stageName === stage.stageName && a.status === 'Pending');
  const back = executionPath(view.pipelineName, view.pipelineExecutionId);
  const rows = stage.actions.flatMap((action) =>
    action.attempts.length === 0
      ? [
          html`<tr><th scope="row">${action.actionName}</th><td>${statusBadge(action.status)}</td><td>—</td><td>—</td><td class="num">—</td><td></td></tr>`,
        ]
      : action.attempts.map(
          (a) => html`<tr><th scope="row">${action.actionName}</th><td>${statusBadge(a.status)}</td>
<td>${a.stageAttempt + 1}.${a.attempt}</td><td>${timeTag(a.startedAt)}</td>
<td class="num">${formatDuration(spanMs(a.startedAt, a.endedAt, ctx.now()))}</td>
<td>${a.summary ?? ''}${a.error === undefined ? '' : html` <strong>${a.error.code}</strong>: ${a.error.message}`}${
            a.externalExecutionUrl === undefined
              ? ''
              : html` ${link(a.externalExecutionId ?? 'details', a.externalExecutionUrl)}`
          }</td></tr>`,
        ),
  );
  const conditions = stage.conditions.map(
    (c) =>
      html`<li>${c.conditionType} (attempt ${c.stageAttempt + 1}): ${statusBadge(c.status)}${c.result === undefined ? '' : html` → ${c.result}`}${c.ruleResults.map(
        (r) => html` · ${r.ruleName} ${r.status}${r.summary === undefined ? '' : html`: ${r.summary}`}`,
      )}</li>`,
  );
  const headingId = domId('st', stage.stageName);
  return html`<section class="card" aria-labelledby="${headingId}">
<h3 id="${headingId}">${stage.stageName} ${statusBadge(stage.status)}${stage.stageAttempt > 0 ? html` <span class="muted">attempt ${stage.stageAttempt + 1}</span>` : ''}</h3>
${stage.waiting === undefined ? '' : html`<p>Waiting (${stage.waiting.gate}) since ${timeTag(stage.waiting.since)}: ${stage.waiting.reason}</p>`}
${stage.skipReason === undefined ? '' : html`<p>Skipped: ${stage.skipReason}</p>`}
${stage.error === undefined ? '' : html`<p><strong>${stage.error.code}</strong>: ${stage.error.message}</p>`}
${canRetry ? (ctx.deps.control?.retryStage === undefined ? notHere('retry it') : retryForm(view.pipelineName, view.pipelineExecutionId, stage.stageName, back)) : ''}
${approvals.map((a) => html`<h4>Approval ${a.actionName}</h4>${a.customData === undefined ? '' : html`<p class="custom">${a.customData}</p>`}${approvalForm(view.pipelineName, view.pipelineExecutionId, a, back, ctx.now())}`)}
<div class="table-wrap" role="region" tabindex="0" aria-label="Action runs of ${stage.stageName}"><table>
<caption class="sr-only">Action runs of ${stage.stageName}</caption>
<thead><tr><th scope="col">Action</th><th scope="col">Status</th><th scope="col">Attempt</th><th scope="col">Started</th><th scope="col" class="num">Took</th><th scope="col">Details</th></tr></thead>
<tbody>${rows}</tbody></table></div>
${conditions.length === 0 ? '' : html`<ul>${conditions}</ul>`}
${stage.retries.length === 0 ? '' : html`<p class="muted">Retried: ${stage.retries.map((r, i) => html`${i > 0 ? '; ' : ''}${r.retryMode}${r.automatic ? ' (automatic)' : r.actor === undefined ? '' : html` by ${r.actor.id}`} at ${timeTag(r.at)}`)}</p>`}
</section>`;
}

function logsRegion(view: ExecutionView): SafeHtml {
  const items = view.stages.flatMap((stage) =>
    stage.actions.flatMap((action) => {
      const last = action.attempts.at(-1);
      if (last === undefined) return [];
      const id = domId('log', stage.stageName, action.actionName);
      const base = executionPath(
        view.pipelineName,
        view.pipelineExecutionId,
        `/logs/${encodeURIComponent(stage.stageName)}/${encodeURIComponent(action.actionName)}`,
      );
      const query = `?stageAttempt=${last.stageAttempt}&attempt=${last.attempt}`;
      return [
        html`<details id="${id}" data-log="${base}${query}${last.status === 'InProgress' ? '&follow=1' : ''}"${last.status === 'InProgress' || last.status === 'Failed' ? raw(' open') : ''}>
<summary>${stage.stageName}/${action.actionName} — attempt ${last.stageAttempt + 1}.${last.attempt} ${statusBadge(last.status)}</summary>
<pre class="log" id="${id}-text" data-keep="${last.stageAttempt}.${last.attempt}" tabindex="0" aria-label="Log of ${stage.stageName}/${action.actionName}"></pre>
<p><a href="${base}${query}">Open the log as text</a></p>
</details>`,
      ];
    }),
  );
  return items.length === 0 ? html`<p class="muted">No action has run yet.</p>` : html`${items}`;
}

function dataRegion(view: ExecutionView): SafeHtml {
  const artifacts =
    view.artifacts.length === 0
      ? html`<p class="muted">No artifacts.</p>`
      : html`<div class="table-wrap" role="region" tabindex="0" aria-label="Artifacts"><table><caption class="sr-only">Artifacts</caption>
<thead><tr><th scope="col">Artifact</th><th scope="col">Made by</th><th scope="col" class="num">Size</th><th scope="col">SHA-256</th><th scope="col">Where</th></tr></thead>
<tbody>${view.artifacts.map(
          (a) => html`<tr><th scope="row">${a.name}</th><td>${a.stageName}/${a.actionName}</td>
<td class="num">${a.size.toLocaleString('en-US')} B${a.files === undefined ? '' : html` · ${a.files} files`}</td>
<td><code title="${a.sha256}">${a.sha256.slice(0, 12)}</code></td><td><code>${a.uri}</code></td></tr>`,
        )}</tbody></table></div>`;
  const variables =
    view.variables.length === 0
      ? html`<p class="muted">No pipeline variables.</p>`
      : html`<dl class="facts">${view.variables.map((v) => html`<dt>${v.name}</dt><dd><code>${v.resolvedValue}</code></dd>`)}</dl>`;
  const namespaces = Object.entries(view.namespaces);
  const outputs =
    namespaces.length === 0
      ? html`<p class="muted">No output variables.</p>`
      : html`<dl class="facts">${namespaces.flatMap(([ns, values]) =>
          Object.entries(values).map(
            ([k, v]) => html`<dt><code>#{${ns}.${k}}</code></dt><dd><code>${v}</code></dd>`,
          ),
        )}</dl>`;
  return html`<div class="grid2">
<section aria-labelledby="vars-title"><h3 id="vars-title">Pipeline variables</h3>${variables}</section>
<section aria-labelledby="outs-title"><h3 id="outs-title">Output variables</h3>${outputs}</section>
</div>
<h3>Artifacts</h3>
${artifacts}`;
}

function eventsRegion(records: readonly EventRecord[]): SafeHtml {
  const rows = records.map((r) => {
    const data = JSON.stringify(r.data ?? null);
    const shown =
      data.length <= DATA_INLINE
        ? html`<code>${data}</code>`
        : html`<details id="ev-${r.seq}"><summary><code>${data.slice(0, DATA_INLINE)}…</code></summary><pre>${JSON.stringify(r.data, null, 2)}</pre></details>`;
    return html`<tr><td class="num">${r.seq}</td><td>${timeTag(r.at)}</td><td>${r.type}</td><td>${r.actor === undefined ? '' : html`${r.actor.kind} ${r.actor.id}`}</td><td>${shown}</td></tr>`;
  });
  return html`<div class="table-wrap" role="region" tabindex="0" aria-label="Event log"><table class="events">
<caption class="sr-only">The execution's events, oldest first</caption>
<thead><tr><th scope="col" class="num">Seq</th><th scope="col">At</th><th scope="col">Type</th><th scope="col">Actor</th><th scope="col">Data</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

/**
 * The execution's view, checked to belong to `pipeline` (else `UnknownExecutionError`).
 *
 * @example
 * ```ts
 * const view = await executionOf(ctx, 'web-app', '7f0c');
 * ```
 */
export async function executionOf(
  ctx: DashboardContext,
  pipeline: string,
  executionId: string,
): Promise<ExecutionView> {
  const view = await ctx.reader.view(executionId);
  if (view.pipelineName !== pipeline) throw new UnknownExecutionError(executionId);
  return view;
}

/**
 * The page's live regions.
 *
 * @example
 * ```ts
 * const { timeline } = await executionRegions(ctx, 'web-app', '7f0c');
 * ```
 */
export async function executionRegions(
  ctx: DashboardContext,
  pipeline: string,
  executionId: string,
): Promise<Regions> {
  const view = await executionOf(ctx, pipeline, executionId);
  const records = await ctx.deps.store.read(executionStream(executionId));
  return {
    'exec-status': statusBadge(view.status),
    summary: summaryRegion(ctx, view, records),
    timeline: ganttChart(view, ctx.now()),
    stages: html`${view.stages.map((s) => stageSection(ctx, view, s))}`,
    logs: logsRegion(view),
    data: dataRegion(view),
    events: eventsRegion(records),
  };
}

/**
 * The page body.
 *
 * @example
 * ```ts
 * executionPage(pipeline, executionId, regions);
 * ```
 */
export function executionPage(
  pipeline: Pipeline,
  executionId: string,
  regions: Regions,
  notice?: SafeHtml,
): SafeHtml {
  return html`<nav class="crumbs" aria-label="Breadcrumb"><ol><li><a href="/">Pipelines</a></li><li><a href="/pipelines/${encodeURIComponent(pipeline.name)}">${pipeline.name}</a></li><li aria-current="page">Execution ${shortId(executionId)}</li></ol></nav>
<h1>Execution <span class="mono">${shortId(executionId)}</span> ${inlineRegion('exec-status', regions, raw(' aria-live="polite"'))}</h1>
<p class="eyebrow mono">${executionId}</p>
${pipelineNav(pipeline.name, 'execution')}
${notice ?? ''}
<section aria-labelledby="summary-title"><h2 id="summary-title">Summary</h2>${region('summary', regions)}</section>
<section aria-labelledby="timeline-title"><h2 id="timeline-title">Timeline</h2>${region('timeline', regions)}</section>
<section aria-labelledby="stages-title"><h2 id="stages-title">Stages</h2>${region('stages', regions)}</section>
<section aria-labelledby="logs-title"><h2 id="logs-title">Logs</h2>${region('logs', regions)}</section>
<section aria-labelledby="data-title"><h2 id="data-title">Variables and artifacts</h2>${region('data', regions)}</section>
<section aria-labelledby="events-title"><h2 id="events-title">Event log</h2>
<p class="muted">Everything above is the fold of these events.</p>${region('events', regions)}</section>`;
}
