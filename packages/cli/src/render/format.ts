/**
 * Small text formatters shared by the reading commands (`executions`, `show`, `events`):
 * durations, sizes, hashes, first lines, aligned columns.
 *
 * @example
 * ```ts
 * formatDuration(61_500); // '1m 1.5s'
 * ```
 */

/**
 * A duration in milliseconds as people read it: `850ms`, `4.2s`, `3m 07s`, `1h 02m`.
 *
 * @example
 * ```ts
 * formatDuration(4200); // '4.2s'
 * ```
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Milliseconds between two ISO times; `undefined` when either is missing or unreadable.
 *
 * @example
 * ```ts
 * durationMs('2026-01-01T00:00:00Z', '2026-01-01T00:00:02Z'); // 2000
 * ```
 */
export function durationMs(startedAt: string | undefined, endedAt: string | undefined): number | undefined {
  if (startedAt === undefined || endedAt === undefined) return undefined;
  const ms = Date.parse(endedAt) - Date.parse(startedAt);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * How long something took, or `not ended` when it has no end (still running, or its process
 * was killed before it could record one).
 *
 * @example
 * ```ts
 * tookText('2026-01-01T00:00:00Z', undefined); // 'not ended'
 * ```
 */
export function tookText(startedAt: string | undefined, endedAt: string | undefined): string {
  if (startedAt === undefined) return '';
  const ms = durationMs(startedAt, endedAt);
  return ms === undefined ? 'not ended' : formatDuration(ms);
}

/**
 * A byte count with a binary unit: `512 B`, `7.7 KiB`, `3.0 MiB`.
 *
 * @example
 * ```ts
 * formatBytes(7902); // '7.7 KiB'
 * ```
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * The first 12 hex digits of a sha256, as listings show it.
 *
 * @example
 * ```ts
 * shortSha('cc46f4c8bca04599113b539b…'); // 'cc46f4c8bca0'
 * ```
 */
export function shortSha(sha256: string): string {
  return sha256.slice(0, 12);
}

/**
 * The first line of a text, cut to `max` characters with an ellipsis.
 *
 * @example
 * ```ts
 * firstLine('exited with code 1\n  at …'); // 'exited with code 1'
 * ```
 */
export function firstLine(text: string, max = 200): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * A short commit id: the first 7 characters of a 40-digit git sha, any other revision as is.
 *
 * @example
 * ```ts
 * shortRevision('af9130ab4e987ddcf8c25d36286567adf85ada34'); // 'af9130a'
 * ```
 */
export function shortRevision(revisionId: string): string {
  return /^[0-9a-f]{40}$/.test(revisionId) ? revisionId.slice(0, 7) : revisionId;
}

/**
 * An error message without its `[PWxxxx] ` code prefix, as the CLI prints errors.
 *
 * @example
 * ```ts
 * withoutCode('[PW3002] no execution x'); // 'no execution x'
 * ```
 */
export function withoutCode(message: string): string {
  return message.replace(/^\[PW\d+\] /, '');
}

/**
 * Rows of cells as aligned columns (two spaces apart, the last column not padded); color
 * codes in cells do not count toward their width.
 *
 * @example
 * ```ts
 * columns([['ID', 'STATUS'], ['7f0c', 'Succeeded']]); // ['ID    STATUS', '7f0c  Succeeded']
 * ```
 */
export function columns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell));
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) =>
        i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleWidth(cell)),
      )
      .join('  ')
      .trimEnd(),
  );
}

/** Printed width of a cell: its length without ANSI color codes. */
function visibleWidth(cell: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the palette's color codes
  return cell.replace(/\x1b\[\d+m/g, '').length;
}
