/**
 * The pipelines the infra tests deploy: the three examples (web-app, buildspec's "library",
 * the seed CloudFormation template), copied into a `pipelines/` directory as a project would
 * have them and read by infra's own loader; plus `release`, which has what the examples lack
 * (approvers' emails, a pull-request trigger, an event-pattern trigger, a scheduled time zone,
 * a CloudFormation deploy).
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Pipeline } from '@pipewright/core';
import type { DeploymentSite } from '@pipewright/core/deploy';
import { loadPipelineDirectory } from '../../infra/load-pipelines.ts';
import type { Cleanups } from '../support/cleanups.ts';
import { REPO_ROOT } from '../support/paths.ts';
import { tempDirSync } from '../support/temp-dirs.ts';

type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };

/**
 * `asl-validator` (a CommonJS function), typed.
 *
 * @example
 * ```ts
 * expect(aslValidator(JSON.parse(definition), { checkPaths: true, checkArn: true }).isValid).toBe(true);
 * ```
 */
export const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

/** Where the tests deploy (what `deploymentSite` reads from the mocked provider). */
export const SITE: DeploymentSite = {
  app: 'pipewright',
  stage: 'test',
  region: 'eu-west-1',
  accountId: '123456789012',
  partition: 'aws',
};

/**
 * The answers of Pulumi's mocked provider to the calls `deploymentSite` makes (`call` of
 * `pulumi.runtime.setMocks`): the account, region and partition of {@link SITE}.
 *
 * @example
 * ```ts
 * pulumi.runtime.setMocks({ newResource, call: (args) => siteCall(args.token) }, 'pipewright', 'test', false);
 * ```
 */
export function siteCall(token: string): Record<string, string> {
  if (token === 'aws:index/getCallerIdentity:getCallerIdentity')
    return { accountId: SITE.accountId, arn: 'arn:aws:iam::123456789012:user/ci', userId: 'AIDA' };
  if (token === 'aws:index/getRegion:getRegion') return { name: SITE.region, region: SITE.region };
  if (token === 'aws:index/getPartition:getPartition')
    return { partition: 'aws', dnsSuffix: 'amazonaws.com' };
  throw new Error(`unexpected call ${token}`);
}

/** A pipeline with approvers, pull requests, an event pattern and a CloudFormation deploy. */
export const RELEASE_YAML = `name: release
executionMode: SUPERSEDED
triggers:
  - git:
      source: Source
      push:
        - branches: [main]
      pullRequest:
        - events: [OPEN, UPDATED]
          branches: [main]
  - schedule: { expression: "cron(30 1 ? * SUN *)", timezone: Europe/Paris }
  - event: { source: [acme.deploys], detail-type: [Deploy Requested] }
notifications:
  - emails: [lead@example.com, ops@example.com]
    events: [approval.requested]
  - emails: [OPS@example.com]
    events: [execution.failed]
stages:
  - name: Source
    actions:
      - name: Source
        type: Source/CodeStarSourceConnection
        configuration:
          ConnectionArn: arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d
          FullRepositoryId: acme/release
          BranchName: main
        outputs: [Src]
  - name: Approve
    actions:
      - name: Go
        type: Approval/Manual
  - name: Deploy
    actions:
      - name: Stack
        type: Deploy/CloudFormation
        inputs: [Src]
        configuration:
          ActionMode: CREATE_UPDATE
          StackName: release-app
          TemplatePath: Src::template.yaml
          RoleArn: arn:aws:iam::123456789012:role/release-cfn
`;

/**
 * A project directory with `pipelines/` holding the three examples (and `release` when asked),
 * removed by `cleanups`.
 *
 * @example
 * ```ts
 * const root = examplesProject(cleanups, { release: true });
 * loadPipelineDirectory(join(root, 'pipelines'), root);
 * ```
 */
export function examplesProject(cleanups: Cleanups, options: { release?: boolean } = {}): string {
  const root = tempDirSync(cleanups, 'pw-infra-');
  const dir = join(root, 'pipelines');
  mkdirSync(dir);
  copyFileSync(join(REPO_ROOT, 'examples/web-app/pipeline.yaml'), join(dir, 'web-app.yaml'));
  copyFileSync(join(REPO_ROOT, 'examples/buildspec/pipeline.yaml'), join(dir, 'library.yaml'));
  copyFileSync(join(REPO_ROOT, 'examples/seed/template.yaml'), join(dir, 'seed.yaml'));
  if (options.release) writeFileSync(join(dir, 'release.yaml'), RELEASE_YAML);
  return root;
}

/**
 * The pipelines of {@link examplesProject}, by name, read as `sst deploy` reads them.
 *
 * @example
 * ```ts
 * const { byName } = examplePipelines(cleanups);
 * byName['web-app'].executionMode; // 'QUEUED'
 * ```
 */
export function examplePipelines(
  cleanups: Cleanups,
  options: { release?: boolean } = {},
): { pipelines: Pipeline[]; byName: Record<string, Pipeline>; warnings: string[] } {
  const root = examplesProject(cleanups, options);
  const { pipelines, warnings } = loadPipelineDirectory(join(root, 'pipelines'), root);
  return { pipelines, byName: Object.fromEntries(pipelines.map((p) => [p.name, p])), warnings };
}
