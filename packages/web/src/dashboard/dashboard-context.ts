/**
 * What every dashboard page and live view is rendered from: the app's ports, the cached
 * {@link DashboardReader} and the clock.
 *
 * @example
 * ```ts
 * const ctx: DashboardContext = { deps, reader: new DashboardReader(deps, { heard: false }), now: () => new Date() };
 * const regions = await pipelineRegions(ctx, 'web-app');
 * ```
 */
import type { WebDeps } from '../deps.ts';
import { html, type SafeHtml } from '../html/escape.ts';
import type { DashboardReader } from './dashboard-reader.ts';

/** The rendering context. @example `{ deps, reader, now: () => new Date() }` */
export interface DashboardContext {
  deps: WebDeps;
  reader: DashboardReader;
  now(): Date;
}

/** The parts of a page that live updates replace, by element id. @example `{ board: html\`…\`, recent: html\`…\` }` */
export type Regions = Record<string, SafeHtml>;

/**
 * A region's element: `<div id="…" data-region>` holding its current markup.
 *
 * @example
 * ```ts
 * html`<section>${region('board', regions)}</section>`;
 * ```
 */
export function region(id: string, regions: Regions, attributes: SafeHtml = html``): SafeHtml {
  return html`<div id="${id}" data-region${attributes}>${regions[id] ?? ''}</div>`;
}

/**
 * A region inside a line of text (a heading): `<span id="…" data-region>`.
 *
 * @example
 * ```ts
 * html`<h1>Execution ${inlineRegion('exec-status', regions)}</h1>`;
 * ```
 */
export function inlineRegion(id: string, regions: Regions, attributes: SafeHtml = html``): SafeHtml {
  return html`<span id="${id}" data-region${attributes}>${regions[id] ?? ''}</span>`;
}
