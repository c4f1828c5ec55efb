/**
 * CodePipeline's `DeploymentWindow` rule (rule-reference-DeploymentWindow): the stage may go
 * on only while the current time lies in the window the `Cron` expression describes, read in
 * `TimeZone` (an IANA name, default UTC). The window is every minute the expression matches
 * (minute granularity: seconds are ignored).
 *
 * `Cron` has CodePipeline's 6 required fields and an optional year:
 * `seconds minutes hours day-of-month month day-of-week [year]`. The seconds field only takes
 * `*`; the others are EventBridge's (exactly one of day-of-month and day-of-week is `?`,
 * day-of-week 1-7 = SUN-SAT), checked and translated by the triggers' schedule parser. So
 * `* * 9-17 ? * MON-FRI *` allows deployments on weekdays from 09:00 to 17:59.
 *
 * @example
 * ```ts
 * evaluateDeploymentWindow({ Cron: '* * 9-17 ? * MON-FRI *', TimeZone: 'Europe/Berlin' }, '2026-01-05T10:00:00.000Z');
 * // { status: 'Succeeded', summary: '2026-01-05T10:00:00.000Z is inside the deployment window * * 9-17 ? * MON-FRI * (Europe/Berlin)' }
 * ```
 */
import { Cron } from 'croner';
import { parseScheduleExpression } from '../triggers/schedule-expression.ts';
import type { RuleVerdict } from './rule-variable-check.ts';

/**
 * Evaluates a `DeploymentWindow` rule at the time `at` (ISO-8601).
 *
 * @example
 * ```ts
 * evaluateDeploymentWindow({ Cron: '* 0-59 22-23 ? * * *' }, '2026-01-05T10:00:00.000Z').status; // 'Failed'
 * ```
 */
export function evaluateDeploymentWindow(
  configuration: Readonly<Record<string, string>>,
  at: string,
): RuleVerdict {
  const expression = configuration.Cron?.trim();
  const timeZone = configuration.TimeZone?.trim() || 'UTC';
  if (expression === undefined || expression === '') {
    return {
      status: 'Errored',
      summary:
        'DeploymentWindow needs configuration Cron, e.g. "* * 9-17 ? * MON-FRI *" (seconds minutes hours day-of-month month day-of-week [year])',
    };
  }
  const fields = expression.split(/\s+/);
  if (fields.length !== 6 && fields.length !== 7) {
    return {
      status: 'Errored',
      summary: `DeploymentWindow Cron "${expression}" has ${fields.length} fields; write 6 or 7: seconds minutes hours day-of-month month day-of-week [year], e.g. "* * 9-17 ? * MON-FRI *"`,
    };
  }
  const [seconds, ...rest] = fields;
  if (seconds !== '*') {
    return {
      status: 'Errored',
      summary: `DeploymentWindow Cron "${expression}": the seconds field only takes *, got "${seconds}"`,
    };
  }
  const parsed = parseScheduleExpression(`cron(${[...rest, ...(rest.length === 5 ? ['*'] : [])].join(' ')})`);
  if (!parsed.ok || parsed.kind !== 'cron') {
    const why = parsed.ok ? 'not a cron expression' : parsed.message.replace(/^cron\(.*?\): /, '');
    return { status: 'Errored', summary: `DeploymentWindow Cron "${expression}": ${why}` };
  }
  let cron: Cron;
  try {
    cron = new Cron(parsed.cronerPattern, {
      mode: '7-part',
      timezone: timeZone,
      domAndDow: true,
      paused: true,
    });
  } catch (e) {
    return {
      status: 'Errored',
      summary: `DeploymentWindow TimeZone "${timeZone}" cannot be used (${(e as Error).message}); use an IANA name such as Europe/Berlin`,
    };
  }
  const ms = Date.parse(at);
  const minute = new Date(ms - (((ms % 60_000) + 60_000) % 60_000));
  let inside: boolean;
  try {
    // The next fire time strictly after the minute's last second before it: the minute itself when it matches.
    inside = cron.nextRun(new Date(minute.getTime() - 1000))?.getTime() === minute.getTime();
  } catch (e) {
    return {
      status: 'Errored',
      summary: `DeploymentWindow TimeZone "${timeZone}" cannot be used (${(e as Error).message}); use an IANA name such as Europe/Berlin`,
    };
  }
  const where = `the deployment window ${expression} (${timeZone})`;
  return inside
    ? { status: 'Succeeded', summary: `${minute.toISOString()} is inside ${where}` }
    : { status: 'Failed', summary: `${minute.toISOString()} is outside ${where}` };
}
