/**
 * A pipeline's page (`/pipelines/:name`), CodePipeline's pipeline view made live: the stages
 * as columns with the execution in each stage, an action card per action with the status of
 * its latest run, each stage's inbound transition with its toggle and reason, retry buttons
 * on failed stages, the approvals waiting for a decision, the latest executions, and
 * "Release change" with the pipeline's variables to override.
 *
 * Everything shown is a projection of the log: `foldPipelineState` over the latest
 * executions' views and the pipeline stream's transitions. Live regions: `approvals`, `board`,
 * `recent`.
 *
 * @example
 * ```ts
 * const regions = await pipelineRegions(ctx, pipeline);
 * return sendDashboardPage(c, 200, chrome, pipelinePage(ctx, pipeline, regions), csrf);
 * ```
 */
import {
  type ActionState,
  type ExecutionView,
  foldPipelineState,
  type Pipeline,
  type StageState,
} from '@pipewright/core';
import { html, raw, type SafeHtml } from '../html/escape.ts';
import { type DashboardContext, type Regions, region } from './dashboard-context.ts';
import { executionFacts } from './execution-facts.ts';
import { executionLink, formatDuration, pipelinePath, statusBadge, statusLabel, timeTag } from './format.ts';
import { approvalForm, notHere, releaseForm, retryForm, transitionForm } from './forms.ts';

/** Executions whose views the board is folded from (the newest). */
export const BOARD_WINDOW = 50;
/** Executions listed under "Latest executions". */
export const RECENT_ROWS = 10;

/**
 * The sub-navigation of a pipeline's pages.
 *
 * @example
 * ```ts
 * pipelineNav('web-app', 'history');
 * ```
 */
export function pipelineNav(
  name: string,
  current: 'pipeline' | 'history' | 'triggers' | 'execution',
): SafeHtml {
  const item = (key: string, label: string, href: string) =>
    html`<li><a href="${href}"${current === key ? raw(' aria-current="page"') : ''}>${label}</a></li>`;
  return html`<nav class="subnav" aria-label="Pipeline ${name}"><ul>
${item('pipeline', 'Pipeline', pipelinePath(name))}
${item('history', 'History', pipelinePath(name, '/history'))}
${item('triggers', 'Triggers', pipelinePath(name, '/triggers'))}
</ul></nav>`;
}

function actionCard(
  pipeline: string,
  category: string,
  provider: string,
  state: ActionState,
  views: ReadonlyMap<string, ExecutionView>,
): SafeHtml {
  const latest = state.latestExecution;
  const view = latest === undefined ? undefined : views.get(latest.pipelineExecutionId);
  const approval =
    latest?.approvalId === undefined
      ? undefined
      : view?.approvals.find((a) => a.approvalId === latest.approvalId);
  const status = latest?.status ?? 'NotStarted';
  const badge =
    approval?.status === 'Pending' && status === 'InProgress'
      ? statusBadge('Pending', 'Waiting for approval')
      : statusBadge(status);
  return html`<article class="action a-${status}" aria-label="Action ${state.actionName}: ${
    approval?.status === 'Pending' && status === 'InProgress' ? 'waiting for approval' : statusLabel(status)
  }">
<h4><span>${state.actionName}</span>${badge}</h4>
<p class="muted">${category}/${provider}</p>
${
  latest === undefined
    ? ''
    : html`<p>${executionLink(pipeline, latest.pipelineExecutionId)} · ${timeTag(latest.lastStatusChange)}</p>`
}
${latest?.summary === undefined ? '' : html`<p>${latest.summary}</p>`}
${latest?.errorDetails === undefined ? '' : html`<p><strong>${latest.errorDetails.code}</strong>: ${latest.errorDetails.message}</p>`}
${latest?.lastUpdatedBy === undefined ? '' : html`<p class="muted">Decided by ${latest.lastUpdatedBy}</p>`}
</article>`;
}

