/**
 * Validation of EventBridge cron fields and their translation to a croner 7-part pattern
 * (`seconds minutes hours day-of-month month day-of-week year`, croner `mode: '7-part'`):
 *
 * - a `0` seconds field is prepended;
 * - `?` becomes `*` (croner reads `?` as "the value at start-up", not "any");
 * - day-of-week numbers are written as names, so EventBridge's 1 = SUN … 7 = SAT never meets
 *   croner's numbering: `2-6` → `MON-FRI`, `6L` → `FRIL`, `3#2` → `TUE#2`, and `L` alone (last
 *   day of the week) → `SAT`;
 * - month names become numbers (`JAN-MAR` → `1-3`);
 * - a step from a single value, `a/n`, becomes `a-max/n` (croner accepts only `*∕n` and `a-b/n`);
 * - `L`, `LW`, `nW` in day-of-month and `*`, lists, ranges, steps pass through.
 *
 * Day-of-month and day-of-week are combined with AND (`domAndDow`); as one of them is always
 * `*` after translation, this equals EventBridge's "the other one decides".
 */
import type { CronFields } from './schedule-expression.ts';

interface FieldSpec {
  label: string;
  min: number;
  max: number;
  step: boolean;
  names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const SPECS: Record<keyof CronFields, FieldSpec> = {
  minutes: { label: 'minutes', min: 0, max: 59, step: true },
  hours: { label: 'hours', min: 0, max: 23, step: true },
  dayOfMonth: { label: 'day-of-month', min: 1, max: 31, step: true },
  month: { label: 'month', min: 1, max: 12, step: true, names: MONTHS },
  dayOfWeek: { label: 'day-of-week', min: 1, max: 7, step: false, names: DAYS },
  year: { label: 'year', min: 1970, max: 2199, step: true },
};

type FieldResult = { ok: true; value: string } | { ok: false; message: string };

/** A value (number or name) of a field, as its number. */
function fieldNumber(spec: FieldSpec, text: string): number | string {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < spec.min || n > spec.max)
      return `${spec.label} value ${text} is out of range ${spec.min}-${spec.max}`;
    return n;
  }
  const i = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (i >= 0) return i + 1;
  const names = spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : '';
  return `"${text}" is not a valid ${spec.label} value; use ${spec.min}-${spec.max}${names}`;
}

/** Writes a field number for croner: day-of-week as a name, everything else as a number. */
function out(key: keyof CronFields, n: number): string {
  return key === 'dayOfWeek' ? (DAYS[n - 1] ?? String(n)) : String(n);
}

function translateItem(key: keyof CronFields, spec: FieldSpec, item: string): FieldResult {
  const fail = (message: string): FieldResult => ({
    ok: false,
    message: `${spec.label} "${item}": ${message}`,
  });
  const m = /^(\*|[A-Za-z]+|\d+)(?:-([A-Za-z]+|\d+))?(?:\/(\d+))?$/.exec(item);
  if (!m) {
    const allowed = key === 'dayOfMonth' ? ', - * ? / L W' : key === 'dayOfWeek' ? ', - * ? L #' : ', - * /';
    return fail(
      `not a valid value; ${spec.label} takes ${spec.min}-${spec.max}${spec.names ? ' or names' : ''} with ${allowed}`,
    );
  }
  const [, startText = '', endText, stepText] = m;
  if (stepText !== undefined) {
    if (!spec.step)
      return fail(`${spec.label} does not take increments (/); list the days instead, e.g. MON,WED,FRI`);
    const step = Number(stepText);
    if (step < 1 || step > spec.max - spec.min + 1) {
      return fail(`the increment must be 1-${spec.max - spec.min + 1}`);
    }
  }
  const suffix = stepText !== undefined ? `/${stepText}` : '';
  if (startText === '*') {
    if (endText !== undefined) return fail(`a range cannot start at *; write e.g. ${spec.min}-${spec.max}`);
    return { ok: true, value: `*${suffix}` };
  }
  const start = fieldNumber(spec, startText);
  if (typeof start === 'string') return { ok: false, message: start };
  if (endText === undefined) {
    if (stepText === undefined) return { ok: true, value: out(key, start) };
    return { ok: true, value: `${out(key, start)}-${out(key, spec.max)}${suffix}` };
  }
  const end = fieldNumber(spec, endText);
  if (typeof end === 'string') return { ok: false, message: end };
  if (end < start) return fail('the range runs backwards; write the smaller value first');
  return { ok: true, value: `${out(key, start)}-${out(key, end)}${suffix}` };
}

