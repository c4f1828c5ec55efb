import { describe, expect, it } from 'vitest';
import { parseScheduleExpression } from './schedule-expression.ts';

function message(expression: string): string {
  const r = parseScheduleExpression(expression);
  if (r.ok) throw new Error(`expected ${expression} to be rejected`);
  return r.message;
}

describe('parseScheduleExpression', () => {
  it('parses rate expressions with singular and plural units', () => {
    expect(parseScheduleExpression('rate(1 minute)')).toEqual({
      ok: true,
      kind: 'rate',
      expression: 'rate(1 minute)',
      value: 1,
      unit: 'minute',
      intervalMinutes: 1,
    });
    expect(parseScheduleExpression('rate(12 hours)')).toMatchObject({ unit: 'hour', intervalMinutes: 720 });
    expect(parseScheduleExpression(' rate(2 days) ')).toMatchObject({ unit: 'day', intervalMinutes: 2880 });
  });

  it.each([
    ['rate(1 minutes)', 'with the value 1 the unit is singular: rate(1 minute)'],
    ['rate(5 minute)', 'with a value above 1 the unit is plural: rate(5 minutes)'],
    ['rate(0 minutes)', 'must be a positive whole number'],
    ['rate(five minutes)', 'must be a positive whole number'],
    ['rate(1.5 hours)', 'must be a positive whole number'],
    ['rate(2 weeks)', 'unknown unit "weeks"; use minute(s), hour(s) or day(s)'],
    ['rate(5)', 'a rate needs a value and a unit'],
    ['rate()', 'a rate needs a value and a unit'],
  ])('rejects %s', (expression, fragment) => {
    expect(message(expression)).toContain(fragment);
  });

  // The examples of the EventBridge user guide, "Cron expressions reference"
  // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html).
  it.each([
    ['cron(0 10 * * ? *)', '0 0 10 * * * *'],
    ['cron(15 12 * * ? *)', '0 15 12 * * * *'],
    ['cron(0 18 ? * MON-FRI *)', '0 0 18 * * MON-FRI *'],
    ['cron(0 8 1 * ? *)', '0 0 8 1 * * *'],
    ['cron(0/15 * * * ? *)', '0 0-59/15 * * * * *'],
    ['cron(0/10 * ? * MON-FRI *)', '0 0-59/10 * * * MON-FRI *'],
    ['cron(0/5 8-17 ? * MON-FRI *)', '0 0-59/5 8-17 * * MON-FRI *'],
    ['cron(0 9 ? * 2#1 *)', '0 0 9 * * MON#1 *'],
    ['cron(1/10 * * * ? *)', '0 1-59/10 * * * * *'],
  ])('parses the documented example %s', (expression, pattern) => {
    expect(parseScheduleExpression(expression)).toMatchObject({
      ok: true,
      kind: 'cron',
      cronerPattern: pattern,
    });
  });

  it.each([
    ['cron(0 9 ? * 1 *)', '0 0 9 * * SUN *'],
    ['cron(0 9 ? * 7 *)', '0 0 9 * * SAT *'],
    ['cron(0 9 ? * 2-6 *)', '0 0 9 * * MON-FRI *'],
    ['cron(0 9 ? * 1,7 *)', '0 0 9 * * SUN,SAT *'],
    ['cron(0 9 ? * mon-fri *)', '0 0 9 * * MON-FRI *'],
    ['cron(0 9 ? * L *)', '0 0 9 * * SAT *'],
    ['cron(0 9 ? * 6L *)', '0 0 9 * * FRIL *'],
    ['cron(0 9 ? * FRIL *)', '0 0 9 * * FRIL *'],
    ['cron(0 9 ? * FRI#3 *)', '0 0 9 * * FRI#3 *'],
    ['cron(0 9 L * ? *)', '0 0 9 L * * *'],
    ['cron(0 9 LW * ? *)', '0 0 9 LW * * *'],
    ['cron(0 9 15W * ? *)', '0 0 9 15W * * *'],
    ['cron(0 9 1 JAN-MAR/2 ? *)', '0 0 9 1 1-3/2 * *'],
    ['cron(0 9 1 jan,Dec ? *)', '0 0 9 1 1,12 * *'],
    ['cron(0 9 1 1 ? 2026/2)', '0 0 9 1 1 * 2026-2199/2'],
    ['cron(0 9 1 1 ? 2026-2027)', '0 0 9 1 1 * 2026-2027'],
    ['cron(*/30 */2 1-15/3 * ? *)', '0 */30 */2 1-15/3 * * *'],
    ['cron(0   9 * * ?   *)', '0 0 9 * * * *'],
  ])('translates %s to croner %s', (expression, pattern) => {
    expect(parseScheduleExpression(expression)).toMatchObject({ ok: true, cronerPattern: pattern });
  });

  it('keeps the fields as written', () => {
    expect(parseScheduleExpression('cron(0 9 ? * MON-FRI *)')).toMatchObject({
      fields: { minutes: '0', hours: '9', dayOfMonth: '?', month: '*', dayOfWeek: 'MON-FRI', year: '*' },
    });
  });

  it('explains that day-of-month and day-of-week cannot both be *', () => {
    expect(message('cron(0 9 * * * *)')).toBe(
      "cron(0 9 * * * *): day-of-month and day-of-week cannot both be '*'; use '?' in one of them, e.g. cron(0 9 * * ? *)",
    );
  });

  it.each([
    ['cron(0 9 ? * ? *)', "cannot both be '?'; use '?' in one of them only, e.g. cron(0 9 * * ? *)"],
    ['cron(0 9 1 * MON *)', "cannot both be given; use '?' in one of them, e.g. cron(0 9 ? * MON *)"],
    ['cron(0 9 1 * * *)', "cannot both be given; use '?' in one of them, e.g. cron(0 9 1 * ? *)"],
    ['cron(0 9 * * ?)', 'has 6 fields (minutes hours day-of-month month day-of-week year), found 5'],
    ['cron(0 9 * * ?)', 'add the year field, usually *'],
    ['cron(60 9 * * ? *)', 'minutes value 60 is out of range 0-59'],
    ['cron(0 24 * * ? *)', 'hours value 24 is out of range 0-23'],
    ['cron(0 9 0 * ? *)', 'day-of-month value 0 is out of range 1-31'],
    ['cron(0 9 ? 13 MON *)', 'month value 13 is out of range 1-12'],
    ['cron(0 9 ? * 8 *)', 'day-of-week value 8 is out of range 1-7'],
    ['cron(0 9 ? * 0 *)', 'day-of-week value 0 is out of range 1-7'],
    ['cron(0 9 * * ? 1969)', 'year value 1969 is out of range 1970-2199'],
    ['cron(0 9 ? * FUN *)', '"FUN" is not a valid day-of-week value; use 1-7 or SUN-SAT'],
    ['cron(0 9 ? * 3#1,6#3 *)', 'must be the only day-of-week expression'],
    ['cron(0 9 ? * 3#6 *)', 'the occurrence after # must be 1-5'],
    ['cron(0 9 ? * 1/2 *)', 'day-of-week does not take increments'],
    ['cron(0 ? * * ? *)', "hours cannot be '?'"],
    ['cron(0 9 20-10 * ? *)', 'the range runs backwards'],
    ['cron(0/0 9 * * ? *)', 'the increment must be 1-60'],
    ['cron(0 9 15W,20 * ? *)', '15W must be the only day-of-month expression'],
    ['cron(0 9 32W * ? *)', 'day-of-month value 32 is out of range'],
    ['cron(0 9 1,,2 * ? *)', 'a list has an empty item'],
    ['cron(0 9 1 * ? *-2)', 'a range cannot start at *'],
    ['cron(0 9 1W-3 * ? *)', 'day-of-month "1W-3": not a valid value'],
    ['at(2025-01-01T00:00:00)', 'one-time at(…) schedules are not supported'],
    ['every day', 'is not a schedule expression'],
    ['cron(0 9 * * ? *', 'is not a schedule expression'],
  ])('rejects %s', (expression, fragment) => {
    expect(message(expression)).toContain(fragment);
  });
});