function stageColumn(
  ctx: DashboardContext,
  pipeline: Pipeline,
  index: number,
  state: StageState,
  views: ReadonlyMap<string, ExecutionView>,
  transitions: Record<
    string,
    { enabled: boolean; disabledReason?: string; lastChangedBy?: string; lastChangedAt?: string }
  >,
): SafeHtml {
  const stage = pipeline.stages[index];
  if (stage === undefined) return html``;
  const latest = state.latestExecution;
  const latestView = latest === undefined ? undefined : views.get(latest.pipelineExecutionId);
  const latestStage = latestView?.stages.find((s) => s.stageName === stage.name);
  const running = [...views.values()].filter(
    (v) => v.stages.find((s) => s.stageName === stage.name)?.status === 'InProgress',
  );
  const others = running.filter((v) => v.pipelineExecutionId !== latest?.pipelineExecutionId);
  const waiting = state.inboundExecutions.map((ref) => {
    const reason = views.get(ref.pipelineExecutionId)?.stages.find((s) => s.stageName === stage.name)
      ?.waiting?.reason;
    return html`<li>${executionLink(pipeline.name, ref.pipelineExecutionId)}${reason === undefined ? '' : html` — ${reason}`}</li>`;
  });
  const canRetry =
    latestView !== undefined &&
    latestStage?.status === 'Failed' &&
    latestView.endedAt === undefined &&
    latestView.status !== 'Stopping';
  const transition =
    index === 0
      ? ''
      : transitionForm(
          pipeline.name,
          stage.name,
          transitions[stage.name] ?? { enabled: true },
          ctx.deps.control?.disableTransition !== undefined,
        );
  const headingId = `stage-${index}`;
  return html`<section class="stage" aria-labelledby="${headingId}">
${transition}
<header><h3 id="${headingId}">${stage.name}</h3>${statusBadge(latest?.status ?? 'NotStarted')}</header>
${
  latest === undefined
    ? html`<p class="exec muted">No execution has entered this stage.</p>`
    : html`<p class="exec">Execution ${executionLink(pipeline.name, latest.pipelineExecutionId)}${
        latestStage?.stageAttempt ? html` · attempt ${latestStage.stageAttempt + 1}` : ''
      }${latestStage?.updatedAt === undefined ? '' : html` · ${timeTag(latestStage.updatedAt)}`}</p>`
}
${
  others.length === 0
    ? ''
    : html`<p class="more">Also in progress here: ${others.slice(0, 3).map((v, i) => html`${i > 0 ? ', ' : ''}${executionLink(pipeline.name, v.pipelineExecutionId)}`)}${
        others.length > 3 ? html` and ${others.length - 3} more` : ''
      }</p>`
}
${waiting.length === 0 ? '' : html`<p class="more">Waiting to enter:</p><ul class="more">${waiting}</ul>`}
${canRetry && latest !== undefined ? (ctx.deps.control?.retryStage === undefined ? notHere('retry it') : retryForm(pipeline.name, latest.pipelineExecutionId, stage.name, pipelinePath(pipeline.name))) : ''}
${state.actionStates.map((a, i) => {
  const action = stage.actions[i];
  return actionCard(
    pipeline.name,
    action?.actionTypeId.category ?? '',
    action?.actionTypeId.provider ?? '',
    a,
    views,
  );
})}
</section>`;
}

function approvalsRegion(
  ctx: DashboardContext,
  pipeline: Pipeline,
  views: readonly ExecutionView[],
): SafeHtml {
  const pending = views.flatMap((v) =>
    v.approvals.filter((a) => a.status === 'Pending').map((approval) => ({ view: v, approval })),
  );
  if (pending.length === 0) return html`<p class="muted">No approval is waiting.</p>`;
  return html`<div class="grid2">${pending.map(({ view, approval }) => {
    const facts = executionFacts(view, ctx.now());
    return html`<article class="card approval" aria-labelledby="${`ap-${approval.approvalId}`.replace(/[^A-Za-z0-9_-]/g, '_')}">
<h3 id="${`ap-${approval.approvalId}`.replace(/[^A-Za-z0-9_-]/g, '_')}">${approval.stageName}/${approval.actionName}</h3>
<p>Execution ${executionLink(pipeline.name, view.pipelineExecutionId)}${
      facts.commit?.revisionId === undefined
        ? ''
        : html` · commit <code>${facts.commit.revisionId.slice(0, 12)}</code>`
    } · requested ${timeTag(approval.requestedAt)}</p>
${approval.customData === undefined ? '' : html`<p class="custom">${approval.customData}</p>`}
${approvalForm(pipeline.name, view.pipelineExecutionId, approval, pipelinePath(pipeline.name), ctx.now())}
</article>`;
  })}</div>`;
}

