/**
 * The customer-managed policies of the functions whose grants do not fit their role's inline
 * policy (`FunctionPlan.managedPolicies`; core decides which statements go where). Their ARNs
 * are known from their names, so the functions attach them (SST `policies`) by ARN; the
 * functions wait for them.
 */
import type * as aws from '@pulumi/aws';
import type { Platform } from './platform.ts';
import { type Plan, policyJson } from './shared-resources.ts';

/**
 * Declares every function's managed policies.
 *
 * @example
 * ```ts
 * const policies = functionManagedPolicies(platform, plan); // [] for most deployments
 * ```
 */
export function functionManagedPolicies(platform: Platform, plan: Plan): aws.iam.Policy[] {
  const { aws } = platform;
  return Object.values(plan.functions).flatMap((f) =>
    f.managedPolicies.map(
      (m) =>
        new aws.iam.Policy(`ManagedPolicy/${m.name}`, {
          name: m.name,
          description: `Pipewright: what the pipelines' actions name, for ${f.name} (beyond its inline policy)`,
          policy: policyJson(platform, m.statements),
        }),
    ),
  );
}
