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
 * @example
 * ```ts
 * const key = liveKey.pipeline('web-app');
 * const source = resolveLiveView(ctx, key); // throws WebError('NotFound') for an unknown pipeline
 * ```
 */
import type { Pipeline } from '@pipewright/core';
import { WebError } from '../errors.ts';
import type { DashboardContext, Regions } from './dashboard-context.ts';
import { executionRegions } from './execution-page.ts';
import { type HistoryQuery, historyRegions, historySearch, parseHistoryQuery } from './history-page.ts';
import type { LiveViewSource } from './live-hub.ts';
import { overviewRegions } from './overview-page.ts';
import { pipelineRegions } from './pipeline-page.ts';
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
      };
    case 'pipeline': {
      const pipeline = servedPipeline(ctx, name);
      return {
        scope: { pipelines: new Set([pipeline.name]), executions: none },
        render: async () => strings(await pipelineRegions(ctx, servedPipeline(ctx, name))),
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
      };
    }
    case 'history': {
      servedPipeline(ctx, name);
      const query = parseHistoryQuery(parseQuery(rest));
      return {
        scope: { pipelines: new Set([name]), executions: none },
        render: async () => strings(await historyRegions(ctx, servedPipeline(ctx, name), query)),
      };
    }
    case 'triggers': {
      servedPipeline(ctx, name);
      const query = parseTriggerQuery(parseQuery(rest));
      return {
        scope: { pipelines: new Set([name]), executions: none },
        render: async () => strings(await triggerRegions(ctx, servedPipeline(ctx, name), query)),
      };
    }
    default:
      throw new WebError('BadRequest', `view: "${key}" is not a live view of a page`);
  }
}