function recentRegion(ctx: DashboardContext, pipeline: Pipeline, views: readonly ExecutionView[]): SafeHtml {
  if (views.length === 0) return html`<p class="muted">No executions yet. Release a change to start one.</p>`;
  const rows = views.slice(0, RECENT_ROWS).map((v) => {
    const facts = executionFacts(v, ctx.now());
    return html`<tr>
<td>${statusBadge(v.status)}</td>
<td>${executionLink(pipeline.name, v.pipelineExecutionId)}</td>
<td>${facts.triggerType ?? '—'}${facts.who === undefined ? '' : html` <span class="muted">(${facts.who})</span>`}</td>
<td>${facts.commit?.revisionId === undefined ? '—' : html`<code>${facts.commit.revisionId.slice(0, 12)}</code> ${facts.commit.revisionSummary ?? ''}`}</td>
<td>${timeTag(v.startedAt)}</td>
<td class="num">${formatDuration(facts.durationMs)}</td>
</tr>`;
  });
  return html`<div class="table-wrap" role="region" tabindex="0" aria-label="Latest executions"><table>
<caption class="sr-only">Latest executions of ${pipeline.name}, newest first</caption>
<thead><tr><th scope="col">Status</th><th scope="col">Execution</th><th scope="col">Trigger</th><th scope="col">Commit</th><th scope="col">Started</th><th scope="col" class="num">Duration</th></tr></thead>
<tbody>${rows}</tbody></table></div>
<p><a href="${pipelinePath(pipeline.name, '/history')}">All executions</a></p>`;
}

/**
 * The page's live regions.
 *
 * @example
 * ```ts
 * const { board, approvals, recent } = await pipelineRegions(ctx, pipeline);
 * ```
 */
export async function pipelineRegions(ctx: DashboardContext, pipeline: Pipeline): Promise<Regions> {
  const [{ entries }, digest] = await Promise.all([
    ctx.reader.executions(pipeline.name, BOARD_WINDOW),
    ctx.reader.digest(pipeline.name),
  ]);
  const views = await ctx.reader.views(entries.map((e) => e.executionId));
  const byId = new Map(views.map((v) => [v.pipelineExecutionId, v]));
  const state = foldPipelineState(pipeline, [], views);
  return {
    approvals: approvalsRegion(ctx, pipeline, views),
    board: html`<div class="board">${state.stageStates.map((s, i) =>
      stageColumn(ctx, pipeline, i, s, byId, digest.transitions),
    )}</div>`,
    recent: recentRegion(ctx, pipeline, views),
  };
}

/**
 * The page body.
 *
 * @example
 * ```ts
 * pipelinePage(ctx, pipeline, await pipelineRegions(ctx, pipeline));
 * ```
 */
export function pipelinePage(
  ctx: DashboardContext,
  pipeline: Pipeline,
  regions: Regions,
  notice?: SafeHtml,
): SafeHtml {
  const release = ctx.deps.control === undefined ? notHere('release a change') : releaseForm(pipeline);
  return html`<nav class="crumbs" aria-label="Breadcrumb"><ol><li><a href="/">Pipelines</a></li><li aria-current="page">${pipeline.name}</li></ol></nav>
<h1>${pipeline.name}</h1>
<p class="eyebrow">${pipeline.executionMode} execution mode${pipeline.version === undefined ? '' : html` · version ${pipeline.version}`} · ${pipeline.stages.length} stages</p>
${pipelineNav(pipeline.name, 'pipeline')}
${notice ?? ''}
<details class="card" id="release"><summary><strong>Release change</strong> — start an execution, overriding variables</summary>
${release}
</details>
<section aria-labelledby="approvals-title"><h2 id="approvals-title">Waiting for approval</h2>
${region('approvals', regions)}</section>
<section aria-labelledby="stages-title"><h2 id="stages-title">Stages</h2>
${region('board', regions)}</section>
<section aria-labelledby="recent-title"><h2 id="recent-title">Latest executions</h2>
${region('recent', regions)}</section>`;
}
