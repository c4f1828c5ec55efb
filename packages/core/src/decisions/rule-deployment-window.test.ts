import { describe, expect, it } from 'vitest';
import { evaluateDeploymentWindow } from './rule-deployment-window.ts';

// 2026-01-05 is a Monday.
const WEEKDAY_HOURS = { Cron: '* * 9-17 ? * MON-FRI *' };

describe('evaluateDeploymentWindow', () => {
  it('passes inside the window and fails outside it (UTC by default)', () => {
    expect(evaluateDeploymentWindow(WEEKDAY_HOURS, '2026-01-05T09:00:00.000Z')).toEqual({
      status: 'Succeeded',
      summary: '2026-01-05T09:00:00.000Z is inside the deployment window * * 9-17 ? * MON-FRI * (UTC)',
    });
    expect(evaluateDeploymentWindow(WEEKDAY_HOURS, '2026-01-05T17:59:59.000Z').status).toBe('Succeeded');
    expect(evaluateDeploymentWindow(WEEKDAY_HOURS, '2026-01-05T18:00:00.000Z').status).toBe('Failed');
    expect(evaluateDeploymentWindow(WEEKDAY_HOURS, '2026-01-05T08:59:59.999Z').status).toBe('Failed');
    expect(evaluateDeploymentWindow(WEEKDAY_HOURS, '2026-01-04T12:00:00.000Z').status).toBe('Failed');
  });

  it('reads the window in its time zone', () => {
    // Prepare: 08:30 UTC is 09:30 in Berlin (CET, UTC+1) and 03:30 in New York.
    const at = '2026-01-05T08:30:00.000Z';
    // Act
    const berlin = evaluateDeploymentWindow({ ...WEEKDAY_HOURS, TimeZone: 'Europe/Berlin' }, at);
    const newYork = evaluateDeploymentWindow({ ...WEEKDAY_HOURS, TimeZone: 'America/New_York' }, at);
    // Assess
    expect(berlin.status).toBe('Succeeded');
    expect(newYork.status).toBe('Failed');
    expect(newYork.summary).toContain('(America/New_York)');
  });

  it('takes the six fields without a year', () => {
    expect(evaluateDeploymentWindow({ Cron: '* 0-29 * ? * *' }, '2026-01-05T10:15:00.000Z').status).toBe(
      'Succeeded',
    );
    expect(evaluateDeploymentWindow({ Cron: '* 0-29 * ? * *' }, '2026-01-05T10:45:00.000Z').status).toBe(
      'Failed',
    );
  });

  it('reports an error for an expression or time zone it cannot use', () => {
    const at = '2026-01-05T10:00:00.000Z';
    expect(evaluateDeploymentWindow({}, at).status).toBe('Errored');
    expect(evaluateDeploymentWindow({ Cron: '0 * 9-17 ? * MON-FRI *' }, at).summary).toContain(
      'the seconds field only takes *',
    );
    expect(evaluateDeploymentWindow({ Cron: '* * 9-17 * *' }, at).summary).toContain('has 5 fields');
    expect(evaluateDeploymentWindow({ Cron: '* * 9-17 * * MON-FRI *' }, at).summary).toContain("use '?'");
    expect(evaluateDeploymentWindow({ ...WEEKDAY_HOURS, TimeZone: 'Mars/Olympus' }, at)).toMatchObject({
      status: 'Errored',
      summary: expect.stringContaining('IANA name'),
    });
  });
});
