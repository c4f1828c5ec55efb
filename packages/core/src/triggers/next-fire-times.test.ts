import { describe, expect, it } from 'vitest';
import { ScheduleExpressionError } from '../errors.ts';
import { nextFireTimes } from './next-fire-times.ts';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString().replace('.000Z', 'Z'));

// Expected times are computed by hand from a calendar (2025-01-01 was a Wednesday).
describe('nextFireTimes', () => {
  it.each([
    ['cron(0 10 * * ? *)', '2025-01-01T10:00:00Z', ['2025-01-02T10:00:00Z', '2025-01-03T10:00:00Z']],
    ['cron(0 18 ? * MON-FRI *)', '2025-01-03T12:00:00Z', ['2025-01-03T18:00:00Z', '2025-01-06T18:00:00Z']],
    ['cron(0 8 1 * ? *)', '2025-01-15T00:00:00Z', ['2025-02-01T08:00:00Z', '2025-03-01T08:00:00Z']],
    ['cron(0/15 * * * ? *)', '2025-01-01T00:07:00Z', ['2025-01-01T00:15:00Z', '2025-01-01T00:30:00Z']],
    [
      'cron(0/5 8-17 ? * MON-FRI *)',
      '2025-01-03T17:52:00Z',
      ['2025-01-03T17:55:00Z', '2025-01-06T08:00:00Z'],
    ],
    ['cron(1/10 * * * ? *)', '2025-01-01T00:00:00Z', ['2025-01-01T00:01:00Z', '2025-01-01T00:11:00Z']],
    ['cron(0 9 ? * 2#1 *)', '2025-01-01T00:00:00Z', ['2025-01-06T09:00:00Z', '2025-02-03T09:00:00Z']],
    ['cron(0 9 ? * 1 *)', '2025-01-01T00:00:00Z', ['2025-01-05T09:00:00Z', '2025-01-12T09:00:00Z']],
    ['cron(0 9 ? * 7 *)', '2025-01-01T00:00:00Z', ['2025-01-04T09:00:00Z', '2025-01-11T09:00:00Z']],
    ['cron(0 9 ? * L *)', '2025-01-01T00:00:00Z', ['2025-01-04T09:00:00Z', '2025-01-11T09:00:00Z']],
    ['cron(0 9 ? * 6L *)', '2025-01-01T00:00:00Z', ['2025-01-31T09:00:00Z', '2025-02-28T09:00:00Z']],
    ['cron(0 9 L * ? *)', '2025-01-01T00:00:00Z', ['2025-01-31T09:00:00Z', '2025-02-28T09:00:00Z']],
    ['cron(0 9 LW * ? *)', '2025-05-01T00:00:00Z', ['2025-05-30T09:00:00Z', '2025-06-30T09:00:00Z']],
    ['cron(0 9 15W * ? *)', '2025-03-01T00:00:00Z', ['2025-03-14T09:00:00Z', '2025-04-15T09:00:00Z']],
    ['cron(0 0 1 JAN-MAR/2 ? *)', '2025-01-15T00:00:00Z', ['2025-03-01T00:00:00Z', '2026-01-01T00:00:00Z']],
    ['cron(0 9 1 1 ? 2026/2)', '2025-01-01T00:00:00Z', ['2026-01-01T09:00:00Z', '2028-01-01T09:00:00Z']],
  ])('fires %s after %s at %j', (expression, from, expected) => {
    expect(iso(nextFireTimes(expression, new Date(from), 2))).toEqual(expected);
  });

  it('stops at the last year of a bounded schedule', () => {
    expect(iso(nextFireTimes('cron(0 9 1 1 ? 2026-2027)', new Date('2025-06-01T00:00:00Z'), 5))).toEqual([
      '2026-01-01T09:00:00Z',
      '2027-01-01T09:00:00Z',
    ]);
  });

  it('evaluates cron in the given time zone', () => {
    expect(
      iso(nextFireTimes('cron(0 9 * * ? *)', new Date('2025-01-01T00:00:00Z'), 1, 'Europe/Berlin')),
    ).toEqual(['2025-01-01T08:00:00Z']);
    expect(
      iso(nextFireTimes('cron(0 9 * * ? *)', new Date('2025-07-01T00:00:00Z'), 1, 'Europe/Berlin')),
    ).toEqual(['2025-07-01T07:00:00Z']);
  });

  it('fires rates every interval after from', () => {
    expect(iso(nextFireTimes('rate(90 minutes)', new Date('2025-01-01T00:00:00Z'), 3))).toEqual([
      '2025-01-01T01:30:00Z',
      '2025-01-01T03:00:00Z',
      '2025-01-01T04:30:00Z',
    ]);
    expect(iso(nextFireTimes('rate(1 day)', new Date('2025-01-01T12:34:00Z'), 1))).toEqual([
      '2025-01-02T12:34:00Z',
    ]);
  });

  it('returns nothing for a count of zero', () => {
    expect(nextFireTimes('rate(1 day)', new Date('2025-01-01T00:00:00Z'), 0)).toEqual([]);
  });

  it('throws a ScheduleExpressionError for an invalid expression or time zone', () => {
    expect(() => nextFireTimes('cron(0 9 * * * *)', new Date(0), 1)).toThrow(ScheduleExpressionError);
    expect(() => nextFireTimes('cron(0 9 * * ? *)', new Date(0), 1, 'Mars/Olympus')).toThrow(/Mars\/Olympus/);
  });
});
