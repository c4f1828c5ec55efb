/**
 * EventBridge rules: one per event-pattern trigger of a pipeline, routing its coarse pattern
 * ({@link eventPatternForTrigger}) to the trigger function, which applies the exact filter
 * (`decideTrigger` → `matchEventPattern`); one per ECR or S3 source action (its image pushes or
 * new object versions, `sourceChangeTriggers`); one for the webhook deliveries the HTTP function
 * relays (git triggers); and the two rules on the default bus that feed the callback function.
 *
 * Which bus:
 * - webhook deliveries (GitHub pushes and pull requests, for git triggers and change
 *   detection) are on **Pipewright's bus**, addressed to their pipeline;
 * - event-pattern triggers match any event: AWS services' events arrive on the default bus,
 *   events posted to the API (`POST /events`) on Pipewright's, so each gets a rule on both
 *   (an event is on one bus only, so it never starts a pipeline twice).
 *
 * Each target gets a {@link TriggerInvocation} built by an input transformer, so the trigger
 * function knows the pipeline and the trigger without matching every pipeline again.
 */
import type { Pipeline } from '../model/pipeline.ts';
import { eventPatternForTrigger } from '../triggers/event-pattern-for-trigger.ts';
import { sourceChangeTriggers } from '../triggers/source-change-events.ts';
import {
  type BusEvent,
  TRIGGER_DELIVERY_DETAIL_TYPE,
  TRIGGER_DELIVERY_SOURCE,
} from '../triggers/trigger-delivery.ts';
import { type DeploymentSite, sharedResourceNames, stagePatterns } from './deployment-names.ts';
import { providerGrants } from './provider-grants.ts';
import { resourceName } from './resource-name.ts';

/** Which bus a rule is on: Pipewright's own, or the account's default bus. @example `const bus: RuleBus = 'default'` */
export type RuleBus = 'pipewright' | 'default';

/**
 * What the trigger function receives: from a rule (the whole event, as EventBridge delivered
 * it) or from a schedule (`scheduledTime` is the tick's time, e.g. `2026-01-05T06:00:00Z`;
 * the delivery id is `<pipeline>:<expression>:<tick time>`, so a retried tick changes nothing).
 *
 * @example
 * ```ts
 * const fromRule: TriggerInvocation = { kind: 'event', pipeline: 'web-app', triggerIndex: 0, event };
 * const fromSchedule: TriggerInvocation = {
 *   kind: 'schedule', pipeline: 'web-app', triggerIndex: 1, expression: 'cron(0 6 ? * MON-FRI *)',
 *   timezone: 'UTC', scheduledTime: '2026-01-05T06:00:00Z',
 * };
 * ```
 */
export type TriggerInvocation =
  | {
      kind: 'event';
      pipeline: string;
      /** The trigger whose rule matched (index into `pipeline.triggers`)… */
      triggerIndex?: number;
      /** …or the source action whose change detection's rule matched. */
      sourceAction?: string;
      event: BusEvent;
    }
  | {
      kind: 'schedule';
      pipeline: string;
      triggerIndex: number;
      expression: string;
      timezone: string;
      scheduledTime: string;
    }
  | {
      /** A poll of an S3 source (`PollForSourceChanges`): the function asks S3 for its version. */
      kind: 'poll';
      pipeline: string;
      sourceAction: string;
      scheduledTime: string;
    };

/** An EventBridge rule with one Lambda target. @example `callbackRules(pipelines, names)[0].eventPattern.source // ['aws.codebuild']` */
export interface EventRuleSpec {
  name: string;
  description: string;
  eventBus: RuleBus;
  eventPattern: Record<string, unknown>;
  /** The function the rule invokes. */
  target: 'trigger' | 'callback';
  /** An input transformer template; without it the target gets the event itself. */
  inputTemplate?: string;
}

/** A rule starting a pipeline: for a trigger (`triggerIndex`) or a source action's change detection (`sourceAction`). @example `triggerRules(webApp, names)[0].triggerIndex // 0` */
export interface TriggerRule extends EventRuleSpec {
  target: 'trigger';
  /** Index into `pipeline.triggers` (messages number triggers from 1: index 0 is "trigger 1"). */
  triggerIndex?: number;
  /** The git source action whose changes the rule detects (no trigger names it). */
  sourceAction?: string;
  inputTemplate: string;
}

const MAX_DESCRIPTION = 512;

function description(text: string): string {
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}

/**
 * The input template giving the trigger function `{ kind: 'event', pipeline, triggerIndex | sourceAction, event }`
 * (`<aws.events.event.json>` is the whole original event).
 *
 * @example
 * ```ts
 * triggerInputTemplate('web-app', { triggerIndex: 0 });
 * // '{"kind":"event","pipeline":"web-app","triggerIndex":0,"event":<aws.events.event.json>}'
 * ```
 */
export function triggerInputTemplate(
  pipeline: string,
  route: { triggerIndex: number } | { sourceAction: string },
): string {
  const routing =
    'triggerIndex' in route
      ? `"triggerIndex":${route.triggerIndex}`
      : `"sourceAction":${JSON.stringify(route.sourceAction)}`;
  return `{"kind":"event","pipeline":${JSON.stringify(pipeline)},${routing},"event":<aws.events.event.json>}`;
}

