/**
 * `sst deploy` runs the same check as `pipewright plan` before it declares anything: infra's
 * `deploy()` under Pulumi's mocks, with SST's globals set as `sst deploy` sets them, fails with
 * the check's reasons and registers no resource. (Mocks and globals are process-global; vitest
 * runs each file in its own process.)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeploymentCheckError, deploymentPipelines, deploymentPlan } from '@pipewright/core/deploy';
import { generatedPipelineFiles } from '@pipewright/core/testing';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { afterEach, describe, expect, it } from 'vitest';
import { deploy } from '../../infra/index.ts';
import { functionManagedPolicies } from '../../infra/managed-policies.ts';
import type { Platform } from '../../infra/platform.ts';
import { cleanupsAfter } from '../support/cleanups.ts';
import { tempDirSync } from '../support/temp-dirs.ts';
import { SITE, siteCall } from './example-pipelines.ts';

const declared: string[] = [];
const inputs: Record<string, Record<string, unknown>> = {};
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      declared.push(`${args.type} ${args.name}`);
      inputs[args.name] = args.inputs as Record<string, unknown>;
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

  it('declares the managed policies of a function whose grants outgrow its inline policy', async () => {
    // Prepare: 200 pipelines, 40 of them with a CodeBuild project and a stack of their own.
    const { pipelines } = deploymentPipelines(generatedPipelineFiles(200, 'pipelines'));
    const plan = deploymentPlan(pipelines, {
      ...SITE,
      artifactKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
    });
    const platform: Platform = { aws, pulumi };
    // Act
    const policies = functionManagedPolicies(platform, plan as never);
    await new Promise<void>((resolve) => pulumi.all(policies.map((p) => p.urn)).apply(() => resolve()));
    // Assess
    const managed = Object.values(plan.functions).flatMap((f) => f.managedPolicies);
    expect(managed.length).toBeGreaterThan(0);
    expect(policies).toHaveLength(managed.length);
    for (const m of managed) {
      const declaredPolicy = inputs[`ManagedPolicy/${m.name}`];
      expect(declaredPolicy?.name).toBe(m.name);
      expect(JSON.parse(String(declaredPolicy?.policy)).Statement).toEqual(m.statements);
    }
  });
});
