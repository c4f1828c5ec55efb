import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipelines } from '../loaders/index.ts';
import { formatDiagnostic } from '../model/diagnostic.ts';
import { validateLoaded } from './validate-pipeline.ts';

const dir = join(import.meta.dirname, '../../../../test/fixtures/pipelines');
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => /\.(ya?ml|json)$/.test(f))
      .sort()
      .map((f) => join(dir, f))
  : [];
// The runnable examples' pipelines (examples/<name>/pipeline.yaml or template.yaml).
const examples = join(import.meta.dirname, '../../../../examples');
if (existsSync(examples))
  for (const name of readdirSync(examples).sort())
    for (const f of ['pipeline.yaml', 'template.yaml'])
      if (existsSync(join(examples, name, f))) files.push(join(examples, name, f));

function errorsOf(text: string, file: string): string[] {
  return validateLoaded(loadPipelines(text, { file }))
    .filter((d) => d.severity === 'error')
    .map(formatDiagnostic);
}

// A native pipeline using most features at once: every rule must accept it.
const FULL = `name: web-app
executionMode: QUEUED
variables:
  - name: env
    default: staging
    description: Target environment
triggers:
  - git:
      source: Checkout
      push:
        - branches: { includes: [main, "release/**"], excludes: ["release/old-*"] }
          filePaths: { includes: ["src/**"] }
        - tags: ["v*"]
      pullRequest:
        - events: [OPEN, UPDATED]
          branches: [main]
  - schedule: { expression: "cron(0 3 ? * MON-FRI *)", timezone: Europe/Paris, variables: { env: nightly } }
stages:
  - name: Source
    actions:
      - name: Checkout
        type: Source/CodeStarSourceConnection
        configuration:
          ConnectionArn: arn:aws:codeconnections:eu-west-1:123456789012:connection/abc
          FullRepositoryId: acme/web-app
          BranchName: main
        outputs: [SourceOutput]
        namespace: SourceVariables
  - name: Build
    actions:
      - name: Version
        type: Build/Commands
        inputs: [SourceOutput]
        commands: ["export TAG=$(git describe --tags)"]
        namespace: BuildVariables
        outputVariables: [TAG]
      - name: Compile
        type: Build/CodeBuild
        runOrder: 2
        inputs: [SourceOutput]
        outputs: [BuildOutput]
        configuration:
          ProjectName: web-app
          EnvironmentVariables: '[{"name":"TAG","value":"#{BuildVariables.TAG}","type":"PLAINTEXT"}]'
        timeoutInMinutes: 30
  - name: Approve
    actions:
      - name: Release
        type: Approval/Manual
        configuration:
          CustomData: "Release #{BuildVariables.TAG} (#{SourceVariables.CommitId}) to #{variables.env}"
        timeoutInMinutes: 1440
  - name: Deploy
    beforeEntry:
      conditions:
        - result: FAIL
          rules:
            - name: Window
              ruleTypeId: { category: Rule, owner: AWS, provider: DeploymentWindow, version: "1" }
              configuration: { Cron: "cron(0 9-17 ? * MON-FRI *)" }
    onFailure:
      result: RETRY
      retryConfiguration: { retryMode: FAILED_ACTIONS }
    actions:
      - name: Stack
        type: Deploy/CloudFormation
        inputs: [BuildOutput]
        configuration:
          ActionMode: CREATE_UPDATE
          StackName: "web-app-#{variables.env}"
          TemplatePath: BuildOutput::template.yaml
          ParameterOverrides: '{"Tag": "#{BuildVariables.TAG}"}'
          Capabilities: CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND
        namespace: StackOutputs
      - name: Site
        type: Deploy/S3
        runOrder: 2
        inputs: [BuildOutput]
        configuration:
          BucketName: "#{StackOutputs.SiteBucket}"
          Extract: "true"
      - name: Smoke
        type: Invoke/Lambda
        runOrder: 3
        configuration:
          FunctionName: smoke-test
          UserParameters: "#{codepipeline.PipelineExecutionId}"
`;

describe('validatePipeline on valid pipelines', () => {
  it('accepts a pipeline using most features at once', () => {
    expect(errorsOf(FULL, 'full.yaml')).toEqual([]);
  });

  for (const path of files) {
    const file = basename(path);
    it(`accepts ${relative(join(import.meta.dirname, '../../../..'), path)}`, () => {
      expect(errorsOf(readFileSync(path, 'utf8'), file)).toEqual([]);
    });
  }
});
