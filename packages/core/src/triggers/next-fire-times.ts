/**
 * When a schedule fires next. Time is an argument; nothing here reads the clock.
 */
import { Cron } from 'croner';
import { ScheduleExpressionError } from '../errors.ts';
import { type ParsedSchedule, parseScheduleExpression } from './schedule-expression.ts';

/**
 * The next `count` times a schedule fires strictly after `from`.
 *
 * - `cron(…)`: evaluated in `timezone` (IANA name, default UTC) through croner; at a DST gap a
 *   fixed-time schedule fires at the first valid time after the gap, and once when a time repeats.
 * - `rate(…)`: fires every interval after `from`, taken as the schedule's start (as EventBridge
 *   Scheduler counts from the schedule's creation); `timezone` does not matter.
 *
 * @throws {ScheduleExpressionError} when the expression or the timezone is invalid.
 * @example
 * ```ts
 * nextFireTimes('cron(0 9 ? * MON-FRI *)', new Date('2025-01-03T10:00:00Z'), 2);
 * // [2025-01-06T09:00:00Z, 2025-01-07T09:00:00Z]
 * ```
 */
export function nextFireTimes(
  expression: string | ParsedSchedule,
  from: Date,
  count: number,
  timezone?: string,
): Date[] {
  const parsed = typeof expression === 'string' ? parseScheduleExpression(expression) : expression;
  if (!parsed.ok) {
    throw new ScheduleExpressionError(typeof expression === 'string' ? expression : '', parsed.message);
  }
  if (count <= 0) return [];
  if (parsed.kind === 'rate') {
    const step = parsed.intervalMinutes * 60_000;
    return Array.from({ length: count }, (_, i) => new Date(from.getTime() + (i + 1) * step));
  }
  let cron: Cron;
  try {
    cron = new Cron(parsed.cronerPattern, {
      mode: '7-part',
      timezone: timezone ?? 'UTC',
      domAndDow: true,
      paused: true,
    });
  } catch (cause) {
    throw new ScheduleExpressionError(
      parsed.expression,
      `${parsed.expression}${timezone ? ` in time zone "${timezone}"` : ''} cannot be scheduled: ${cause instanceof Error ? cause.message : String(cause)}; check the time zone is an IANA name such as Europe/Berlin`,
      { cause },
    );
  }
  return cron.nextRuns(count, from);
}
