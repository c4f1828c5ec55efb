/**
 * How the reading commands mark a status: an icon and a color per CodePipeline status word.
 *
 * @example
 * ```ts
 * const c = palette(io.stdout, io.env);
 * `${statusIcon('Failed', c)} Build ${statusText('Failed', c)}`; // '✘ Build Failed' (in red on a terminal)
 * ```
 */
import type { palette } from '../io.ts';

/** The colors of a stream, as `palette` returns them. @example `const c: Colors = palette(io.stdout, io.env);` */
export type Colors = ReturnType<typeof palette>;

function paint(status: string, c: Colors): (text: string) => string {
  switch (status) {
    case 'Succeeded':
    case 'Approved':
      return c.green;
    case 'Failed':
    case 'Rejected':
    case 'Expired':
      return c.red;
    case 'InProgress':
    case 'Stopping':
    case 'Pending':
      return c.yellow;
    default:
      return c.dim;
  }
}

const ICONS: Record<string, string> = {
  Succeeded: '✔',
  Approved: '✔',
  Failed: '✘',
  Rejected: '✘',
  Expired: '✘',
  InProgress: '▸',
  Pending: '⏸',
  Stopping: '■',
  Stopped: '■',
  Cancelled: '■',
  Abandoned: '■',
  Superseded: '■',
  Skipped: '↷',
  NotStarted: '·',
};

/**
 * The status word in its color.
 *
 * @example
 * ```ts
 * statusText('Succeeded', c); // 'Succeeded' (green on a terminal)
 * ```
 */
export function statusText(status: string, c: Colors): string {
  return paint(status, c)(status);
}

/**
 * The one-character icon of a status, in its color.
 *
 * @example
 * ```ts
 * statusIcon('NotStarted', c); // '·'
 * ```
 */
export function statusIcon(status: string, c: Colors): string {
  return paint(status, c)(ICONS[status] ?? '?');
}
