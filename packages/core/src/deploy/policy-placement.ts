/**
 * Where a function role's statements go. IAM limits a role's inline policies to 10,240
 * characters together, and what the actions name (projects, stacks, functions, roles, …) grows
 * with the pipelines; so the statements fill the inline policy first (leaving room for what SST
 * adds there) and spill over into customer-managed policies of at most 6,144 characters each,
 * attached to the role (10 per role by default). A statement too large for one policy is split
 * by its resources. Sizes are counted as IAM counts them: JSON without whitespace.
 */
import { arnOf, type DeploymentSite } from './deployment-names.ts';
import { type PolicyStatement, policyDocument } from './policy-statement.ts';
import { resourceName } from './resource-name.ts';

/** IAM's limit on a role's inline policies, together, in characters. */
export const ROLE_INLINE_POLICY_CHARS = 10_240;
/** IAM's limit on one customer-managed policy, in characters. */
export const MANAGED_POLICY_CHARS = 6_144;
/** Kept free in the inline policy for the statements SST adds to a function's role itself. */
export const SST_INLINE_RESERVE_CHARS = 1_024;

/** A customer-managed policy of a function's role. @example `{ name: 'pipewright-prod-action-runner-grants-1', arn: 'arn:aws:iam::123456789012:policy/pipewright-prod-action-runner-grants-1', statements }` */
export interface ManagedPolicyPlan<K = string> {
  name: string;
  arn: string;
  statements: PolicyStatement<K>[];
}

/** What {@link placePolicy} decides. @example `placePolicy(statements, where).managed.length // 0 for a small deployment` */
export interface PolicyPlacement<K = string> {
  inline: PolicyStatement<K>[];
  managed: ManagedPolicyPlan<K>[];
}

/**
 * The characters of a policy document of `statements` as IAM counts them; a resource that is
 * not a string yet (the artifact key's ARN, a Pulumi output) counts as `unknownLength`.
 *
 * @example
 * ```ts
 * policyLength([{ Sid: 'A', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*'] }]); // 93
 * ```
 */
export function policyLength<K>(statements: readonly PolicyStatement<K>[], unknownLength = 0): number {
  let unknowns = 0;
  const json = JSON.stringify(policyDocument([...statements]), (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        unknowns += 1;
        return '';
      }
    }
    return value;
  });
  return json.length + unknowns * unknownLength;
}

/** `statement` in parts of its resources, each fitting `budget` in a document of its own. */
function splitByResources<K>(
  statement: PolicyStatement<K>,
  budget: number,
  unknown: number,
): PolicyStatement<K>[] {
  const parts: PolicyStatement<K>[] = [];
  let current: Array<string | K> = [];
  const part = (resources: Array<string | K>, n: number): PolicyStatement<K> => ({
    ...statement,
    Sid: `${statement.Sid}${n}`,
    Resource: resources,
  });
  for (const resource of statement.Resource) {
    const next = [...current, resource];
    if (current.length > 0 && policyLength([part(next, parts.length + 1)], unknown) > budget) {
      parts.push(part(current, parts.length + 1));
      current = [resource];
    } else current = next;
  }
  if (current.length > 0) parts.push(part(current, parts.length + 1));
  return parts;
}

/**
 * Places `statements` of the function named `functionName`: inline while they fit
 * {@link ROLE_INLINE_POLICY_CHARS} less {@link SST_INLINE_RESERVE_CHARS}, the rest in managed
 * policies `<function name>-grants-<n>` of at most {@link MANAGED_POLICY_CHARS}.
 *
 * @example
 * ```ts
 * const { inline, managed } = placePolicy(plan.functions.actionRunner.policy, 'pipewright-prod-action-runner', site, 80);
 * managed.map((m) => m.name); // ['pipewright-prod-action-runner-grants-1'] when the actions name many resources
 * ```
 */
export function placePolicy<K>(
  statements: readonly PolicyStatement<K>[],
  functionName: string,
  site: DeploymentSite,
  unknownLength = 0,
): PolicyPlacement<K> {
  const documents: PolicyStatement<K>[][] = [[]];
  const budget = () =>
    documents.length === 1 ? ROLE_INLINE_POLICY_CHARS - SST_INLINE_RESERVE_CHARS : MANAGED_POLICY_CHARS;
  for (const statement of statements) {
    const pieces =
      policyLength([statement], unknownLength) > MANAGED_POLICY_CHARS
        ? splitByResources(statement, MANAGED_POLICY_CHARS, unknownLength)
        : [statement];
    for (const piece of pieces) {
      const open = documents[documents.length - 1] as PolicyStatement<K>[];
      if (open.length > 0 && policyLength([...open, piece], unknownLength) > budget())
        documents.push([piece]);
      else open.push(piece);
    }
  }
  const [inline = [], ...rest] = documents;
  return {
    inline,
    managed: rest.map((list, i) => {
      const name = resourceName('role', functionName, 'grants', String(i + 1));
      return { name, arn: arnOf(site, 'iam', `policy/${name}`, { region: '' }), statements: list };
    }),
  };
}
