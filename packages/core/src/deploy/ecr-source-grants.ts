/**
 * What an ECR source names: the repository it describes (`ecr:DescribeImages`), in the action's
 * region, or in another account when `RepositoryName` is an ARN.
 */
import { arnOf, type DeploymentSite } from './deployment-names.ts';
import { type ProviderGrants, pattern, regionOf, type Subject } from './provider-grants.ts';

/**
 * Adds the ECR source's repository to `g`.
 *
 * @example
 * ```ts
 * addEcrSource(g, names, { pipeline: 'p', where: 'p: stage "Source" action "Image"', action });
 * [...g.ecrRepositories]; // ['arn:aws:ecr:eu-west-1:123456789012:repository/team/web']
 * ```
 */
export function addEcrSource(g: ProviderGrants, names: DeploymentSite, s: Subject): void {
  const repository = pattern(g, s, 'RepositoryName', s.action.configuration.RepositoryName);
  if (repository === undefined) return;
  g.ecrRepositories.add(
    repository.startsWith('arn:')
      ? repository
      : arnOf(names, 'ecr', `repository/${repository}`, { region: regionOf(names, s.action) }),
  );
}
