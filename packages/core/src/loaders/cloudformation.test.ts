import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPipelines } from './load-pipelines.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../../test/fixtures/pipelines/${name}`, import.meta.url), 'utf8');

/** `line:col` (1-based) of the only occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string): string {
  const offset = text.indexOf(needle);
  expect(offset).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(needle, offset + 1)).toBe(-1);
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

describe('loadPipelines (CloudFormation)', () => {
  it('yields one pipeline per AWS::CodePipeline::Pipeline resource, named by Name or logical id', () => {
    // Act
    const { pipelines } = loadPipelines(fixture('cloudformation-two-pipelines.json'), { file: 't.json' });

    // Assess
    expect(pipelines.map((p) => [p.logicalId, p.pipeline.name, p.format])).toEqual([
      ['WebPipeline', 'web-app', 'cloudformation'],
      ['InfraPipeline', 'InfraPipeline', 'cloudformation'],
    ]);
  });

  it('maps PascalCase properties to the model', () => {
    const [web, infra] = loadPipelines(fixture('cloudformation-two-pipelines.json')).pipelines;
    const p = web?.pipeline;
    expect(p?.pipelineType).toBe('V2');
    expect(p?.executionMode).toBe('QUEUED');
    expect(p?.artifactStore).toEqual({
      type: 'S3',
      location: '!Ref ArtifactBucket',
      encryptionKey: { id: 'alias/pipeline', type: 'KMS' },
    });
    expect(p?.variables).toEqual([
      { name: 'DEPLOY_ENV', defaultValue: 'staging', description: 'Where to deploy' },
    ]);
    expect(p?.triggers).toEqual([
      {
        providerType: 'CodeStarSourceConnection',
        gitConfiguration: {
          sourceActionName: 'Checkout',
          push: [{ branches: { includes: ['main'] }, filePaths: { excludes: ['docs/**'] } }],
          pullRequest: [{ events: ['OPEN', 'UPDATED'], branches: { includes: ['main'] } }],
        },
      },
    ]);
    expect(p?.stages[0]?.actions[0]?.configuration).toEqual({
      ConnectionArn: '!Ref ConnectionArn',
      FullRepositoryId: 'acme/web-app',
      BranchName: 'main',
      DetectChanges: 'false',
    });
    expect(p?.stages[1]?.actions[0]).toMatchObject({
      commands: ['npm ci', 'npm run build'],
      outputVariables: ['VERSION'],
      outputArtifacts: [{ name: 'BuildOutput', files: ['dist/**'] }],
      timeoutInMinutes: 30,
    });
    expect(p?.stages[1]?.onFailure).toEqual({
      result: 'RETRY',
      retryConfiguration: { retryMode: 'FAILED_ACTIONS' },
    });
    expect(p?.stages[2]?.beforeEntry?.conditions[0]?.rules[0]).toMatchObject({
      name: 'BusinessHours',
      ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'DeploymentWindow', version: '1' },
      configuration: { TimeZone: 'Europe/Paris' },
    });
    expect(infra?.pipeline.artifactStores).toEqual({
      'us-east-1': { type: 'S3', location: 'infra-artifacts-use1' },
      'eu-west-1': { type: 'S3', location: 'infra-artifacts-euw1' },
    });
    expect(infra?.pipeline.pipelineType).toBe('V1');
    expect(infra?.pipeline.stages[1]?.actions.map((a) => a.runOrder)).toEqual([1, 2]);
  });

  it('keeps intrinsics as short-form placeholders, lists their model paths and warns at their location', () => {
    // Act
    const { pipelines, diagnostics } = loadPipelines(fixture('cloudformation-two-pipelines.json'), {
      file: 't.json',
    });

    // Assess
    expect(pipelines[0]?.unresolved).toEqual([
      ['artifactStore', 'location'],
      ['roleArn'],
      ['stages', 0, 'actions', 0, 'configuration', 'ConnectionArn'],
      ['stages', 2, 'actions', 0, 'configuration', 'BucketName'],
    ]);
    expect(pipelines[1]?.pipeline.roleArn).toBe(
      "!Join ['', [arn:aws:iam::, !Ref AWS::AccountId, :role/infra]]",
    );
    const warnings = diagnostics.filter((d) => d.code === 'unresolved-intrinsic');
    const text = fixture('cloudformation-two-pipelines.json');
    expect(warnings.map((d) => [d.severity, `${d.location?.line}:${d.location?.col}`])).toEqual([
      ['warning', positionOf(text, '{ "Fn::GetAtt": ["PipelineRole"')],
      ['warning', positionOf(text, '{ "Ref": "ArtifactBucket" }')],
      ['warning', positionOf(text, '{ "Ref": "ConnectionArn" }')],
      ['warning', positionOf(text, '{ "Fn::Sub"')],
      ['warning', positionOf(text, '{ "Fn::Join"')],
    ]);
    expect(warnings[0]?.message).toBe(
      '"!GetAtt PipelineRole.Arn" is a CloudFormation intrinsic function; Pipewright keeps it unresolved. Replace it with a literal value to use it outside CloudFormation.',
    );
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('warns that DisableInboundStageTransitions is ignored', () => {
    const { diagnostics } = loadPipelines(fixture('cloudformation-two-pipelines.json'));
    expect(diagnostics.filter((d) => d.code === 'ignored-field').map((d) => d.path.at(-1))).toEqual([
      'DisableInboundStageTransitions',
    ]);
  });

  it('warns, and ignores, an intrinsic where a list is needed', () => {
    const text = [
      'Resources:',
      '  P:',
      '    Type: AWS::CodePipeline::Pipeline',
      '    Properties:',
      '      Stages: !If [Prod, [], []]',
    ].join('\n');
    const { pipelines, diagnostics } = loadPipelines(text);
    expect(pipelines[0]?.pipeline.stages).toEqual([]);
    expect(pipelines[0]?.unresolved).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        'unresolved-intrinsic',
        expect.stringContaining(
          '"!If [Prod, [], []]" is a CloudFormation intrinsic function; Pipewright cannot evaluate it here',
        ),
      ],
    ]);
  });

  it('reports a template without a pipeline resource, naming what it looked for and found', () => {
    const text = 'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n';
    const { pipelines, diagnostics } = loadPipelines(text, { file: 't.yaml' });
    expect(pipelines).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        'no-pipeline',
        'no resource of Type AWS::CodePipeline::Pipeline in the template (found only AWS::S3::Bucket); add one, or load the template that declares the pipeline.',
      ],
    ]);
  });

  it('reports unknown PascalCase properties with a suggestion', () => {
    const text = [
      'Resources:',
      '  P:',
      '    Type: AWS::CodePipeline::Pipeline',
      '    Properties:',
      '      Stages:',
      '        - Name: S',
      '          Actions:',
      '            - Name: A',
      '              ActionTypeId: { Category: Source, Owner: AWS, Provider: S3, Version: 1 }',
      '              OutputArtifact: [{ Name: Out }]',
    ].join('\n');
    const { diagnostics } = loadPipelines(text, { file: 't.yaml' });
    expect(diagnostics.map((d) => [d.code, d.location?.line, d.location?.col, d.message])).toEqual([
      ['unknown-field', 10, 15, 'unknown field "OutputArtifact"; did you mean "OutputArtifacts"?'],
    ]);
  });
});
