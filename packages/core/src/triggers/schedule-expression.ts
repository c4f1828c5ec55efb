/**
 * EventBridge schedule expressions (`eb-cron-expressions.html`, `eb-rate-expressions.html`):
 *
 * - `rate(value unit)` — value a positive integer; unit `minute|minutes|hour|hours|day|days`,
 *   singular exactly when the value is 1;
 * - `cron(minutes hours day-of-month month day-of-week year)` — six fields:
 *
 * | field        | values            | wildcards     |
 * |--------------|-------------------|---------------|
 * | minutes      | 0-59              | , - * /       |
 * | hours        | 0-23              | , - * /       |
 * | day-of-month | 1-31              | , - * ? / L W |
 * | month        | 1-12 or JAN-DEC   | , - * /       |
 * | day-of-week  | 1-7 or SUN-SAT    | , - * ? L #   |
 * | year         | 1970-2199         | , - * /       |
 *
 * Exactly one of day-of-month and day-of-week is `?`. Day-of-week counts from 1 = SUN.
 * `L` alone is the last day of the month (day-of-month) or of the week, i.e. SAT
 * (day-of-week); `6L` is the last Friday of the month; `3W` the weekday nearest the 3rd; `LW`
 * the last weekday; `3#2` the second Tuesday (and must be the only day-of-week expression).
 * `a/n` starts at `a` and steps by `n` up to the field's maximum.
 */
import { cronerPattern } from './cron-translate.ts';

/** A parsed `rate(…)` expression. */
export interface RateSchedule {
  ok: true;
  kind: 'rate';
  expression: string;
  value: number;
  unit: 'minute' | 'hour' | 'day';
  /** The interval in minutes. */
  intervalMinutes: number;
}

/** The six fields of a parsed `cron(…)` expression, as written (trimmed). */
export interface CronFields {
  minutes: string;
  hours: string;
  dayOfMonth: string;
  month: string;
  dayOfWeek: string;
  year: string;
}

/** A parsed `cron(…)` expression. */
export interface CronSchedule {
  ok: true;
  kind: 'cron';
  expression: string;
  fields: CronFields;
  /** The equivalent 7-part croner pattern (`seconds minutes hours dom month dow year`); see `cron-translate.ts`. */
  cronerPattern: string;
}

/** Result of {@link parseScheduleExpression}. */
export type ParsedSchedule = RateSchedule | CronSchedule | { ok: false; message: string };

const UNITS = { minute: 1, hour: 60, day: 1440 } as const;
type Unit = keyof typeof UNITS;

function parseRate(expression: string, inner: string): ParsedSchedule {
  const fail = (what: string): ParsedSchedule => ({ ok: false, message: `${expression}: ${what}` });
  const parts = inner.trim().split(/\s+/);
  if (parts.length !== 2 || parts[0] === '') {
    return fail('a rate needs a value and a unit, e.g. rate(5 minutes) or rate(1 day)');
  }
  const [valueText = '', unitText = ''] = parts;
  if (!/^\d+$/.test(valueText) || Number(valueText) < 1) {
    return fail(`the value "${valueText}" must be a positive whole number, e.g. rate(5 minutes)`);
  }
  const value = Number(valueText);
  const singular = unitText.endsWith('s') ? unitText.slice(0, -1) : unitText;
  if (!Object.hasOwn(UNITS, singular)) {
    return fail(
      `unknown unit "${unitText}"; use minute(s), hour(s) or day(s), e.g. rate(${value} ${value === 1 ? 'hour' : 'hours'})`,
    );
  }
  const unit = singular as Unit;
  if (value === 1 && unitText !== unit) return fail(`with the value 1 the unit is singular: rate(1 ${unit})`);
  if (value > 1 && unitText === unit)
    return fail(`with a value above 1 the unit is plural: rate(${value} ${unit}s)`);
  return { ok: true, kind: 'rate', expression, value, unit, intervalMinutes: value * UNITS[unit] };
}

function parseCron(expression: string, inner: string): ParsedSchedule {
  const fail = (what: string): ParsedSchedule => ({ ok: false, message: `${expression}: ${what}` });
  const parts = inner.trim().split(/\s+/).filter(Boolean);
  if (parts.length !== 6) {
    return fail(
      `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), found ${parts.length}; e.g. cron(0 9 ? * MON-FRI *)${parts.length === 5 ? ' — add the year field, usually *' : ''}`,
    );
  }
  const [minutes = '', hours = '', dayOfMonth = '', month = '', dayOfWeek = '', year = ''] = parts;
  const fields: CronFields = { minutes, hours, dayOfMonth, month, dayOfWeek, year };
  const suggest = (dom: string, dow: string) => `cron(${[minutes, hours, dom, month, dow, year].join(' ')})`;
  if (dayOfMonth === '?' && dayOfWeek === '?') {
    return fail(
      `day-of-month and day-of-week cannot both be '?'; use '?' in one of them only, e.g. ${suggest('*', '?')}`,
    );
  }
  if (dayOfMonth !== '?' && dayOfWeek !== '?') {
    if (dayOfMonth === '*' && dayOfWeek === '*') {
      return fail(
        `day-of-month and day-of-week cannot both be '*'; use '?' in one of them, e.g. ${suggest('*', '?')}`,
      );
    }
    const fix = dayOfWeek === '*' ? suggest(dayOfMonth, '?') : suggest('?', dayOfWeek);
    return fail(`day-of-month and day-of-week cannot both be given; use '?' in one of them, e.g. ${fix}`);
  }
  const translated = cronerPattern(fields);
  if (!translated.ok) return fail(translated.message);
  return { ok: true, kind: 'cron', expression, fields, cronerPattern: translated.pattern };
}

/**
 * Parses an EventBridge schedule expression, `rate(…)` or `cron(…)`, reporting what is wrong
 * and how to write it instead.
 *
 * @example
 * ```ts
 * parseScheduleExpression('rate(5 minutes)');
 * // { ok: true, kind: 'rate', expression: 'rate(5 minutes)', value: 5, unit: 'minute', intervalMinutes: 5 }
 * parseScheduleExpression('cron(0 9 * * * *)');
 * // { ok: false, message: "cron(0 9 * * * *): day-of-month and day-of-week cannot both be '*'; use '?' in one of them, e.g. cron(0 9 * * ? *)" }
 * ```
 */
export function parseScheduleExpression(expression: string): ParsedSchedule {
  const text = expression.trim();
  const m = /^(rate|cron|at)\((.*)\)$/s.exec(text);
  if (!m) {
    return {
      ok: false,
      message: `"${expression}" is not a schedule expression; write rate(value unit), e.g. rate(1 hour), or cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 9 ? * MON-FRI *)`,
    };
  }
  const [, kind = '', inner = ''] = m;
  if (kind === 'rate') return parseRate(text, inner);
  if (kind === 'cron') return parseCron(text, inner);
  return {
    ok: false,
    message: `${text}: one-time at(…) schedules are not supported for pipeline triggers; use cron(…) or rate(…), or start the pipeline manually`,
  };
}
