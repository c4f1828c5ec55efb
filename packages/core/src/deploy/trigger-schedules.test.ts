import { describe, expect, it } from 'vitest';
import { ScheduleExpressionError } from '../errors.ts';
import { action, NAMES, pipeline } from './deploy.test-helper.ts';
import type { TriggerInvocation } from './trigger-rules.ts';
import { SCHEDULED_TIME, triggerSchedules } from './trigger-schedules.ts';

const stages = [{ name: 'A', actions: [action('Go', 'Approval', 'Manual')] }];

describe('triggerSchedules', () => {
  it('writes each Schedule trigger as Scheduler writes it, with its time zone and the trigger function’s input', () => {
    // Prepare
    const p = pipeline('nightly', stages, {
      triggers: [
        { providerType: 'EventPattern', eventPattern: { pattern: { source: ['x'] } } },
        {
          providerType: 'Schedule',
          schedule: { expression: ' cron(0 2 ? * MON-FRI *) ', timezone: 'Europe/Paris' },
        },
        { providerType: 'Schedule', schedule: { expression: 'rate(15 minutes)' } },
      ],
    });
    // Act
    const schedules = triggerSchedules(p, NAMES);
    // Assess
    expect(schedules.map(({ input, ...s }) => s)).toEqual([
      {
        name: 'pipewright-prod-nightly-schedule-2',
        description: 'Starts pipeline nightly (trigger 2: cron(0 2 ? * MON-FRI *) Europe/Paris)',
        scheduleExpression: 'cron(0 2 ? * MON-FRI *)',
        scheduleExpressionTimezone: 'Europe/Paris',
        triggerIndex: 1,
      },
      {
        name: 'pipewright-prod-nightly-schedule-3',
        description: 'Starts pipeline nightly (trigger 3: rate(15 minutes) UTC)',
        scheduleExpression: 'rate(15 minutes)',
        scheduleExpressionTimezone: 'UTC',
        triggerIndex: 2,
      },
    ]);
    const input = JSON.parse(schedules[0]?.input ?? '{}') as TriggerInvocation;
    expect(input).toEqual({
      kind: 'schedule',
      pipeline: 'nightly',
      triggerIndex: 1,
      expression: 'cron(0 2 ? * MON-FRI *)',
      timezone: 'Europe/Paris',
      scheduledTime: SCHEDULED_TIME,
    });
    expect(schedules[0]?.input).toContain('"scheduledTime":"<aws.scheduler.scheduled-time>"');
  });

  it('refuses an expression validation would have rejected, naming the trigger', () => {
    const p = pipeline('bad', stages, {
      triggers: [{ providerType: 'Schedule', schedule: { expression: 'cron(0 9 * * *)' } }],
    });
    expect(() => triggerSchedules(p, NAMES)).toThrow(ScheduleExpressionError);
    expect(() => triggerSchedules(p, NAMES)).toThrow(
      /pipeline bad, trigger 1: cron\(0 9 \* \* \*\): a cron expression has 6 fields/,
    );
  });
});
