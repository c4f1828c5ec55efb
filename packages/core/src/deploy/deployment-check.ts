/**
 * Whether a deployment plan can be deployed: every AWS quota it uses is under its limit
 * ({@link quotaUses}), every pipeline's resources fall under the stage's name patterns the
 * functions and policies rely on, and no grant is a bare `*`. `sst deploy` runs it before it
 * declares any resource (`infra/index.ts`), `pipewright plan` prints it.
 */
import { PipewrightError, type PipewrightErrorOptions } from '../errors.ts';
import type { Pipeline } from '../model/pipeline.ts';
import { stagePatterns } from './deployment-names.ts';
import type { DeploymentPlan } from './deployment-plan.ts';
import { AWS_QUOTAS, type QuotaUse, quotaUses } from './deployment-quotas.ts';
import { providerGrants } from './provider-grants.ts';

/** Why (part of) a deployment cannot be deployed. @example `{ code: 'PW1102', pipeline: 'web', message: 'web: EventBridge event pattern of pipewright-prod-web-trigger-1 is 2311 characters, over the limit of 2048: …' }` */
export interface DeploymentProblem {
  /** A quota's code (`PW1101`…), `PW1120` for a name outside the stage's patterns, `PW1121` for a wildcard grant. */
  code: string;
  pipeline?: string;
  message: string;
}

/** What {@link checkDeployment} found. @example `checkDeployment(pipelines, plan).problems // []` */
export interface DeploymentCheck {
  /** Every quota use, per resource. */
  uses: QuotaUse[];
  /** Empty when the plan can be deployed. */
  problems: DeploymentProblem[];
}

/**
 * A deployment that would fail (or be unsafe) in AWS: code `PW1100`; `problems` lists each
 * reason with its own code, pipeline and what to do.
 *
 * @example
 * ```ts
 * try { assertDeployable(pipelines, plan); } catch (e) { if (e instanceof DeploymentCheckError) e.problems[0]?.code; }
 * ```
 */
export class DeploymentCheckError extends PipewrightError {
  override readonly name = 'DeploymentCheckError';
  readonly problems: DeploymentProblem[];
  constructor(problems: DeploymentProblem[], options?: PipewrightErrorOptions) {
    super(
      'PW1100',
      `the deployment cannot be deployed (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems
        .map((p) => `  [${p.code}] ${p.message}`)
        .join('\n')}`,
      false,
      options,
    );
    this.problems = problems;
  }
}

function overLimit(u: QuotaUse): DeploymentProblem {
  const q = AWS_QUOTAS[u.quota];
  const where = u.pipeline === undefined ? '' : `${u.pipeline}: `;
  return {
    code: u.code,
    ...(u.pipeline === undefined ? {} : { pipeline: u.pipeline }),
    message: `${where}${q.name} of ${u.resource} is ${u.value} ${u.unit}, over the limit of ${u.limit}: ${q.fix}`,
  };
}

function outsidePatterns(plan: DeploymentPlan<unknown>): DeploymentProblem[] {
  const patterns = stagePatterns(plan);
  const problems: DeploymentProblem[] = [];
  for (const p of plan.pipelines) {
    const names = [
      ['state machine', p.stateMachine.name, patterns.stateMachinePrefix],
      ['topic', p.topic.name, patterns.topicPrefix],
    ] as const;
    for (const [kind, name, prefix] of names) {
      if (name.startsWith(prefix)) continue;
      problems.push({
        code: 'PW1120',
        pipeline: p.name,
        message: `${p.name}: its ${kind} "${name}" does not start with "${prefix}", which the functions' policies and rules rely on; use a shorter app or stage name`,
      });
    }
  }
  return problems;
}

/**
 * Checks `plan` (made from `pipelines`) against the AWS quotas and Pipewright's own rules.
 *
 * @example
 * ```ts
 * const { uses, problems } = checkDeployment(pipelines, deploymentPlan(pipelines, names));
 * problems.length === 0; // deployable
 * ```
 */
export function checkDeployment<K>(pipelines: readonly Pipeline[], plan: DeploymentPlan<K>): DeploymentCheck {
  const p = plan as DeploymentPlan<unknown>;
  const uses = quotaUses(p, pipelines);
  const wildcards = providerGrants(pipelines, p, 'both').wildcards.map(
    (w): DeploymentProblem => ({ code: 'PW1121', pipeline: w.pipeline, message: w.message }),
  );
  return {
    uses,
    problems: [...uses.filter((u) => u.value > u.limit).map(overLimit), ...outsidePatterns(p), ...wildcards],
  };
}

/**
 * Throws {@link DeploymentCheckError} when {@link checkDeployment} finds a problem; returns the
 * check otherwise. `sst deploy` calls it before it declares any resource.
 *
 * @example
 * ```ts
 * assertDeployable(pipelines, plan); // throws [PW1100] … [PW1102] web: EventBridge event pattern …
 * ```
 */
export function assertDeployable<K>(
  pipelines: readonly Pipeline[],
  plan: DeploymentPlan<K>,
): DeploymentCheck {
  const check = checkDeployment(pipelines, plan);
  if (check.problems.length > 0) throw new DeploymentCheckError(check.problems);
  return check;
}