/**
 * The rules of `pipeline`'s event-pattern triggers (schedules are {@link triggerSchedules}), in
 * trigger order, one on each bus. Git triggers and git change detection need no rule of their
 * own: the HTTP function checks each webhook and relays it, addressed to its pipeline, on
 * Pipewright's bus, and {@link webhookRelayRule} hands every relayed delivery to the trigger
 * function, which applies the exact filters (`decideTrigger`), the delivery id making a
 * redelivery one trigger.
 *
 * @example
 * ```ts
 * triggerRules(pipelineWithAnEventPattern, { app: 'pipewright', stage: 'prod' })[0];
 * // { name: 'pipewright-prod-releases-trigger-1', eventBus: 'pipewright', target: 'trigger', triggerIndex: 0, … }
 * ```
 */
export function triggerRules(
  pipeline: Pipeline,
  names: Pick<DeploymentSite, 'app' | 'stage'>,
): TriggerRule[] {
  const rules: TriggerRule[] = [];
  const name = (...parts: string[]) =>
    resourceName('eventRule', names.app, names.stage, pipeline.name, ...parts);
  pipeline.triggers.forEach((trigger, triggerIndex) => {
    const number = triggerIndex + 1;
    if (trigger.providerType !== 'EventPattern') return;
    const eventPattern = eventPatternForTrigger(pipeline, trigger) ?? {};
    for (const bus of ['pipewright', 'default'] as const) {
      rules.push({
        triggerIndex,
        target: 'trigger',
        inputTemplate: triggerInputTemplate(pipeline.name, { triggerIndex }),
        name: bus === 'pipewright' ? name(`trigger-${number}`) : name(`trigger-${number}`, 'default'),
        description: description(
          `Starts pipeline ${pipeline.name} (trigger ${number}: events matching its pattern on the ${bus === 'pipewright' ? 'Pipewright' : 'default'} bus)`,
        ),
        eventBus: bus,
        eventPattern,
      });
    }
  });
  // Change detection of ECR and S3 sources: AWS's own events, on the default bus only.
  for (const change of sourceChangeTriggers(pipeline)) {
    rules.push({
      sourceAction: change.actionName,
      target: 'trigger',
      inputTemplate: triggerInputTemplate(pipeline.name, { sourceAction: change.actionName }),
      name: name('source', change.actionName),
      description: description(`Starts pipeline ${pipeline.name} on ${change.label}`),
      eventBus: 'default',
      eventPattern: change.eventPattern,
    });
  }
  return rules;
}

/**
 * The rule handing the webhook deliveries the HTTP function relays on Pipewright's bus to the
 * trigger function (the event itself: its detail is `{ pipeline, delivery }`).
 *
 * @example
 * ```ts
 * webhookRelayRule({ app: 'pipewright', stage: 'prod' }).eventPattern;
 * // { source: ['pipewright.webhook'], 'detail-type': ['Pipewright Trigger Delivery'] }
 * ```
 */
export function webhookRelayRule(names: Pick<DeploymentSite, 'app' | 'stage'>): EventRuleSpec {
  return {
    name: resourceName('eventRule', names.app, names.stage, 'webhook-deliveries'),
    description: description('Records webhook deliveries and starts the executions they match'),
    eventBus: 'pipewright',
    eventPattern: { source: [TRIGGER_DELIVERY_SOURCE], 'detail-type': [TRIGGER_DELIVERY_DETAIL_TYPE] },
    target: 'trigger',
  };
}

/** CodeBuild's terminal build states: anything but `IN_PROGRESS`. */
const FINISHED_BUILD = [{ 'anything-but': ['IN_PROGRESS'] }];
/** Execution states an execution can end in without its Finish step. */
export const ABNORMAL_EXECUTION_END = ['FAILED', 'TIMED_OUT', 'ABORTED'];

/**
 * The default-bus rules of the callback function: "CodeBuild Build State Change" of the
 * builds the pipelines start (the runner project and the projects of CodeBuild actions and
 * rules) once finished, and "Step Functions Execution Status Change" of the pipelines'
 * executions that failed, timed out or were aborted (the execution's `Failed`/`Stopped`
 * events come from there when a stage's failure ends it uncaught).
 *
 * @example
 * ```ts
 * callbackRules([webApp], names).map((r) => r.name); // ['pipewright-prod-codebuild-builds', 'pipewright-prod-execution-status']
 * ```
 */
export function callbackRules(pipelines: readonly Pipeline[], names: DeploymentSite): EventRuleSpec[] {
  const { app, stage } = names;
  const shared = sharedResourceNames(names);
  const g = providerGrants(pipelines, names, 'both');
  const projects = [...g.codeBuildProjects].map((arn) =>
    arn.slice(arn.indexOf(':project/') + ':project/'.length),
  );
  const projectNames = [
    ...(g.usesRunner ? [shared.runnerProject.name] : []),
    ...projects.map((p) => (p.includes('*') ? { wildcard: p } : p)),
  ];
  const rules: EventRuleSpec[] = [];
  if (projectNames.length > 0) {
    rules.push({
      name: resourceName('eventRule', app, stage, 'codebuild-builds'),
      description: description('Completes Pipewright actions and rules when their CodeBuild builds finish'),
      eventBus: 'default',
      eventPattern: {
        source: ['aws.codebuild'],
        'detail-type': ['CodeBuild Build State Change'],
        detail: { 'project-name': projectNames, 'build-status': FINISHED_BUILD },
      },
      target: 'callback',
    });
  }
  if (pipelines.length > 0) {
    rules.push({
      name: resourceName('eventRule', app, stage, 'execution-status'),
      description: description('Records Pipewright executions that failed, timed out or were aborted'),
      eventBus: 'default',
      eventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: {
          // By prefix, not a list: the pattern must not grow with every pipeline (2,048 characters).
          stateMachineArn: [{ prefix: stagePatterns(names).stateMachineArnPrefix }],
          status: ABNORMAL_EXECUTION_END,
        },
      },
      target: 'callback',
    });
  }
  return rules;
}
