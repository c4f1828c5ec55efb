/**
 * @internal The deployment's names must not clash: two pipelines with one name, or two
 * pipelines whose state machines, roles, rules, schedules or topics would share a name.
 */
import { PipelineInvalidError } from '../errors.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Pipeline } from '../model/pipeline.ts';
import type { PipelinePlan } from './deployment-plan.ts';

function problem(code: string, message: string): Diagnostic {
  return { severity: 'error', code, path: [], message };
}

/**
 * @internal Throws {@link PipelineInvalidError} listing every clash.
 *
 * @example
 * ```ts
 * checkUniqueNames(pipelines, plans); // throws on two pipelines named "web"
 * ```
 */
export function checkUniqueNames(pipelines: readonly Pipeline[], plans: PipelinePlan<unknown>[]): void {
  const problems: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const p of pipelines) {
    if (seen.has(p.name)) {
      problems.push(
        problem(
          'duplicate-pipeline-name',
          `two pipelines are named "${p.name}"; pipeline names must be unique within a deployment — rename one`,
        ),
      );
    }
    seen.add(p.name);
  }
  const kinds: Record<string, string[]> = {
    'state machine': plans.map((p) => p.stateMachine.name),
    role: plans.map((p) => p.stateMachine.role.name),
    'EventBridge rule': plans.flatMap((p) => p.rules.map((r) => r.name)),
    schedule: plans.flatMap((p) => p.schedules.map((s) => s.name)),
    topic: plans.map((p) => p.topic.name),
  };
  if (problems.length === 0) {
    for (const [kind, list] of Object.entries(kinds)) {
      const counted = new Set<string>();
      for (const name of list) {
        if (counted.has(name))
          problems.push(
            problem(
              'resource-name-clash',
              `two pipelines would share the ${kind} name "${name}"; rename one of them`,
            ),
          );
        counted.add(name);
      }
    }
  }
  if (problems.length > 0) throw new PipelineInvalidError(problems);
}
