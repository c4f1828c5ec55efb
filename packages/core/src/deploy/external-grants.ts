/**
 * What other accounts must allow for a pipeline to run: Pipewright's identity policies only
 * grant the deploying account's side; a role, key, function or topic in another account also
 * needs its own policy to trust the deploying account. `pipewright plan` prints these so the
 * owners of those accounts can add them before the first run.
 */
import type { Pipeline } from '../model/pipeline.ts';
import { arnOf, type DeploymentSite } from './deployment-names.ts';
import { providerGrants } from './provider-grants.ts';

/** One statement another account must add to a resource's policy. @example `externalGrants(p, site)[0].kind // 'role trust policy'` */
export interface ExternalGrant {
  pipeline: string;
  /** The account that owns the resource. */
  account: string;
  kind: 'role trust policy' | 'KMS key policy' | 'Lambda function policy' | 'SNS topic policy';
  /** The resource (ARN or pattern) whose policy needs the statement. */
  resource: string;
  statement: {
    Sid: string;
    Effect: 'Allow';
    Principal: { AWS: string };
    Action: string | string[];
    Resource?: string;
  };
}

function accountOf(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

/**
 * The statements other accounts must add for `pipeline` deployed at `site`: the trust policy
 * of each cross-account `roleArn`, the key policy of each KMS key, the resource policy of each
 * function and topic it names in another account. The principal is the deploying account
 * (`arn:aws:iam::<account>:root`): the account's own IAM policies then decide which role may
 * use it, and only the action runner's role is granted it there.
 *
 * @example
 * ```ts
 * externalGrants(pipeline, site).map((g) => `${g.kind} of ${g.resource}`);
 * // ['role trust policy of arn:aws:iam::111122223333:role/deployer']
 * ```
 */
export function externalGrants(pipeline: Pipeline, site: DeploymentSite): ExternalGrant[] {
  const g = providerGrants([pipeline], site, 'both');
  const principal = { AWS: arnOf(site, 'iam', 'root', { region: '' }) };
  const grants: ExternalGrant[] = [];
  const add = (
    kind: ExternalGrant['kind'],
    arns: Iterable<string>,
    sid: string,
    action: string | string[],
  ) => {
    for (const resource of arns) {
      const account = accountOf(resource);
      if (account === undefined || account === site.accountId) continue;
      const statement: ExternalGrant['statement'] = {
        Sid: sid,
        Effect: 'Allow',
        Principal: principal,
        Action: action,
        ...(kind === 'role trust policy' ? {} : { Resource: kind === 'KMS key policy' ? '*' : resource }),
      };
      grants.push({ pipeline: pipeline.name, account, kind, resource, statement });
    }
  };
  add('role trust policy', g.actionRoles, 'TrustPipewright', 'sts:AssumeRole');
  add('KMS key policy', g.deployKeys, 'PipewrightEncrypt', ['kms:GenerateDataKey', 'kms:Decrypt']);
  add('Lambda function policy', g.functions, 'PipewrightInvoke', 'lambda:InvokeFunction');
  add('SNS topic policy', g.approvalTopics, 'PipewrightPublish', 'sns:Publish');
  return grants;
}
