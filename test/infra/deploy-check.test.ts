/**
 * `sst deploy` runs the same check as `pipewright plan` before it declares anything: infra's
 * `deploy()` under Pulumi's mocks, with SST's globals set as `sst deploy` sets them, fails with
 * the check's reasons and registers no resource. (Mocks and globals are process-global; vitest
 * runs each file in its own process.)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeploymentCheckError } from '@pipewright/core/deploy';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { afterEach, describe, expect, it } from 'vitest';
import { deploy } from '../../infra/index.ts';
import { cleanupsAfter } from '../support/cleanups.ts';
import { tempDirSync } from '../support/temp-dirs.ts';
import { SITE, siteCall } from './example-pipelines.ts';

const declared: string[] = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      declared.push(`${args.type} ${args.name}`);
      return { id: `${args.name}_id`, state: { ...args.inputs, arn: `arn:aws:mock:::${args.name}` } };
    },
    call: (args) => {
      return siteCall(args.token);
    },
  },
  'pipewright',
  'test',
  false,
);

const cleanups = cleanupsAfter(afterEach);

/** A project whose one pipeline invokes a function named only by a variable. */
function projectWithWildcardRole(): string {
  const root = tempDirSync(cleanups, 'pw-infra-check-');
  mkdirSync(join(root, 'pipelines'));
  writeFileSync(
    join(root, 'pipelines', 'release.yaml'),
    `name: release
variables:
  FUNCTION: ship-staging
stages:
  - name: Source
    actions:
      - { name: Checkout, type: Source/Git, configuration: { RepositoryUrl: "https://example.com/r.git", BranchName: main }, outputs: [Src] }
  - name: Deploy
    actions:
      - { name: Ship, type: Invoke/Lambda, inputs: [Src], configuration: { FunctionName: "#{variables.FUNCTION}" } }
`,
  );
  return root;
}

describe('deploy (sst deploy)', () => {
  it('fails with the check’s reasons before declaring any resource', async () => {
    // Prepare
    const root = projectWithWildcardRole();
    Object.assign(globalThis, {
      $app: { name: SITE.app, stage: SITE.stage, removal: 'remove', protect: false },
      $cli: { paths: { root } },
      $util: pulumi,
      aws,
    });
    // Act
    const run = deploy();
    // Assess
    await expect(run).rejects.toThrow(DeploymentCheckError);
    await expect(run).rejects.toThrow(
      /\[PW1121\] release: stage "Deploy" action "Ship": FunctionName "#\{variables.FUNCTION\}" is only a variable, so lambda:InvokeFunction would be granted on every resource/,
    );
    expect(declared).toEqual([]);
  });
});
