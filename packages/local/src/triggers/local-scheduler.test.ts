import type { Pipeline, ScheduleDelivery, Trigger } from '@pipewright/core';
import { describe, expect, it } from 'vitest';
import { LocalScheduler, nextTick, scheduleTriggerId } from './local-scheduler.ts';

function pipeline(name: string, triggers: Trigger[]): Pipeline {
  return { name, executionMode: 'QUEUED', pipelineType: 'V2', variables: [], triggers, stages: [] };
}

const schedule = (expression: string, timezone?: string): Trigger => ({
  providerType: 'Schedule',
  schedule: { expression, ...(timezone ? { timezone } : {}) },
});

/** A clock and timers the test moves by hand. */
function fakeTime(start: string) {
  let now = new Date(start).getTime();
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => new Date(now),
    setTimer: (fn: () => void, ms: number) => {
      timers.set(++seq, { at: now + ms, fn });
      return seq;
    },
    clearTimer: (handle: unknown) => {
      timers.delete(handle as number);
    },
    pending: () => timers.size,
    /** Moves the clock without firing timers (a process that slept). */
    jump(to: string) {
      now = new Date(to).getTime();
    },
    /** Moves the clock to `to`, firing due timers in order. */
    advance(to: string) {
      const target = new Date(to).getTime();
      for (;;) {
        const due = [...timers.entries()]
          .filter(([, t]) => t.at <= target)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (due === undefined) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
      }
      now = target;
    },
  };
}

function recorder() {
  const delivered: { pipeline: string; delivery: ScheduleDelivery }[] = [];
  return {
    delivered,
    deliver: async (pipeline: string, delivery: ScheduleDelivery) => {
      delivered.push({ pipeline, delivery });
    },
  };
}

describe('nextTick', () => {
  it('aligns rates to multiples of the interval since the epoch', () => {
    expect(nextTick('rate(1 hour)', new Date('2026-01-02T03:04:05Z')).toISOString()).toBe(
      '2026-01-02T04:00:00.000Z',
    );
    expect(nextTick('rate(15 minutes)', new Date('2026-01-02T03:15:00Z')).toISOString()).toBe(
      '2026-01-02T03:30:00.000Z',
    );
  });

  it('evaluates cron expressions in the time zone', () => {
    // 09:00 in Berlin is 08:00 UTC in winter
    expect(
      nextTick('cron(0 9 ? * MON-FRI *)', new Date('2026-01-02T10:00:00Z'), 'Europe/Berlin').toISOString(),
    ).toBe('2026-01-05T08:00:00.000Z');
  });
});

describe('scheduleTriggerId', () => {
  it('names the pipeline, the expression and the tick time', () => {
    expect(scheduleTriggerId('web-app', 'rate(1 hour)', new Date('2026-01-02T04:00:00Z'))).toBe(
      'web-app:rate(1 hour):2026-01-02T04:00:00.000Z',
    );
  });
});

describe('LocalScheduler', () => {
  it('fires each schedule at its times with a tick id', () => {
    // Prepare
    const time = fakeTime('2026-01-02T03:04:05Z');
    const r = recorder();
    const scheduler = new LocalScheduler({ deliver: r.deliver, ...time });
    scheduler.schedule([
      pipeline('web-app', [schedule('rate(1 hour)')]),
      pipeline('nightly', [schedule('cron(30 2 * * ? *)', 'Europe/Berlin')]),
    ]);

    // Act
    time.advance('2026-01-03T06:00:00Z');

    // Assess
    const ids = r.delivered.map((d) => d.delivery.triggerId);
    expect(ids.filter((id) => id.startsWith('web-app:'))).toHaveLength(27);
    expect(ids[0]).toBe('web-app:rate(1 hour):2026-01-02T04:00:00.000Z');
    expect(r.delivered.filter((d) => d.pipeline === 'nightly')).toEqual([
      {
        pipeline: 'nightly',
        delivery: {
          kind: 'schedule',
          triggerId: 'nightly:cron(30 2 * * ? *):2026-01-03T01:30:00.000Z',
          at: '2026-01-03T01:30:00.000Z',
          expression: 'cron(30 2 * * ? *)',
          timezone: 'Europe/Berlin',
        },
      },
    ]);
    expect(scheduler.scheduled().map((s) => s.next.toISOString())).toEqual([
      '2026-01-03T07:00:00.000Z',
      '2026-01-04T01:30:00.000Z',
    ]);
  });

  it('does not catch up ticks missed while the process slept', () => {
    // Prepare
    const time = fakeTime('2026-01-02T03:04:05Z');
    const r = recorder();
    const scheduler = new LocalScheduler({ deliver: r.deliver, ...time });
    scheduler.schedule([pipeline('web-app', [schedule('rate(1 minute)')])]);

    // Act: the clock jumps ten minutes before the first timer fires
    time.jump('2026-01-02T03:14:30Z');
    time.advance('2026-01-02T03:15:00Z');

    // Assess: the late tick, then the next one from now
    expect(r.delivered.map((d) => d.delivery.at)).toEqual([
      '2026-01-02T03:05:00.000Z',
      '2026-01-02T03:15:00.000Z',
    ]);
  });

  it('delivers a tick on demand', async () => {
    const r = recorder();
    const scheduler = new LocalScheduler({
      deliver: r.deliver,
      setTimer: () => 0,
      clearTimer: () => undefined,
    });
    await scheduler.tick('web-app', 'rate(5 minutes)', new Date('2026-01-02T03:05:00Z'));
    expect(r.delivered[0]?.delivery).toEqual({
      kind: 'schedule',
      triggerId: 'web-app:rate(5 minutes):2026-01-02T03:05:00.000Z',
      at: '2026-01-02T03:05:00.000Z',
      expression: 'rate(5 minutes)',
    });
  });

  it('cancels every timer on stop and on a new schedule', () => {
    const time = fakeTime('2026-01-02T03:04:05Z');
    const r = recorder();
    const scheduler = new LocalScheduler({ deliver: r.deliver, ...time });
    scheduler.schedule([pipeline('a', [schedule('rate(1 minute)'), schedule('rate(2 minutes)')])]);
    scheduler.schedule([pipeline('a', [schedule('rate(1 minute)')])]);
    expect(time.pending()).toBe(1);
    scheduler.stop();
    expect(time.pending()).toBe(0);
    time.advance('2026-01-02T04:00:00Z');
    expect(r.delivered).toHaveLength(0);
  });

  it('reports a schedule it cannot compute and keeps the others', () => {
    const time = fakeTime('2026-01-02T03:04:05Z');
    const errors: string[] = [];
    const scheduler = new LocalScheduler({
      deliver: async () => undefined,
      ...time,
      onError: (_e, where) => errors.push(`${where.pipeline} ${where.expression}`),
    });
    scheduler.schedule([
      pipeline('a', [schedule('cron(0 9 ? * MON-FRI *)', 'Mars/Olympus'), schedule('rate(1 day)')]),
    ]);
    expect(errors).toEqual(['a cron(0 9 ? * MON-FRI *)']);
    expect(scheduler.scheduled()).toHaveLength(1);
  });
});