function translateSpecial(key: keyof CronFields, spec: FieldSpec, field: string): FieldResult | undefined {
  const alone = (token: string): FieldResult => ({
    ok: false,
    message: `${spec.label} "${field}": ${token} must be the only ${spec.label} expression`,
  });
  const parts = field.split(',');
  if (key === 'dayOfMonth') {
    const special = parts.find((p) => /^(L|LW|\d+W)$/i.test(p));
    if (special === undefined) return undefined;
    if (parts.length > 1) return alone(special);
    const up = special.toUpperCase();
    if (up === 'L' || up === 'LW') return { ok: true, value: up };
    const day = fieldNumber(spec, up.slice(0, -1));
    if (typeof day === 'string') return { ok: false, message: day };
    return { ok: true, value: `${day}W` };
  }
  if (key === 'dayOfWeek') {
    const hash = parts.find((p) => p.includes('#'));
    if (hash !== undefined) {
      if (parts.length > 1) return alone(`"${hash}" (with #)`);
      const m = /^([A-Za-z]+|\d+)#(\d+)$/.exec(hash);
      if (!m)
        return { ok: false, message: `day-of-week "${hash}": write day#n, e.g. 3#2 for the second Tuesday` };
      const day = fieldNumber(spec, m[1] ?? '');
      if (typeof day === 'string') return { ok: false, message: day };
      const nth = Number(m[2]);
      if (nth < 1 || nth > 5)
        return { ok: false, message: `day-of-week "${hash}": the occurrence after # must be 1-5` };
      return { ok: true, value: `${out(key, day)}#${nth}` };
    }
    const last = parts.find((p) => /L$/i.test(p) && !/^[A-Za-z]{3}$/.test(p));
    if (last === undefined) return undefined;
    if (parts.length > 1) return alone(`"${last}"`);
    if (last.toUpperCase() === 'L') return { ok: true, value: 'SAT' };
    const day = fieldNumber(spec, last.slice(0, -1));
    if (typeof day === 'string') return { ok: false, message: day };
    return { ok: true, value: `${out(key, day)}L` };
  }
  return undefined;
}

function translateField(key: keyof CronFields, field: string): FieldResult {
  const spec = SPECS[key];
  if (field === '?') {
    if (key === 'dayOfMonth' || key === 'dayOfWeek') return { ok: true, value: '*' };
    return { ok: false, message: `${spec.label} cannot be '?'; only day-of-month and day-of-week take '?'` };
  }
  const special = translateSpecial(key, spec, field);
  if (special) return special;
  const items: string[] = [];
  for (const item of field.split(',')) {
    if (item === '') return { ok: false, message: `${spec.label} "${field}": a list has an empty item` };
    if (item === '?') return { ok: false, message: `${spec.label} "${field}": '?' must stand alone` };
    const r = translateItem(key, spec, item);
    if (!r.ok) return r;
    items.push(r.value);
  }
  return { ok: true, value: items.join(',') };
}

/**
 * Validates the six EventBridge cron fields and writes the equivalent croner 7-part pattern.
 *
 * @example
 * ```ts
 * cronerPattern({ minutes: '0/15', hours: '8-17', dayOfMonth: '?', month: '*', dayOfWeek: '2-6', year: '*' });
 * // { ok: true, pattern: '0 0-59/15 8-17 * * MON-FRI *' }
 * ```
 */
export function cronerPattern(
  fields: CronFields,
): { ok: true; pattern: string } | { ok: false; message: string } {
  const out: string[] = ['0'];
  for (const key of ['minutes', 'hours', 'dayOfMonth', 'month', 'dayOfWeek', 'year'] as const) {
    const r = translateField(key, fields[key]);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return { ok: true, pattern: out.join(' ') };
}
