/**
 * What a live dashboard view gives the `LiveHub`: how to render its regions, what it
 * depends on, and a cheap marker of whether it changed.
 *
 * @example
 * ```ts
 * const source: LiveViewSource = { scope: { pipelines: new Set(['web-app']), executions: new Set() }, render };
 * ```
 */
/** What a live view depends on: pipelines (`*`: any) and executions whose appends make it dirty. @example `{ pipelines: new Set(['web-app']), executions: new Set() }` */
export interface LiveScope {
  pipelines: ReadonlySet<string>;
  executions: ReadonlySet<string>;
}

/** How a view key is rendered and what it depends on. @example `{ scope, render: async () => ({ board: '<div…>' }), version: async () => '17' }` */
export interface LiveViewSource {
  scope: LiveScope;
  render(): Promise<Record<string, string>>;
  /**
   * A cheap marker of what the view shows (stream versions, the newest execution): without a
   * change feed, a view whose marker did not move since its last render is not rendered again.
   * Absent: rendered on every interval.
   */
  version?(): Promise<string>;
}
