/**
 * One EventBridge rule of the plan with its Lambda target and the permission letting
 * EventBridge invoke the function (scoped to the rule).
 */
import type { EventRuleSpec } from '@pipewright/core/deploy';
import type * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import type { Platform } from './platform.ts';

/** What an {@link eventRule} needs besides the spec. @example `{ functionName: 'pw-trigger', functionArn, busName: bus.name, dependsOn: [trigger] }` */
export interface EventRuleTarget {
  /** Name and ARN of the function it invokes. */
  functionName: string;
  functionArn: string;
  /** The name of Pipewright's bus (an output, so rules on it wait for the bus). */
  busName: pulumi.Input<string>;
  /** The functions (and anything else) that must exist first. */
  dependsOn: pulumi.Input<pulumi.Resource>[];
  /** The queue events the target could not take go to (after EventBridge's retries). */
  deadLetterArn?: string;
}

/** The resources of one rule. @example `eventRule(platform, 'R', spec, to).rule.arn` */
export interface EventRuleResources {
  rule: aws.cloudwatch.EventRule;
  target: aws.cloudwatch.EventTarget;
  permission: aws.lambda.Permission;
}

/**
 * Declares `spec` as a rule, a target and a Lambda permission; `logical` prefixes the
 * Pulumi names.
 *
 * @example
 * ```ts
 * eventRule(platform, 'CodeBuildBuilds', plan.callbackRules[0], { functionName, functionArn, busName: bus.name, dependsOn: [callback] });
 * ```
 */
export function eventRule(
  platform: Platform,
  logical: string,
  spec: EventRuleSpec,
  to: EventRuleTarget,
): EventRuleResources {
  const { aws } = platform;
  const eventBusName = spec.eventBus === 'default' ? 'default' : to.busName;
  const rule = new aws.cloudwatch.EventRule(logical, {
    name: spec.name,
    description: spec.description,
    eventBusName,
    eventPattern: JSON.stringify(spec.eventPattern),
  });
  const target = new aws.cloudwatch.EventTarget(
    `${logical}/Target`,
    {
      rule: rule.name,
      eventBusName,
      arn: to.functionArn,
      ...(spec.inputTemplate === undefined
        ? {}
        : { inputTransformer: { inputTemplate: spec.inputTemplate } }),
      ...(to.deadLetterArn === undefined ? {} : { deadLetterConfig: { arn: to.deadLetterArn } }),
    },
    { dependsOn: to.dependsOn },
  );
  const permission = new aws.lambda.Permission(
    `${logical}/Invoke`,
    {
      action: 'lambda:InvokeFunction',
      function: to.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: rule.arn,
    },
    { dependsOn: to.dependsOn },
  );
  return { rule, target, permission };
}
