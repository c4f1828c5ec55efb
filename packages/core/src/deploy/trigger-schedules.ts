/**
 * EventBridge Scheduler schedules from a pipeline's `Schedule` triggers. Scheduler reads
 * `cron(…)`/`rate(…)` exactly as EventBridge writes them (the model's syntax), with an IANA
 * time zone (default UTC); each tick invokes the trigger function with a
 * {@link TriggerInvocation} whose `scheduledTime` Scheduler fills in. S3 sources polled for
 * changes (`PollForSourceChanges`) get a `rate(1 minute)` schedule each.
 */
import { ScheduleExpressionError } from '../errors.ts';
import type { Pipeline } from '../model/pipeline.ts';
import { parseScheduleExpression } from '../triggers/schedule-expression.ts';
import { sourcePolls } from '../triggers/source-change-events.ts';
import type { DeploymentSite } from './deployment-names.ts';
import { resourceName } from './resource-name.ts';
import type { TriggerInvocation } from './trigger-rules.ts';

/** How often polled S3 sources are checked (CodePipeline polls about once a minute). @example `POLL_EXPRESSION // 'rate(1 minute)'` */
export const POLL_EXPRESSION = 'rate(1 minute)';

/** Scheduler's context attribute for the time a tick was due (`2026-01-05T06:00:00Z`). */
export const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';

/**
 * One schedule.
 *
 * @example
 * ```ts
 * const s: TriggerSchedule = {
 *   name: 'pipewright-prod-web-app-schedule-2', description: 'Starts pipeline web-app (trigger 2: cron(0 6 ? * MON-FRI *) UTC)',
 *   scheduleExpression: 'cron(0 6 ? * MON-FRI *)', scheduleExpressionTimezone: 'UTC', triggerIndex: 1,
 *   input: '{"kind":"schedule","pipeline":"web-app","triggerIndex":1,…}',
 * };
 * ```
 */
export interface TriggerSchedule {
  name: string;
  description: string;
  /** `cron(…)` or `rate(…)`, trimmed. */
  scheduleExpression: string;
  /** IANA time zone Scheduler evaluates a `cron(…)` in. */
  scheduleExpressionTimezone: string;
  /** Index into `pipeline.triggers` (index 0 is "trigger 1" in messages)… */
  triggerIndex?: number;
  /** …or the polled S3 source action (`PollForSourceChanges`). */
  sourceAction?: string;
  /** The target's input: a {@link TriggerInvocation} with `scheduledTime` = {@link SCHEDULED_TIME}. */
  input: string;
}

/**
 * The schedules of `pipeline`'s `Schedule` triggers, in trigger order. Throws
 * {@link ScheduleExpressionError} for an expression validation would have rejected.
 *
 * @example
 * ```ts
 * triggerSchedules(webApp, { app: 'pipewright', stage: 'prod' })[0].scheduleExpression; // 'cron(0 6 ? * MON-FRI *)'
 * ```
 */
export function triggerSchedules(
  pipeline: Pipeline,
  names: Pick<DeploymentSite, 'app' | 'stage'>,
): TriggerSchedule[] {
  const schedules: TriggerSchedule[] = [];
  pipeline.triggers.forEach((trigger, triggerIndex) => {
    if (trigger.providerType !== 'Schedule') return;
    const expression = trigger.schedule.expression.trim();
    const parsed = parseScheduleExpression(expression);
    if (!parsed.ok) {
      throw new ScheduleExpressionError(
        expression,
        `pipeline ${pipeline.name}, trigger ${triggerIndex + 1}: ${parsed.message}`,
        { path: ['triggers', triggerIndex, 'schedule', 'expression'] },
      );
    }
    const timezone = trigger.schedule.timezone?.trim() || 'UTC';
    const input: TriggerInvocation = {
      kind: 'schedule',
      pipeline: pipeline.name,
      triggerIndex,
      expression,
      timezone,
      scheduledTime: SCHEDULED_TIME,
    };
    schedules.push({
      name: resourceName('schedule', names.app, names.stage, pipeline.name, `schedule-${triggerIndex + 1}`),
      description:
        `Starts pipeline ${pipeline.name} (trigger ${triggerIndex + 1}: ${expression} ${timezone})`.slice(
          0,
          512,
        ),
      scheduleExpression: expression,
      scheduleExpressionTimezone: timezone,
      triggerIndex,
      input: JSON.stringify(input),
    });
  });
  // S3 sources CodePipeline polls: every minute, the trigger function asks S3 for the version.
  for (const poll of sourcePolls(pipeline)) {
    const input: TriggerInvocation = {
      kind: 'poll',
      pipeline: pipeline.name,
      sourceAction: poll.actionName,
      scheduledTime: SCHEDULED_TIME,
    };
    schedules.push({
      name: resourceName('schedule', names.app, names.stage, pipeline.name, 'poll', poll.actionName),
      description:
        `Polls s3://${poll.bucket}/${poll.key} for pipeline ${pipeline.name} (source action ${poll.actionName})`.slice(
          0,
          512,
        ),
      scheduleExpression: POLL_EXPRESSION,
      scheduleExpressionTimezone: 'UTC',
      sourceAction: poll.actionName,
      input: JSON.stringify(input),
    });
  }
  return schedules;
}
