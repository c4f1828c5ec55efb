/**
 * One pipeline's resources, declared from its part of the deployment plan: the state machine
 * (compiled definition, own role, execution logs), the EventBridge rules of its triggers, the
 * Scheduler schedules, and its SNS topic with an email subscription per approver.
 */
import { LOG_RETENTION_DAYS, type PipelinePlan } from '@pipewright/core/deploy';
import type * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { type EventRuleResources, eventRule } from './event-rule.ts';
import type { Platform } from './platform.ts';
import { type Plan, planRole } from './shared-resources.ts';

/** What a pipeline's resources attach to. @example `{ busName: shared.bus.name, scheduler: shared.scheduler, dependsOn: functions }` */
export interface PipelineResourceInputs {
  /** The name of Pipewright's bus (an output of the bus). */
  busName: pulumi.Input<string>;
  /** The scheduler role (its policy must exist before a schedule uses it); needed when the pipeline has schedules. */
  scheduler?: { role: aws.iam.Role; policy: aws.iam.RolePolicy };
  /** The functions, which must exist before the state machine, targets and permissions. */
  dependsOn: pulumi.Input<pulumi.Resource>[];
  /** The failed-deliveries queue's policy: rules and schedules send what they cannot deliver there. */
  deadLetters?: pulumi.Input<pulumi.Resource>;
}

/** One pipeline's resources. @example `pipelineResources(platform, plan, p, inputs).stateMachine.arn` */
export interface PipelineResources {
  stateMachine: aws.sfn.StateMachine;
  role: aws.iam.Role;
  policy: aws.iam.RolePolicy;
  logGroup: aws.cloudwatch.LogGroup;
  rules: EventRuleResources[];
  schedules: aws.scheduler.Schedule[];
  topic: aws.sns.Topic;
  subscriptions: aws.sns.TopicSubscription[];
}

/**
 * Declares the resources of `pipeline` (one of `plan.pipelines`). Pulumi names are
 * `Pipeline/<pipeline name>/<part>` (pipeline names hold no `/`), so they are unique and do
 * not change when pipeline files are renamed or reordered; email subscriptions are named by
 * address, so adding one never replaces another.
 *
 * @example
 * ```ts
 * plan.pipelines.map((p) => pipelineResources(platform, plan, p, { busName: shared.bus.name, dependsOn }));
 * ```
 */
export function pipelineResources(
  platform: Platform,
  plan: Plan,
  pipeline: PipelinePlan<pulumi.Output<string>>,
  inputs: PipelineResourceInputs,
): PipelineResources {
  const { aws } = platform;
  const logical = `Pipeline/${pipeline.name}`;
  const machine = pipeline.stateMachine;

  const logGroup = new aws.cloudwatch.LogGroup(`${logical}/Logs`, {
    name: machine.logGroup.name,
    retentionInDays: LOG_RETENTION_DAYS,
  });
  const { role, policy } = planRole(platform, `${logical}/Role`, machine.role);
  const stateMachine = new aws.sfn.StateMachine(
    `${logical}/StateMachine`,
    {
      name: machine.name,
      type: 'STANDARD',
      roleArn: role.arn,
      definition: machine.definition,
      loggingConfiguration: {
        level: 'ERROR',
        includeExecutionData: true,
        logDestination: machine.logGroup.arn,
      },
    },
    { dependsOn: [policy, logGroup, ...inputs.dependsOn] },
  );

  const rules = pipeline.rules.map((spec, i) =>
    eventRule(platform, `${logical}/Rule${i + 1}`, spec, {
      functionName: plan.functions.trigger.name,
      functionArn: plan.functions.trigger.arn,
      busName: inputs.busName,
      dependsOn: [...inputs.dependsOn, ...(inputs.deadLetters ? [inputs.deadLetters] : [])],
      deadLetterArn: plan.failedDeliveries.arn,
    }),
  );

  const scheduler = inputs.scheduler;
  if (pipeline.schedules.length > 0 && scheduler === undefined) {
    throw new Error(
      `pipeline ${pipeline.name} has schedules but no scheduler role was declared; declare the shared resources of the same plan first`,
    );
  }
  const schedules = pipeline.schedules.map(
    (s, i) =>
      new aws.scheduler.Schedule(
        `${logical}/Schedule${i + 1}`,
        {
          name: s.name,
          description: s.description,
          groupName: 'default',
          scheduleExpression: s.scheduleExpression,
          scheduleExpressionTimezone: s.scheduleExpressionTimezone,
          flexibleTimeWindow: { mode: 'OFF' },
          target: {
            arn: plan.functions.trigger.arn,
            roleArn: scheduler?.role.arn ?? '',
            input: s.input,
            deadLetterConfig: { arn: plan.failedDeliveries.arn },
          },
        },
        { dependsOn: [...(scheduler ? [scheduler.policy] : []), ...inputs.dependsOn] },
      ),
  );

  const topic = new aws.sns.Topic(`${logical}/Topic`, { name: pipeline.topic.name });
  const subscriptions = pipeline.topic.subscriptions.map(
    (s) =>
      new aws.sns.TopicSubscription(`${logical}/Subscription/${s.email.toLowerCase()}`, {
        topic: topic.arn,
        protocol: 'email',
        endpoint: s.email,
        filterPolicy: JSON.stringify(s.filterPolicy),
        filterPolicyScope: 'MessageAttributes',
      }),
  );

  return { stateMachine, role, policy, logGroup, rules, schedules, topic, subscriptions };
}
