/**
 * The live views of the dashboard's pages, by key — what a page names in `data-live` and its
 * browser asks `/dashboard/live?view=` for — with the regions each renders and the appends it
 * depends on:
 *
 * | key                                  | page                         | dirty on appends to     |
 * | ------------------------------------ | ---------------------------- | ----------------------- |
 * | `overview`                           | `/`                          | anything                |
 * | `pipeline:<name>`                    | `/pipelines/<name>`          | the pipeline's streams  |
 * | `execution:<name>:<id>`              | `…/executions/<id>`          | the execution's stream  |
 * | `history:<name>:<filters>`           | `…/history` (first page)     | the pipeline's streams  |
 * | `triggers:<name>:<filters>`          | `…/triggers` (first page)    | the pipeline's streams  |
 *
 * Each also has a cheap version marker, read instead of rendering where appends are not heard
 * (the HTTP Lambda): an execution's stream version; for the trigger log, the pipeline stream's
 * version; for the other pipeline pages, that and the pipeline's newest executions with the
 * stream version of each of them that has not ended.
 *
 * @example
 * ```ts
 * const key = liveKey.pipeline('web-app');
 * const source = resolveLiveView(ctx, key); // throws WebError('NotFound') for an unknown pipeline
 * ```
 */
import { executionStream, type Pipeline, pipelineStream, triggerStream } from '@pipewright/core';
import { WebError } from '../errors.ts';
import type { DashboardContext, Regions } from './dashboard-context.ts';
import { executionRegions } from './execution-page.ts';
import {
  type HistoryQuery,
  historyRegions,
  historySearch,
  parseHistoryQuery,
  TREND_POINTS,
} from './history-page.ts';
import type { LiveViewSource } from './live-view-source.ts';
import { GLANCE, overviewRegions } from './overview-page.ts';
import { BOARD_WINDOW, pipelineRegions } from './pipeline-page.ts';
import { parseTriggerQuery, type TriggerQuery, triggerRegions } from './triggers-page.ts';

const e = encodeURIComponent;

/** Builds the key of each live view. @example `liveKey.execution('web-app', '7f0c'); // 'execution:web-app:7f0c'` */
export const liveKey = {
  overview: (): string => 'overview',
  pipeline: (name: string): string => `pipeline:${e(name)}`,
  execution: (name: string, id: string): string => `execution:${e(name)}:${e(id)}`,
  history: (name: string, query: HistoryQuery): string => `history:${e(name)}:${historySearch(query, false)}`,
  triggers: (name: string, query: TriggerQuery): string =>
    `triggers:${e(name)}:${query.outcome === undefined ? '' : `outcome=${query.outcome}`}`,
};

function strings(regions: Regions): Record<string, string> {
  return Object.fromEntries(Object.entries(regions).map(([id, markup]) => [id, markup.toString()]));
}

/**
 * The served pipeline `name`; `WebError('NotFound')` when it is not served.
 *
 * @example
 * ```ts
 * const pipeline = servedPipeline(ctx, 'web-app');
 * ```
 */
export function servedPipeline(ctx: DashboardContext, name: string): Pipeline {
  const pipeline = ctx.deps.pipelines.get(name);
  if (pipeline === undefined) {
    const names = ctx.deps.pipelines.names();
    throw new WebError(
      'NotFound',
      `no pipeline named "${name}" is served here; ${names.length === 0 ? 'none is' : `the served ones are: ${names.join(', ')}`}`,
    );
  }
  return pipeline;
}

/**
 * The version marker of what a pipeline's pages show: its own stream's version (definitions,
 * transitions, triggers), its `window` newest executions, and the stream version of each that
 * has not ended (an ended execution, `endedAt` set, never changes again).
 *
 * @example
 * ```ts
 * await pipelineVersion(ctx, 'web-app', 50); // '12 7f0c@31 5e1a'
 * ```
 */
export async function pipelineVersion(ctx: DashboardContext, name: string, window: number): Promise<string> {
  const { store } = ctx.deps;
  const [own, triggers, { executions }] = await Promise.all([
    store.version(pipelineStream(name)),
    store.version(triggerStream(name)),
    store.listExecutions(name, { limit: window }),
  ]);
  const each = await Promise.all(
    executions.map(async (e) =>
      ctx.reader.cached(e.executionId)?.endedAt !== undefined
        ? e.executionId
        : `${e.executionId}@${await store.version(e.stream)}`,
    ),
  );
  return [`${own}+${triggers}`, ...each].join(' ');
}

function parseQuery(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text));
}

/**
 * The source of a live view key; `WebError` (`BadRequest`, `NotFound`) for a key no page has.
 *
 * @example
 * ```ts
 * await resolveLiveView(ctx, 'overview').render();
 * ```
 */
export function resolveLiveView(ctx: DashboardContext, key: string): LiveViewSource {
  const [kind = '', rawName = '', rest = ''] = key.split(':');
  if (key.length > 1000) throw new WebError('BadRequest', 'view: too long; use the key the page names');
  let name: string;
  try {
    name = decodeURIComponent(rawName);
  } catch {
    throw new WebError('BadRequest', `view: "${key}" is not a live view of a page`);
  }
  const none = new Set<string>();
  switch (kind) {
    case 'overview':
      return {
        scope: { pipelines: new Set(['*']), executions: none },
        render: async () => strings(await overviewRegions(ctx)),
        version: async () =>
          (
            await Promise.all(
              ctx.deps.pipelines.names().map(async (n) => `${n}:${await pipelineVersion(ctx, n, GLANCE)}`),
            )
          ).join('\n'),
      };
    case 'pipeline': {
      const pipeline = servedPipeline(ctx, name);
      return {
        scope: { pipelines: new Set([pipeline.name]), executions: none },
        render: async () => strings(await pipelineRegions(ctx, servedPipeline(ctx, name))),
        version: () => pipelineVersion(ctx, pipeline.name, BOARD_WINDOW),
      };
    }
    case 'execution': {
      const pipeline = servedPipeline(ctx, name);
      let id: string;
      try {
        id = decodeURIComponent(rest);
      } catch {
        throw new WebError('BadRequest', `view: "${key}" is not a live view of a page`);
      }
      return {
        scope: { pipelines: none, executions: new Set([id]) },
        render: async () => strings(await executionRegions(ctx, pipeline.name, id)),
        version: async () => String(await ctx.deps.store.version(executionStream(id))),
      };
    }
    case 'history': {
      servedPipeline(ctx, name);
      const query = parseHistoryQuery(parseQuery(rest));
      return {
        scope: { pipelines: new Set([name]), executions: none },
        render: async () => strings(await historyRegions(ctx, servedPipeline(ctx, name), query)),
        version: () => pipelineVersion(ctx, name, TREND_POINTS),
      };
    }
    case 'triggers': {
      servedPipeline(ctx, name);
      const query = parseTriggerQuery(parseQuery(rest));
      return {
        scope: { pipelines: new Set([name]), executions: none },
        render: async () => strings(await triggerRegions(ctx, servedPipeline(ctx, name), query)),
        version: async () => String(await ctx.deps.store.version(triggerStream(name))),
      };
    }
    default:
      throw new WebError('BadRequest', `view: "${key}" is not a live view of a page`);
  }
}
