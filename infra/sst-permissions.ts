/**
 * Policy statements of the plan as the `permissions` of an SST Function (SST builds the
 * function's inline role policy from them, and adds CloudWatch Logs by itself).
 */
import type { PolicyStatement } from '@pipewright/core/deploy';

/** One entry of SST's `FunctionArgs.permissions` (its `FunctionPermissionArgs`). @example `{ actions: ['sns:Publish'], resources: [topicArn] }` */
export interface SstPermission<K> {
  actions: string[];
  resources: Array<string | K>;
  conditions?: { test: string; variable: string; values: string[] }[];
}

/**
 * Statements → SST permissions (`Allow` is SST's default effect; conditions become
 * `{ test, variable, values }`).
 *
 * @example
 * ```ts
 * toSstPermissions([{ Sid: 'X', Effect: 'Allow', Action: ['iam:PassRole'], Resource: ['arn:aws:iam::1:role/r'],
 *   Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } } }]);
 * // [{ actions: ['iam:PassRole'], resources: ['arn:aws:iam::1:role/r'],
 * //    conditions: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['cloudformation.amazonaws.com'] }] }]
 * ```
 */
export function toSstPermissions<K>(statements: PolicyStatement<K>[]): SstPermission<K>[] {
  return statements.map((s) => {
    const conditions = Object.entries(s.Condition ?? {}).flatMap(([test, entries]) =>
      Object.entries(entries).map(([variable, value]) => ({
        test,
        variable,
        values: Array.isArray(value) ? value : [value],
      })),
    );
    return {
      actions: [...s.Action],
      resources: [...s.Resource],
      ...(conditions.length === 0 ? {} : { conditions }),
    };
  });
}
